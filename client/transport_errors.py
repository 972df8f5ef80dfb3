"""Translate httpx's exceptions into :class:`TransportError` with a precise ``kind``.

httpx reports a refused connection, an unknown host and a failed TLS handshake
all as ``httpx.ConnectError``; the cause chain (``socket.gaierror``,
``ssl.SSLError``, ``ConnectionRefusedError``) is what tells them apart, and a
person fixing the configuration needs to know which one it was.
"""

from __future__ import annotations

import socket
import ssl
from typing import Final

import httpx

from .errors import TransportError, TransportErrorKind

_TIMEOUT_KINDS: Final[dict[type[httpx.TimeoutException], TransportErrorKind]] = {
    httpx.ConnectTimeout: "connect_timeout",
    httpx.ReadTimeout: "read_timeout",
    httpx.WriteTimeout: "write_timeout",
    httpx.PoolTimeout: "pool_timeout",
}

_PHRASES: Final[dict[TransportErrorKind, str]] = {
    "connect": "could not connect to the auth server at {url}{detail}",
    "connect_timeout": "the auth server at {url} did not accept the connection in time{detail}",
    "read_timeout": "the auth server at {url} did not answer in time{detail}",
    "write_timeout": "the request to the auth server at {url} could not be sent in time{detail}",
    "pool_timeout": "no connection to the auth server at {url} became free in time{detail}",
    "tls": "the TLS handshake with the auth server at {url} failed{detail}",
    "dns": "the auth server's host name {host!r} could not be resolved{detail}",
    "network": "the connection to the auth server at {url} broke{detail}",
}


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 16:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def classify(exc: httpx.TransportError) -> tuple[TransportErrorKind, str]:
    """The kind of failure and a short detail (the OS's or TLS library's reason)."""
    for timeout_type, kind in _TIMEOUT_KINDS.items():
        if isinstance(exc, timeout_type):
            return kind, ""
    chain = _causes(exc)
    if isinstance(exc, httpx.ConnectError):
        for cause in chain:
            if isinstance(cause, socket.gaierror):
                return "dns", ""
            if isinstance(cause, ssl.SSLError):
                return "tls", getattr(cause, "reason", None) or type(cause).__name__
            if isinstance(cause, ConnectionRefusedError):
                return "connect", "connection refused"
        return "connect", str(exc)[:120]
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            return "tls", getattr(cause, "reason", None) or type(cause).__name__
    return "network", str(exc)[:120] or type(exc).__name__


def transport_error(
    exc: httpx.TransportError, *, url: str, host: str, method: str, timeout: httpx.Timeout
) -> TransportError:
    """The :class:`TransportError` for an httpx failure; ``url`` must already be safe to show."""
    kind, detail = classify(exc)
    if kind in _TIMEOUT_KINDS.values():
        limit = getattr(timeout, kind.removesuffix("_timeout"))
        detail = f"limit {limit:g} s" if isinstance(limit, int | float) else detail
    text = _PHRASES[kind].format(url=url, host=host, detail=f" ({detail})" if detail else "")
    return TransportError(f"{method}: {text}", kind=kind, method=method)
