"""The JSON-RPC 2.0 envelope, with the AWS Blocks servers' codes and messages.

Everything a client can get wrong about the envelope is answered here with
the recorded wording (``basic_errors_and_protocol_edges.jsonl``): -32700 for a
body that is not JSON, -32600 for anything that is not one JSON-RPC 2.0 call
(batches included), -32601 for an unknown namespace or method, -32602 for
params that are neither array nor object. Object params are accepted and read
like JavaScript's ``Object.values`` (step 8). A call without ``id`` is
answered with ``id: null`` (no notification semantics, step 10).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..state_machine.protocol import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    JSONRPC_VERSION,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    RpcErrorData,
    RpcErrorObject,
)

GET_AUTH_STATE: Final = "getAuthState"
SET_AUTH_STATE: Final = "setAuthState"
METHODS: Final = (GET_AUTH_STATE, SET_AUTH_STATE)
PAYLOAD_TOO_LARGE: Final = 413
FORBIDDEN: Final = 403

JsonId = str | int | float | None

_INVALID_REQUEST_MESSAGE: Final = 'Invalid Request: expected JSON-RPC 2.0 — {"jsonrpc":"2.0","method":"namespace.method","params":[...],"id":1}'


class RpcFailure(Exception):
    """An envelope-level error, answered as a JSON-RPC ``error`` object."""

    def __init__(self, code: int, message: str, call_id: JsonId = None, name: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.call_id = call_id
        self.name = name

    def envelope(self) -> dict[str, Any]:
        return error_envelope(self.code, self.message, self.call_id, self.name)


@dataclass(frozen=True)
class Call:
    method: str  # getAuthState, setAuthState, or an app method's full name
    args: list[Any]
    call_id: JsonId


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity, which JavaScript's JSON.parse refuses


# Made once: ``json.loads`` with any option builds a new decoder on every call.
_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant)


def parse_call(body: bytes, namespace: str, app_methods: Sequence[str] = ()) -> Call:
    """The one call ``body`` holds; ``app_methods`` are the app's own full names (``api.getProfile``).

    An auth call's ``method`` is the bare verb (``getAuthState``); an app call's is its full name.
    """
    try:
        text = body.decode("utf-8")
        if text.startswith("\ufeff"):  # as ``json.loads`` refuses a byte order mark
            raise ValueError("a byte order mark is not JSON")
        envelope = _DECODER.decode(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RpcFailure(PARSE_ERROR, "Parse error") from None
    if not isinstance(envelope, dict):
        raise RpcFailure(INVALID_REQUEST, _INVALID_REQUEST_MESSAGE, None, "InvalidRequest")
    call_id = envelope.get("id")
    if (
        isinstance(call_id, bool)
        or not isinstance(call_id, str | int | float | None)
        or (isinstance(call_id, float) and not math.isfinite(call_id))
    ):
        raise RpcFailure(INVALID_REQUEST, _INVALID_REQUEST_MESSAGE, None, "InvalidRequest")
    method = envelope.get("method")
    if envelope.get("jsonrpc") != JSONRPC_VERSION or not isinstance(method, str):
        raise RpcFailure(INVALID_REQUEST, _INVALID_REQUEST_MESSAGE, call_id, "InvalidRequest")
    params = envelope.get("params", [])
    if not isinstance(params, list | dict):
        raise RpcFailure(
            INVALID_PARAMS, "Invalid params: expected an array or object", call_id, "InvalidParams"
        )
    api, _, name = method.partition(".")
    args = list(params.values()) if isinstance(params, dict) else params
    if method in app_methods:
        return Call(method, args, call_id)
    if api == namespace and name in METHODS:
        return Call(name, args, call_id)
    apis = list(dict.fromkeys([namespace, *(m.partition(".")[0] for m in app_methods)]))
    if api not in apis:
        available = ", ".join(apis)
        raise RpcFailure(
            METHOD_NOT_FOUND, f"Method not found: API '{api}' not found. Available: {available}", call_id
        )
    raise RpcFailure(METHOD_NOT_FOUND, f"Method not found: '{name}' on API '{api}'", call_id)


def action_of(call: Call) -> tuple[str, dict[str, Any]]:
    """``setAuthState``'s one flat object: its ``action`` and the object itself."""
    first = call.args[0] if call.args else None
    if not isinstance(first, dict) or not isinstance(first.get("action"), str):
        raise RpcFailure(
            INVALID_PARAMS,
            "Invalid params: setAuthState expects one object with an action",
            call.call_id,
            "InvalidParams",
        )
    return first["action"], first


def result_envelope(result: Any, call_id: JsonId) -> dict[str, Any]:
    return {"jsonrpc": JSONRPC_VERSION, "result": result, "id": call_id}


def error_envelope(code: int, message: str, call_id: JsonId, name: str | None = None) -> dict[str, Any]:
    data = RpcErrorData(name=name) if name else None
    error = RpcErrorObject(code=code, message=message, data=data)
    return {"jsonrpc": JSONRPC_VERSION, "error": error.to_wire(), "id": call_id}


def internal_error(call_id: JsonId) -> dict[str, Any]:
    """A handler crashed: say so generically; the details stay in the server log."""
    return error_envelope(INTERNAL_ERROR, "Internal error", call_id, "InternalError")


def forbidden(reason: str) -> dict[str, Any]:
    """A request another site's page may have made: refused before it is even parsed."""
    return error_envelope(FORBIDDEN, f"Forbidden: {reason}", None, "Forbidden")


def too_large() -> dict[str, Any]:
    return error_envelope(PAYLOAD_TOO_LARGE, "Payload too large", None, "PayloadTooLarge")
