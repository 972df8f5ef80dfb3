"""At most a few password hashes at once, so a burst of sign-ins cannot starve or exhaust the process.

Why: scrypt at the default cost takes 32 MiB and tens of milliseconds of a
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
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

from .errors import AuthError, Problem

T = TypeVar("T")

DEFAULT_DEADLINE = 10.0


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


class HashingGate:
    """Runs hashing functions with at most ``slots`` at a time, waiting at most ``deadline`` for a slot."""

    def __init__(self, slots: int | None = None, deadline: float = DEFAULT_DEADLINE) -> None:
        self.slots = slots if slots is not None else default_slots()
        if self.slots < 1 or deadline <= 0:
            raise ValueError("hashing slots must be >= 1 and the deadline positive")
        self.deadline = deadline
        self._free = threading.BoundedSemaphore(self.slots)

    def run(self, work: Callable[[], T]) -> T:
        """``work()`` inside a slot; :class:`HashingBusy` when none frees within the deadline."""
        if not self._free.acquire(timeout=self.deadline):
            raise HashingBusy
        try:
            return work()
        finally:
            self._free.release()
