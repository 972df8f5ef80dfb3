"""Typed failures of a setAuthState call.

A caller (the headless driver, the NiceGUI shell) has to tell three things apart,
because each asks for a different screen:

* :class:`TransportError`: no answer at all (refused, DNS, TLS, timeout). The
  server may never have seen the request; "try again" is the honest offer.
* :class:`ProtocolError`: an answer, but not one this protocol allows (HTML
  error page, not JSON, wrong envelope, a result that is not an AuthState, a
  body over the size cap). Usually a misconfigured endpoint or a proxy.
* :class:`RpcError`: a well-formed JSON-RPC ``error`` object. The server
  understood and refused (401 ``NotAuthenticatedException``, -32601, ...).

Messages are written for a person reading a log or an error banner. They never
carry passwords, codes, session values or cookies: at most a short, sanitized
excerpt of a body that was not JSON at all (an HTML error page), and the
server's own JSON-RPC error message. Values that led to a failure (a pydantic
validation error that quotes its input, for instance) are never chained in.
"""

from __future__ import annotations

from typing import Final, Literal

TransportErrorKind = Literal[
    "connect",
    "connect_timeout",
    "read_timeout",
    "write_timeout",
    "pool_timeout",
    "tls",
    "dns",
    "network",
]
"""Why no answer arrived. ``connect`` covers refused and unreachable."""

ProtocolErrorReason = Literal[
    "not_json",
    "bad_envelope",
    "missing_result",
    "id_mismatch",
    "not_auth_state",
    "too_large",
    "http_status",
    "decoding",
]
"""What was wrong with the answer.

``http_status``: the HTTP status was not 2xx and the body was no JSON-RPC error
object (an HTML 500 page, a proxy's 413). ``decoding``: the body's
Content-Encoding could not be decoded. The others name the JSON-RPC layer.
"""

CONNECT_FAILURES: Final[frozenset[TransportErrorKind]] = frozenset({"connect", "connect_timeout"})
"""Kinds that prove the request never reached the server (safe to retry a read)."""


class AuthClientError(Exception):
    """Base of every failure raised by the client layer.

    ``method`` is the JSON-RPC method that failed (``authApi.setAuthState``),
    or None when the failure is not tied to one call.
    """

    def __init__(self, message: str, *, method: str | None = None) -> None:
        super().__init__(message)
        self.method = method

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only attributes would be lost by BaseException's default
        # pickling (which replays ``args``); keep them for multiprocessing/logging.
        return (_rebuild, (type(self), str(self), self.__dict__))


def _rebuild(cls: type[AuthClientError], message: str, state: dict[str, object]) -> AuthClientError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class TransportError(AuthClientError):
    """No usable answer arrived: the network failed before or during the call."""

    def __init__(self, message: str, *, kind: TransportErrorKind, method: str | None = None) -> None:
        super().__init__(message, method=method)
        self.kind: TransportErrorKind = kind

    @property
    def is_timeout(self) -> bool:
        return self.kind.endswith("_timeout")

    @property
    def is_connect_failure(self) -> bool:
        """True when the request surely never reached the server."""
        return self.kind in CONNECT_FAILURES


class ProtocolError(AuthClientError):
    """An answer arrived that the setAuthState protocol does not allow."""

    def __init__(
        self,
        message: str,
        *,
        reason: ProtocolErrorReason,
        http_status: int | None = None,
        method: str | None = None,
    ) -> None:
        super().__init__(message, method=method)
        self.reason: ProtocolErrorReason = reason
        self.http_status = http_status


class RpcError(AuthClientError):
    """The server answered with a JSON-RPC ``error`` object.

    ``code`` is the JSON-RPC code: a positive one is an HTTP status (401, 413),
    a negative one a reserved JSON-RPC code (-32601). ``http_status`` is the
    status the protocol assigns to it (the code itself when it is an HTTP
    status, 500 otherwise, see PROTOCOL.md), and ``response_status`` the status
    line the reply actually came with (the AWS Blocks servers answer 200 for
    everything). ``name`` and ``retriable`` come from ``error.data``.
    """

    def __init__(
        self,
        message: str,
        *,
        code: int,
        server_message: str,
        name: str | None,
        retriable: bool,
        response_status: int,
        method: str | None = None,
    ) -> None:
        super().__init__(message, method=method)
        self.code = code
        self.message = server_message
        self.name = name
        self.retriable = retriable
        self.response_status = response_status

    @property
    def http_status(self) -> int:
        return self.code if 100 <= self.code <= 599 else 500


# -- what an app's own API call can add -------------------------------------------------

NOT_SIGNED_IN_NAMES: Final = frozenset({"SessionExpiredException", "NotAuthenticatedException"})
"""Error names the AWS Blocks servers give a call that needs a session and has none
(AuthBasic: ``basic_signup_confirm_signin_signout.jsonl`` step 11; AuthCognito:
``cognito_opt_errors.jsonl`` step 5). Both come with code 401 and HTTP status 200."""


class NotSignedIn(RpcError):
    """The call needs a signed-in person and this session has none (any more).

    Raised by :meth:`AuthClient.call` for a JSON-RPC error with code 401 or one
    of :data:`NOT_SIGNED_IN_NAMES`, and for an HTTP 401 without a JSON-RPC body.
    The UI treats it as "signed out": the session expired or was revoked.
    """


class Forbidden(RpcError):
    """The person is signed in but may not make this call (code or HTTP status 403): a missing group."""


def app_call_error(error: AuthClientError) -> AuthClientError:
    """The error an app call raises for ``error``: NotSignedIn/Forbidden where they apply.

    Only app calls are typed this way. For ``setAuthState`` a 401 is part of a
    flow (``autoSignIn`` without a bridge), not a verdict on the session.
    """
    if isinstance(error, RpcError):
        if error.code == 401 or error.name in NOT_SIGNED_IN_NAMES:
            kind: type[RpcError] = NotSignedIn
        elif error.code == 403:
            kind = Forbidden
        else:
            return error
        return kind(
            str(error),
            code=error.code,
            server_message=error.message,
            name=error.name,
            retriable=error.retriable,
            response_status=error.response_status,
            method=error.method,
        )
    if isinstance(error, ProtocolError) and error.http_status in (401, 403):
        kind = NotSignedIn if error.http_status == 401 else Forbidden
        return kind(
            str(error),
            code=error.http_status,
            server_message="",
            name=None,
            retriable=False,
            response_status=error.http_status,
            method=error.method,
        )
    return error
