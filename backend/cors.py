"""Cross-origin calls from an allow-list of web apps, and nothing for anyone else.

A web app on another origin (``https://app.example.com`` calling the backend
at ``https://auth.example.com``) needs the browser's permission to send the
session cookie (``credentials: "include"``) and to read the reply. That
permission is CORS: an allowed origin gets ``Access-Control-Allow-Origin``
naming it, ``Access-Control-Allow-Credentials: true``, and an answered
preflight. Starlette's ``CORSMiddleware`` speaks the protocol; this gate only
decides who reaches it. A request from any other origin (or none) goes straight
to the endpoint and gets no ``Access-Control-*`` header at all, not even the
ones ``CORSMiddleware`` adds to a refused preflight, so nothing suggests a
policy to an origin that is not in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# What the recorded AWS Blocks servers allow (every ``*.jsonl`` reply's headers).
ALLOWED_METHODS: Final = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
ALLOWED_HEADERS: Final = ("Content-Type",)
PREFLIGHT_MAX_AGE: Final = 7200


def check_origin(origin: str) -> str:
    """``origin`` as browsers send it (``scheme://host[:port]``, lower case), or ValueError."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"a CORS origin is http(s)://host[:port], not {origin!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"a CORS origin has no path, query or credentials: {origin!r}")
    port = f":{parts.port}" if parts.port is not None else ""
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}{port}".lower()


class CorsGate:
    """Send requests from ``origins`` through ``CORSMiddleware``; everything else past it, untouched."""

    def __init__(self, app: ASGIApp, origins: Iterable[str]) -> None:
        self._app = app
        self._origins = frozenset(check_origin(o) for o in origins)
        self._cors = CORSMiddleware(
            app,
            allow_origins=sorted(self._origins),
            allow_credentials=True,
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            max_age=PREFLIGHT_MAX_AGE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._origins and _origin_of(scope) in self._origins:
            await self._cors(scope, receive, send)
        else:
            await self._app(scope, receive, send)


def _origin_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"origin":
            return str(value.decode("latin-1"))
    return None
