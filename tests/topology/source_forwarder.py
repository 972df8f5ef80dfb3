"""A TCP forwarder that reaches its target from a chosen loopback address: a second visitor's network.

Why: every test browser connects from 127.0.0.1, so nginx would see one
address for the attacker and the victim alike. Linux routes all of 127/8 to
the loopback interface, so a connection bound to 127.0.0.2 before it
connects arrives at nginx from 127.0.0.2: the browser pointed at this
forwarder looks, to nginx, like a visitor from another address. The bytes
(TLS included) pass through untouched.

The forwarder listens on a free 127.0.0.1 port and runs its own asyncio loop
in a thread, so a synchronous Playwright test can use it; ``stop()`` closes
the listener and every open connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator


class SourceForwarder:
    """Forward ``127.0.0.1:<port>`` to ``target``, connecting onward from ``source``."""

    def __init__(self, target: tuple[str, int], source: str) -> None:
        self.target = target
        self.source = source
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"forward-{source}", daemon=True)

    def start(self) -> SourceForwarder:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _listen(self) -> asyncio.Server:
        return await asyncio.start_server(self._accept, "127.0.0.1", 0)

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                *self.target, local_addr=(self.source, 0)
            )
        except OSError:
            writer.close()
            self._pipes.discard(task)
            return
        try:
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        finally:
            for end in (writer, upstream_writer):
                end.close()
            self._pipes.discard(task)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until end of stream, then half-close the other side (as TLS close_notify expects)."""
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.close()


@contextlib.contextmanager
def forwarding(target: tuple[str, int], source: str) -> Iterator[SourceForwarder]:
    """A running forwarder for the ``with`` block."""
    forwarder = SourceForwarder(target, source).start()
    try:
        yield forwarder
    finally:
        forwarder.stop()
