"""What the person's browser reports about a setAuthState call it made, as an AuthState or typed error.

In browser session mode (``Authenticator(..., session="browser")``) the call is
a ``fetch`` in the browser (``assets/authenticator.js``, ``rpc``), so the
backend's session cookie is kept by the browser for the backend's own site.
The browser reports plain data: ``{status, contentType, body}`` for a reply,
``{status, contentType, tooLarge: true}`` for one over the cap, ``{failure,
detail}`` when no reply arrived. This module holds that report to exactly the
rules the server-side transport applies (``jsonrpc.decode_reply``), so the
machine sees the same typed errors whichever side made the call. A browser
cannot tell a refused connection from a CORS refusal (both reject ``fetch``
with a TypeError): both are ``network`` failures.
"""

from __future__ import annotations

from typing import Final

from ..state_machine.protocol import AuthState
from .errors import ProtocolError, TransportError, TransportErrorKind
from .jsonrpc import decode_reply

_DETAIL_CHARS: Final = 160


def auth_state_from_browser(
    answer: object, *, method: str, request_id: int, url: str, max_bytes: int
) -> AuthState:
    """The AuthState the browser's reply carries, or the TransportError/ProtocolError/RpcError it amounts to.

    ``answer`` is None when the page went away before the browser answered.
    """
    if not isinstance(answer, dict):
        raise TransportError(
            f"{method}: the browser did not report on the call to {url}", kind="network", method=method
        )
    failure = answer.get("failure")
    if failure is not None:
        kind: TransportErrorKind = "read_timeout" if failure == "read_timeout" else "network"
        detail = str(answer.get("detail") or "")[:_DETAIL_CHARS]
        phrase = (
            "did not answer in time" if kind == "read_timeout" else "could not be reached from the browser"
        )
        raise TransportError(
            f"{method}: the auth server at {url} {phrase}{f' ({detail})' if detail else ''}",
            kind=kind,
            method=method,
        )
    status = answer.get("status")
    if type(status) is not int:
        raise TransportError(
            f"{method}: the browser's report on {url} carries no status", kind="network", method=method
        )
    if answer.get("tooLarge") is True:
        raise ProtocolError(
            f"{method}: the reply is larger than the {max_bytes} bytes limit",
            reason="too_large",
            http_status=status,
            method=method,
        )
    body = answer.get("body")
    content = body.encode("utf-8", errors="replace") if isinstance(body, str) else b""
    if len(content) > max_bytes:  # a browser that ignored the cap it was given
        raise ProtocolError(
            f"{method}: the reply is larger than the {max_bytes} bytes limit",
            reason="too_large",
            http_status=status,
            method=method,
        )
    content_type = answer.get("contentType")
    return decode_reply(
        content,
        method=method,
        request_id=request_id,
        status=status,
        content_type=content_type if isinstance(content_type, str) else "",
    )
