"""One request to the JSON-RPC endpoint and its answer, in plain ASGI.

Why not Starlette's ``Request`` and ``Response`` here: the endpoint reads a
handful of headers and three cookies and answers JSON, and Starlette's objects
(a request wrapper and an exception wrapper per call, header lookups that scan
and decode the whole header list on each ``get``, a response object) were a
fifth of a signed-in ``getAuthState`` once the reply itself was cheap (issue 15
profile). The rest of the app (routing, CORS, the health check) stays Starlette,
but a POST to the endpoint skips Starlette's middleware (``RpcFirstStarlette``).

What is read is read as Starlette reads it: the first header of a name (ASGI
names arrive in lower case), cookies by Starlette's own ``cookie_parser``. The
answer carries the headers a Starlette ``Response`` would, in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, cookie_parser
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

_JSON_HEADERS: Final = ((b"cache-control", b"no-store"),)


class Exchange:
    """The request as the endpoint reads it, and the one answer it sends."""

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self._receive = receive
        self._send = send
        self.method: str = scope["method"]
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            key = name.decode("latin-1")
            if key not in headers:  # the first of a name, as Starlette's ``Headers.get``
                headers[key] = value.decode("latin-1")
        self.headers = headers
        client = scope.get("client")
        self.peer: str | None = client[0] if client else None
        self.scheme: str = scope.get("scheme", "http")

    @property
    def cookies(self) -> dict[str, str]:
        """Parsed on each read (the endpoint reads them once: a cached property's lock cost more)."""
        return cookie_parser(self.headers.get("cookie", ""))

    async def body(self, limit: int) -> bytes | None:
        """The body, or None when it exceeds ``limit`` (declared or actually sent).

        Raises ``ClientDisconnect`` when the client went away before sending it all.
        """
        declared = self.headers.get("content-length", "")
        if declared.isdigit() and (len(declared) > 18 or int(declared) > limit):
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect()
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def send_response(self, response: Response) -> None:
        """Answer with a Starlette response (the rare answers that are not JSON-RPC)."""
        await response(self.scope, self._receive, self._send)

    async def send_json(self, body: bytes, status: int = 200, cookies: Iterable[str] = ()) -> None:
        """Answer with ``body`` (JSON, never cached) and a ``Set-Cookie`` header per entry of ``cookies``."""
        headers = [
            *_JSON_HEADERS,
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"content-type", b"application/json"),
            *((b"set-cookie", cookie.encode("latin-1")) for cookie in cookies),
        ]
        await self._send({"type": "http.response.start", "status": status, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})


class RpcFirstStarlette(Starlette):
    """A Starlette app that hands a POST to the JSON-RPC path straight to its endpoint.

    Why: for that one request Starlette's error and exception middleware and its
    router have nothing to do (the endpoint answers every failure itself, as
    JSON-RPC), yet they were a twentieth of a signed-in ``getAuthState`` (issue 15
    profile). Every other request (other paths and methods, a ``root_path``,
    lifespan) takes Starlette's way, and so does every request once the app has
    middleware of its own (``add_middleware``), which must see them all.
    """

    def __init__(self, routes: Sequence[BaseRoute], *, rpc_path: str, rpc_endpoint: ASGIApp) -> None:
        super().__init__(routes=routes)
        self._rpc_path = rpc_path
        self._rpc_endpoint = rpc_endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == self._rpc_path
            and not scope.get("root_path")
            and not self.user_middleware
        ):
            scope["app"] = self
            await self._rpc_endpoint(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)
