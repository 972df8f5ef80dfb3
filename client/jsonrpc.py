"""JSON-RPC 2.0 as the AWS Blocks servers speak it: bytes in, AuthState or a typed error out.

No I/O here, so every rule is testable with plain bytes (and fuzzed in
``tests/client/test_client_jsonrpc.py``). The wire shape is the recorded one
(``fixtures/aws-blocks/*.jsonl``)::

    {"jsonrpc":"2.0","method":"authApi.setAuthState","params":[{"action":"signIn",...}],"id":2}
    {"jsonrpc":"2.0","result":{"state":"signedOut","actions":[...]},"id":2}
    {"jsonrpc":"2.0","error":{"code":401,"message":"...","data":{"name":"..."}},"id":2}

Decoding is strict about the envelope (it is what tells a real setAuthState
server from a misrouted proxy) and lenient about the AuthState inside it (the
wire models keep unknown keys and states; a missing ``actions`` means none).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import JsonValue, ValidationError

from ..state_machine.protocol import JSONRPC_VERSION, AuthState, parse_auth_state
from .errors import ProtocolError, ProtocolErrorReason, RpcError

EXCERPT_CHARS: Final = 60
_UNPRINTABLE: Final = re.compile(r"[^\x20-\x7e\u00a0-\uffff]+")
_SPACES: Final = re.compile(r"\s+")


def encode_request(method: str, params: list[JsonValue], request_id: int) -> bytes:
    """The request body, keys in the recorded order (jsonrpc, method, params, id).

    Raises TypeError/ValueError for a payload that JSON cannot carry (NaN,
    arbitrary objects): strict in what we produce.
    """
    envelope = {"jsonrpc": JSONRPC_VERSION, "method": method, "params": params, "id": request_id}
    return json.dumps(envelope, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def set_auth_state_params(payload: Mapping[str, JsonValue]) -> list[JsonValue]:
    """``params`` for setAuthState: a list holding one flat object that names its ``action``."""
    action = payload.get("action")
    if not isinstance(action, str) or not action:
        raise ValueError("a setAuthState payload needs an 'action' name")
    return [dict(payload)]


def excerpt(body: bytes) -> str:
    """A short, printable, single-line quote of a body that was not JSON, for error messages."""
    text = body[: EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    text = _SPACES.sub(" ", _UNPRINTABLE.sub(" ", text)).strip()
    return repr(text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else ""))


@dataclass(frozen=True, slots=True)
class _Reply:
    """What an error message about one reply needs to say: which call, which HTTP status."""

    method: str
    status: int | None

    @property
    def ok_status(self) -> bool:
        return self.status is None or 200 <= self.status < 300

    def error(self, reason: ProtocolErrorReason, message: str) -> ProtocolError:
        if not self.ok_status and reason != "http_status":
            # A non-2xx status without a JSON-RPC error object: the status is the story.
            reason, message = "http_status", f"HTTP {self.status} and {message}"
        return ProtocolError(
            f"{self.method}: {message}", reason=reason, http_status=self.status, method=self.method
        )


def decode_reply(
    body: bytes, *, method: str, request_id: int, status: int, content_type: str = ""
) -> AuthState:
    """Turn one HTTP reply into the AuthState it carries, or raise the typed error it amounts to.

    ``status`` matters when the body is not a JSON-RPC error object: a non-2xx
    reply must carry one (a 401 with a JSON-RPC error is an :class:`RpcError`,
    an HTML 500 page a :class:`ProtocolError` with reason ``http_status``).
    """
    result = decode_result(
        body, method=method, request_id=request_id, status=status, content_type=content_type
    )
    return auth_state_from_result(result, method=method, http_status=status)


def decode_result(
    body: bytes, *, method: str, request_id: int, status: int, content_type: str = ""
) -> JsonValue:
    """The ``result`` of one JSON-RPC reply, whatever it holds, or the typed error the reply amounts to.

    The envelope rules of :func:`decode_reply` without the AuthState rule: what
    an app's own methods (``api.getProfile``) answer is theirs to define.
    """
    reply_info = _Reply(method, status)
    try:
        reply = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        # Not chained: nothing to add, and JSONDecodeError carries the document.
        kind = f", {content_type}" if content_type else ""
        if not reply_info.ok_status:
            raise reply_info.error(
                "http_status", f"HTTP {status}{kind} instead of a JSON-RPC reply: {excerpt(body)}"
            ) from None
        raise reply_info.error(
            "not_json", f"the reply is not JSON (HTTP {status}{kind}): {excerpt(body)}"
        ) from None

    if not isinstance(reply, dict):
        raise reply_info.error(
            "bad_envelope", f"the reply is a JSON {_json_type(reply)}, not a JSON-RPC object"
        )
    if reply.get("jsonrpc") != JSONRPC_VERSION:
        raise reply_info.error("bad_envelope", 'the reply does not say "jsonrpc": "2.0"')
    if "result" in reply and "error" in reply:
        raise reply_info.error("bad_envelope", "the reply carries both 'result' and 'error'")
    reply_id = reply.get("id")

    if "error" in reply:
        # A parse error is answered before the server knows the id: null is allowed there.
        if reply_id is not None and not _same_id(reply_id, request_id):
            raise _id_mismatch(reply_info, request_id, reply_id)
        raise _rpc_error(reply_info, reply["error"])
    if not reply_info.ok_status:
        raise reply_info.error("http_status", f"HTTP {status} came with a JSON-RPC result, not an error")
    if "result" not in reply:
        raise reply_info.error("missing_result", "the JSON-RPC reply has neither 'result' nor 'error'")
    if not _same_id(reply_id, request_id):
        raise _id_mismatch(reply_info, request_id, reply_id)
    result: JsonValue = reply["result"]
    return result


def auth_state_from_result(result: object, *, method: str, http_status: int | None = None) -> AuthState:
    """Validate a decoded ``result`` as an AuthState: the one rule shared by every AuthStateApi.

    An AuthState needs an object with a non-empty ``state``; everything else is
    lenient (see ``state_machine/protocol.py``). The pydantic error is not
    chained: it quotes its input, which may hold session values.
    """
    reply_info = _Reply(method, http_status)
    if isinstance(result, AuthState):
        state = result
    elif not isinstance(result, dict):
        raise reply_info.error(
            "not_auth_state", f"the result is a JSON {_json_type(result)}, not an AuthState"
        )
    elif "state" not in result:
        raise reply_info.error("not_auth_state", "the result has no 'state', so it is not an AuthState")
    else:
        try:
            state = parse_auth_state(result)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in e['loc']) or 'result'}: {e['msg']}"
                for e in exc.errors(include_input=False, include_url=False)[:3]
            )
            raise reply_info.error(
                "not_auth_state", f"the result is not a valid AuthState ({problems})"
            ) from None
    if not state.state:
        raise reply_info.error("not_auth_state", "the result's 'state' is empty")
    return state


def _rpc_error(reply_info: _Reply, raw: object) -> RpcError | ProtocolError:
    """The typed error for a JSON-RPC ``error`` member; only an integer ``code`` is required."""
    code = raw.get("code") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or type(code) is not int:
        return reply_info.error(
            "bad_envelope", "the JSON-RPC 'error' is not an object with an integer 'code'"
        )
    message = raw.get("message")
    server_message = _UNPRINTABLE.sub(" ", message)[:300] if isinstance(message, str) else ""
    data = raw.get("data")
    name = data.get("name") if isinstance(data, dict) and isinstance(data.get("name"), str) else None
    label = f"{code} {name}" if name else str(code)
    return RpcError(
        f"{reply_info.method} failed: {server_message or 'no message'} ({label})",
        code=code,
        server_message=server_message,
        name=name,
        retriable=isinstance(data, dict) and data.get("retriable") is True,
        response_status=reply_info.status or 200,
        method=reply_info.method,
    )


def _same_id(reply_id: object, request_id: int) -> bool:
    # ``type(...) is int``: JSON true would otherwise equal 1, and 1.0 would pass too.
    return type(reply_id) is int and reply_id == request_id


def _id_mismatch(reply_info: _Reply, expected: int, got: object) -> ProtocolError:
    shown = repr(got) if isinstance(got, int | str) and len(repr(got)) <= 24 else _json_type(got)
    return reply_info.error(
        "id_mismatch", f"the reply's id {shown} does not match the request's id {expected}"
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
