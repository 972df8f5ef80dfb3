"""A real HTTP server on 127.0.0.1 for the client tests: uvicorn in a background thread.

Tests need real sockets (refused connections, timeouts, streaming, Set-Cookie
parsing by a real HTTP stack), not a mocked transport. Starting uvicorn per
test costs ~0.3 s in shutdown alone, so one server runs for the whole session
in its own thread and event loop, and each test mounts the ASGI app it wants
served (:meth:`LiveServer.mount`). Running in another thread also keeps the
server independent of pytest-asyncio's per-test event loops.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

START_TIMEOUT_S = 10.0


async def not_mounted(scope: Scope, receive: Receive, send: Send) -> None:
    """The app between tests: every request is an error, so a stray one is noticed."""
    if scope["type"] != "http":
        return
    await send_bytes(send, 503, b"no app mounted", content_type=b"text/plain")


async def send_bytes(
    send: Send,
    status: int,
    body: bytes,
    *,
    content_type: bytes = b"application/json",
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Send one complete response (with a Content-Length)."""
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    headers += extra_headers or []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> bytes:
    """The whole request body."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


class LiveServer:
    """uvicorn on 127.0.0.1:<random port>, serving whatever app is mounted right now."""

    def __init__(self) -> None:
        self._app: AsgiApp = not_mounted
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted sockets only
        # when the listening socket says TCP; with proto 0 every reply waits ~40 ms
        # for a delayed ACK (Nagle).
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self._dispatch,
            lifespan="off",
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
            loop="asyncio",
            interface="asgi3",
            proxy_headers=False,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="client-tests-uvicorn", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=START_TIMEOUT_S)
        self._socket.close()

    def mount(self, app: AsgiApp) -> str:
        """Serve ``app`` from now on; returns the server's base URL."""
        self._app = app
        return self.base_url

    def unmount(self) -> None:
        self._app = not_mounted
