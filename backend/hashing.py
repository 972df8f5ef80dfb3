"""At most a few password hashes at once, on threads that yield the CPU to the event loop.

Why bounded: scrypt at the default cost takes 32 MiB and tens of milliseconds of a
core. Handlers run in anyio's worker threads (40 by default), so 40 sign-ins
at once meant 40 concurrent scrypts: 1.3 GB resident, and the event loop
that serves every NiceGUI page (the backend is embedded in the page's process)
getting a forty-first of the CPU; idle visitors waited seconds for a click
and NiceGUI dropped their sockets. Running more hashes than there are cores
buys no throughput, only memory and latency.

So hashing goes through a gate with ``slots`` places (default: one per core).
A caller beyond it waits, asleep, in its worker thread (no CPU, no scrypt
memory) until a place frees. Past ``deadline`` seconds it gives up with
:class:`HashingBusy`, an :class:`~.errors.AuthError` the service answers as a
retriable "busy" error, so the client can try again and nothing is spent.

Why the hashes run on threads of their own, at a lower priority: even with one
hash per core, the hashes took every core, and the event loop (every page's
clicks) queued behind them for the CPU: an idle visitor's click waited 386 ms at
p95 instead of 21 ms (issue 15). ``hashlib.scrypt`` releases the GIL while it
derives (measured: a 1 ms sleeper on the loop thread stays on time beside 12
hashing threads), so the only contention left is for the CPU, and that is the
kernel's to arbitrate. On Linux a thread's nice value is its own (the kernel
schedules threads, not processes), so each of the gate's ``slots`` hashing
threads lowers its own priority by ``niceness`` when it starts: when the loop
wants a core it gets it at once, and when it does not, the hashes have every
core (no throughput lost, unlike keeping a core back for the loop). A process
pool would do the same at the price of a Python interpreter per slot; measured,
niced processes and niced threads gave the loop the same latency.
Elsewhere (where nice applies to the whole process) the threads keep the
process's priority.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

from .errors import AuthError, Problem

T = TypeVar("T")

DEFAULT_DEADLINE: Final = 10.0
DEFAULT_NICENESS: Final = 10
"""How much lower than the process the hashing threads run: CPU weight 110 against the loop's 1024."""
_MOST_NICE: Final = 19
_log = logging.getLogger(__name__)


class HashingBusy(AuthError):
    """Every hashing slot stayed taken past the deadline: retriable, nothing was checked or spent."""

    def __init__(self) -> None:
        super().__init__(Problem.BUSY, retriable=True)


def default_slots() -> int:
    """One slot per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def lower_this_threads_priority(niceness: int) -> None:
    """Make the calling thread ``niceness`` steps nicer than it is (Linux only: per-thread nice).

    Raising niceness needs no privilege; it cannot be undone by this thread,
    which is why only the gate's own threads do it.
    """
    if niceness <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(_MOST_NICE, current + niceness))
    except OSError as exc:  # a sandbox refusing setpriority: hash at normal priority
        _log.warning("hashing threads keep normal priority (%s)", exc)


class HashingGate:
    """Runs hashing functions on ``slots`` low-priority threads, waiting at most ``deadline`` for one."""

    def __init__(
        self, slots: int | None = None, deadline: float = DEFAULT_DEADLINE, niceness: int = DEFAULT_NICENESS
    ) -> None:
        self.slots = slots if slots is not None else default_slots()
        if self.slots < 1 or deadline <= 0 or not 0 <= niceness <= _MOST_NICE:
            raise ValueError("hashing slots must be >= 1, the deadline positive and the niceness within 0-19")
        self.deadline = deadline
        self.niceness = niceness
        self._free = threading.BoundedSemaphore(self.slots)
        # Threads start on first use, so a backend that never hashes never has them.
        self._threads = ThreadPoolExecutor(
            self.slots,
            thread_name_prefix="hashing",
            initializer=lower_this_threads_priority,
            initargs=(niceness,),
        )

    def run(self, work: Callable[[], T]) -> T:
        """``work()`` on a hashing thread; :class:`HashingBusy` when no slot frees within the deadline.

        The calling thread holds the slot and sleeps until the hash is done, so at
        most ``slots`` hashes are ever submitted and one of the ``slots`` threads is
        always free to take it at once.
        """
        if not self._free.acquire(timeout=self.deadline):
            raise HashingBusy
        try:
            return self._threads.submit(work).result()
        finally:
            self._free.release()

    def close(self) -> None:
        """Stop the hashing threads once the hashes in progress are done."""
        self._threads.shutdown(wait=False)
