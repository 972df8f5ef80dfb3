"""The JSON bytes of every reply, written by one encoder, and replies put together from bytes made once.

Why a module for three functions: serialising was a fifth of a signed-in
``getAuthState`` (issue 15 profile), so the hot replies are serialised once and
reused as bytes (``reply_cache.py``), and the bytes that are put together must
be exactly those :func:`encode` would write for the whole reply. Keeping the
encoder and the assembly side by side keeps that promise in one place (the
tests compare the two, byte for byte).

One ``JSONEncoder`` made once: ``json.dumps`` with any option builds a new
encoder per call. ASCII escapes keep a body valid UTF-8 even when a request
smuggled in a lone surrogate; NaN and Infinity, which JavaScript's
``JSON.parse`` refuses, are an error.
"""

from __future__ import annotations

import json
from typing import Any, Final

from ..state_machine.protocol import JSONRPC_VERSION

_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
_RESULT_HEAD: Final = b'{"jsonrpc":"' + JSONRPC_VERSION.encode("ascii") + b'","result":'


def encode(payload: Any) -> bytes:
    """``payload`` as the compact, ASCII-only JSON every reply is written in."""
    text: str = _ENCODER.encode(payload)
    return text.encode("ascii")


def result_body(result: bytes, call_id: str | int | float | None) -> bytes:
    """The envelope of a successful call around a result already encoded by :func:`encode`.

    The same bytes as ``encode(rpc.result_envelope(result_object, call_id))``.
    """
    # An integer id (what clients send) is its own JSON; anything else goes through the encoder.
    id_json = str(call_id).encode("ascii") if type(call_id) is int else encode(call_id)
    return _RESULT_HEAD + result + b',"id":' + id_json + b"}"
