"""Read a reply body without ever holding more than the cap in memory.

A setAuthState reply is a few kilobytes. Anything over the cap (1 MiB by
default) is a misrouted endpoint or a hostile server, and must cost us at most
the cap, not the whole body: the body is read chunk by chunk and the connection
is dropped as soon as the cap is passed. A declared Content-Length over the cap
fails before a single body byte is read.

Compressed bodies are decompressed here, bounded, instead of by httpx: httpx
inflates each network chunk whole, so a 64 KiB gzip chunk could turn into
64 MiB at once. Only the encodings we advertise (gzip, deflate) are accepted.
"""

from __future__ import annotations

import zlib
from typing import Final

import httpx

from .errors import ProtocolError

ACCEPT_ENCODING: Final = "gzip, deflate"


class _TooLarge(Exception):
    """The body passed the cap (turned into a ProtocolError by :func:`read_capped`)."""


class _Undecodable(Exception):
    """The body's Content-Encoding is unsupported or its data corrupt."""


class _Inflater:
    """Bounded gzip/deflate decoding (deflate may come zlib-wrapped or raw, as in httpx)."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        wbits = zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate ``data``, producing at most ``room + 1`` bytes (one more proves the overflow)."""
        # max(..., 0): a max_length of 0 would mean "unlimited" to zlib.
        limit = max(room, 0) + 1
        try:
            out = self._inflater.decompress(data, limit)
        except zlib.error:
            if self._encoding != "deflate" or self._started:
                raise
            # Some servers send raw deflate without the zlib wrapper.
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflater.decompress(data, limit)
        self._started = True
        return out

    def finish(self, room: int) -> bytes:
        return self._inflater.flush(max(room, 0) + 1)


async def read_capped(response: httpx.Response, *, cap: int, method: str) -> bytes:
    """The decoded body of a streamed response, or ProtocolError when it is over ``cap`` bytes."""
    too_large = ProtocolError(
        f"{method}: the reply is larger than the {_size(cap)} limit",
        reason="too_large",
        http_status=response.status_code,
        method=method,
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap and not _encodings(response):
        raise too_large
    try:
        return await _read(response, cap)
    except _TooLarge:
        raise too_large from None
    except _Undecodable as exc:
        raise ProtocolError(
            f"{method}: the reply's body cannot be decoded ({exc})",
            reason="decoding",
            http_status=response.status_code,
            method=method,
        ) from None


async def _read(response: httpx.Response, cap: int) -> bytes:
    encodings = _encodings(response)
    if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "deflate")):
        raise _Undecodable(f"unsupported Content-Encoding {', '.join(encodings)!r}")
    inflater = _Inflater(encodings[0]) if encodings else None
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            body += inflater.feed(chunk, cap - len(body)) if inflater else chunk
            if len(body) > cap:
                raise _TooLarge
        if inflater:
            body += inflater.finish(cap - len(body))
    except zlib.error as exc:
        raise _Undecodable(f"corrupt {encodings[0]} data") from exc
    if len(body) > cap:
        raise _TooLarge
    return bytes(body)


def _encodings(response: httpx.Response) -> list[str]:
    raw = response.headers.get("content-encoding", "")
    names = (part.strip().lower() for part in raw.split(","))
    return ["gzip" if e == "x-gzip" else e for e in names if e and e != "identity"]


def _size(n: int) -> str:
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"
