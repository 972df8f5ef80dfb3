"""AuthClient: the setAuthState protocol over HTTP, one cookie jar per end user.

This is the only module in the project that opens sockets. Each call is one
JSON-RPC POST exactly as the AWS Blocks servers record it (``jsonrpc.py``),
carrying the caller's :class:`CookieSession` and nothing else: httpx's own
client-wide cookie store is replaced by an inert one, because with one
connection pool serving many people, a shared jar would hand one person's
session to the next (``for_session`` is how a UI serves many users from one
pool).

Failure policy, and why:

* ``setAuthState`` is never retried: it is not idempotent (a confirmation code
  is consumed, a sign-up creates a user) and a retry after a lost reply could
  act twice.
* ``getAuthState`` is retried once, and only when the connection was never
  made (refused, connect timeout), so the server surely never saw the first try.
* Bodies are streamed and capped (``body.py``); Set-Cookie is honoured before
  the body is judged, as a browser does.

Logging: one DEBUG record per call with the method, request id, action name,
outcome (state or error kind) and duration. Payloads, bodies, cookies and
header values are never logged; ``redaction.py`` also scrubs the records httpx
and httpcore write below us.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookiejar import Cookie, CookieJar
from types import TracebackType
from typing import Any, Final, Self

import httpx
from pydantic import JsonValue

from ..state_machine.protocol import AuthState
from .body import ACCEPT_ENCODING, read_capped
from .call_log import log_call, outcome_of_error
from .cookies import CookieSession
from .errors import AuthClientError, NotSignedIn, TransportError, app_call_error
from .jsonrpc import auth_state_from_result, decode_result, encode_request, set_auth_state_params
from .redaction import install_log_redaction, safe_url
from .transport_errors import transport_error
from .visitor_hop import HEADER as VISITOR_HEADER
from .visitor_hop import sign_visitor

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT: Final = httpx.Timeout(10.0, connect=5.0)
DEFAULT_MAX_RESPONSE_BYTES: Final = 1024 * 1024
# A pause before the single getAuthState retry: long enough for a restarting
# server to come back or a dropped SYN to stop mattering, short enough not to show.
CONNECT_RETRY_DELAY: Final = 0.2

NotSignedInHook = Callable[[NotSignedIn], None]


class _InertCookieJar(CookieJar):
    """httpx's client-wide jar, made unable to store or send anything."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None

    def set_cookie(self, cookie: Cookie) -> None:
        return None

    def add_cookie_header(self, request: Any) -> None:
        return None


@dataclass(frozen=True, slots=True)
class _Shared:
    """What an AuthClient and its ``for_session`` siblings have in common."""

    http: httpx.AsyncClient
    url: httpx.URL
    cookie_url: str  # the endpoint as cookie rules see it
    shown_url: str  # the endpoint as logs and messages may show it
    get_method: str
    set_method: str
    headers: tuple[tuple[bytes, bytes], ...]
    timeout: httpx.Timeout
    max_response_bytes: int
    retry_delay: float
    visitor_hop_secret: str | None


class AuthClient:
    """Speak setAuthState JSON-RPC to ``endpoint`` on behalf of one end user.

    :param endpoint: the JSON-RPC URL, e.g. ``https://app.example.com/aws-blocks/api``.
    :param namespace: the exported API name (``authApi``; the building block itself uses ``auth``).
    :param session: the end user's cookie jar; a fresh one when omitted (see :attr:`session`).
    :param timeout: seconds or an ``httpx.Timeout``; connect and read limits are reported separately.
    :param headers: extra headers for every call (a gateway key, say). Never logged. Not ``Cookie``.
    :param transport: an httpx transport: ``httpx.ASGITransport(app)`` to reach an app in-process,
        ``httpx.AsyncHTTPTransport(verify=...)`` for a private CA. Proxies come from the environment.
    :param max_response_bytes: replies larger than this fail with ``ProtocolError(reason="too_large")``.
    :param limits: connection pool limits, for a UI serving many people through :meth:`for_session`
        (ignored when ``transport`` is given: the transport owns its pool).
    :param visitor_hop_secret: shared with the backend; ``for_session(..., visitor_address=...)``
        then signs each call with the end user's address, so the backend's per-address limits
        apply per visitor rather than to this server (``client.visitor_hop``).

    Use as ``async with AuthClient(...) as client:``, or call :meth:`aclose`.
    """

    def __init__(
        self,
        endpoint: str,
        namespace: str = "authApi",
        *,
        session: CookieSession | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        limits: httpx.Limits | None = None,
        visitor_hop_secret: str | None = None,
    ) -> None:
        url = httpx.URL(endpoint)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError("endpoint must be an absolute http:// or https:// URL")
        if not namespace or any(c.isspace() for c in namespace):
            raise ValueError("namespace must be a non-empty name without spaces")
        if max_response_bytes < 1:
            raise ValueError("max_response_bytes must be positive")
        if any(name.lower() == "cookie" for name in headers or {}):
            raise ValueError("cookies belong in the CookieSession, not in headers")
        install_log_redaction()
        http = httpx.AsyncClient(
            timeout=timeout,
            transport=transport,
            limits=limits or httpx.Limits(max_connections=100, max_keepalive_connections=20),
            cookies=_InertCookieJar(),
            follow_redirects=False,
        )
        base = httpx.Headers(
            {
                "accept": "application/json",
                "accept-encoding": ACCEPT_ENCODING,
                "user-agent": f"nicegui-authenticator python-httpx/{httpx.__version__}",
            }
        )
        base.update(headers or {})
        base["content-type"] = "application/json"
        self._shared = _Shared(
            http=http,
            url=url,
            cookie_url=str(url),
            shown_url=safe_url(str(url)),
            get_method=f"{namespace}.getAuthState",
            set_method=f"{namespace}.setAuthState",
            headers=tuple(base.raw),
            timeout=http.timeout,
            max_response_bytes=max_response_bytes,
            retry_delay=CONNECT_RETRY_DELAY,
            visitor_hop_secret=visitor_hop_secret,
        )
        self._session = session if session is not None else CookieSession()
        self._visitor_address: str | None = None
        self._ids = itertools.count(1)
        self._owner = True
        self._closed = False
        self._on_not_signed_in: NotSignedInHook | None = None

    @classmethod
    def _sibling(
        cls,
        shared: _Shared,
        session: CookieSession,
        on_not_signed_in: NotSignedInHook | None = None,
        visitor_address: str | None = None,
    ) -> AuthClient:
        client = cls.__new__(cls)
        client._shared = shared
        client._session = session
        client._visitor_address = visitor_address
        client._ids = itertools.count(1)
        client._owner = False
        client._closed = False
        client._on_not_signed_in = on_not_signed_in
        return client

    def for_session(
        self,
        session: CookieSession,
        *,
        on_not_signed_in: NotSignedInHook | None = None,
        visitor_address: str | None = None,
    ) -> AuthClient:
        """A client for another end user, sharing this one's connection pool.

        ``visitor_address`` (with ``visitor_hop_secret``) is that user's address, told to the backend.
        Closing the sibling does not close the pool; closing the client that
        created the pool does, for every sibling. ``on_not_signed_in`` is told
        of every :class:`~.errors.NotSignedIn` the sibling's :meth:`call` raises
        (before it is raised): how a UI learns that a session it showed as
        signed in has ended on the server.
        """
        return AuthClient._sibling(self._shared, session, on_not_signed_in, visitor_address)

    @property
    def session(self) -> CookieSession:
        """This end user's cookie jar (serialize it with ``to_json`` to keep it per browser)."""
        return self._session

    @property
    def endpoint(self) -> str:
        """The endpoint without credentials or query, as shown in logs and errors."""
        return self._shared.shown_url

    @property
    def max_response_bytes(self) -> int:
        """The reply size cap (a shell that makes the calls elsewhere applies the same one)."""
        return self._shared.max_response_bytes

    @property
    def namespace(self) -> str:
        """The exported API name the auth calls go to (``authApi``)."""
        return self._shared.get_method.rpartition(".")[0]

    @property
    def is_closed(self) -> bool:
        return self._closed or self._shared.http.is_closed

    # -- the AuthStateApi ------------------------------------------------------

    async def get_auth_state(self) -> AuthState:
        """The current AuthState of this session (may set or clear cookies, fixture README item 8)."""
        method = self._shared.get_method
        try:
            return await self._call(method, [], action=None)
        except TransportError as exc:
            if not exc.is_connect_failure:
                raise
            logger.info("%s: retrying once after a connect failure (%s)", method, exc.kind)
        await asyncio.sleep(self._shared.retry_delay)
        return await self._call(method, [], action=None)

    async def set_auth_state(self, payload: Mapping[str, JsonValue]) -> AuthState:
        """Submit one action (``{"action": "signIn", "username": ..., ...}``); never retried."""
        params = set_auth_state_params(payload)
        return await self._call(self._shared.set_method, params, action=str(payload["action"]))

    # -- the app's own API, as this person ------------------------------------------

    async def call(self, method: str, *params: JsonValue) -> JsonValue:
        """Call any JSON-RPC method on this endpoint (``"api.getProfile"``) with this session's cookies.

        Returns the reply's ``result`` as decoded JSON. Raises
        :class:`~.errors.NotSignedIn` when the server wants a session this jar
        does not hold (code or HTTP status 401, ``SessionExpiredException``,
        ``NotAuthenticatedException``), :class:`~.errors.Forbidden` for 403,
        :class:`~.errors.RpcError` for any other JSON-RPC error, and the usual
        TransportError/ProtocolError. Never retried: whether an app's method is
        safe to repeat is the app's business. Cookies the reply sets are kept,
        and the reply is capped like every other.
        """
        if not method or any(c.isspace() for c in method):
            raise ValueError("method must be a non-empty JSON-RPC method name without spaces")
        if self.is_closed:
            raise RuntimeError("this AuthClient is closed")
        request_id = next(self._ids)
        body = encode_request(method, list(params), request_id)
        started = time.perf_counter()
        try:
            result, _ = await self._exchange(method, request_id, body)
        except AuthClientError as exc:
            typed = app_call_error(exc)
            log_call(method, request_id, None, outcome_of_error(typed), started)
            if isinstance(typed, NotSignedIn) and self._on_not_signed_in is not None:
                self._on_not_signed_in(typed)
            if typed is exc:
                raise
            raise typed from None
        log_call(method, request_id, None, "result", started)
        return result

    # -- one JSON-RPC call -------------------------------------------------------

    async def _call(self, method: str, params: list[JsonValue], *, action: str | None) -> AuthState:
        if self.is_closed:
            raise RuntimeError("this AuthClient is closed")
        request_id = next(self._ids)
        body = encode_request(method, params, request_id)
        started = time.perf_counter()
        try:
            result, status = await self._exchange(method, request_id, body)
            state = auth_state_from_result(result, method=method, http_status=status)
        except AuthClientError as exc:
            log_call(method, request_id, action, outcome_of_error(exc), started)
            raise
        outcome = state.state + (f" error={state.error_name or 'unnamed'}" if state.error else "")
        log_call(method, request_id, action, outcome, started)
        return state

    async def _exchange(self, method: str, request_id: int, body: bytes) -> tuple[JsonValue, int]:
        """One POST with this session's cookies: the reply's ``result`` and HTTP status, or a typed error."""
        shared = self._shared
        headers = list(shared.headers)
        cookie = self._session.header_for(shared.cookie_url)
        if cookie is not None:
            headers.append((b"cookie", cookie.encode("latin-1", errors="replace")))
        if shared.visitor_hop_secret and self._visitor_address:
            told = sign_visitor(shared.visitor_hop_secret, self._visitor_address, time.time())
            headers.append((VISITOR_HEADER.lower().encode("ascii"), told.encode("ascii", errors="replace")))
        request = httpx.Request(
            "POST",
            shared.url,
            headers=headers,
            content=body,
            extensions={"timeout": shared.timeout.as_dict()},
        )
        try:
            response = await shared.http.send(request, stream=True)
            try:
                # Cookies first: a browser honours Set-Cookie whatever the body turns out to be.
                set_cookies = [
                    v.decode("latin-1") for k, v in response.headers.raw if k.lower() == b"set-cookie"
                ]
                if set_cookies:
                    self._session.store(shared.cookie_url, set_cookies)
                content = await read_capped(response, cap=shared.max_response_bytes, method=method)
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            raise transport_error(
                exc, url=shared.shown_url, host=shared.url.host, method=method, timeout=shared.timeout
            ) from exc
        status = response.status_code
        content_type = response.headers.get("content-type", "")
        result = decode_result(
            content, method=method, request_id=request_id, status=status, content_type=content_type
        )
        return result, status

    # -- lifecycle -----------------------------------------------------------------

    async def aclose(self) -> None:
        """Close this client; the owner of the pool also closes the pool (and so every sibling)."""
        self._closed = True
        if self._owner:
            await self._shared.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        role = "owner" if self._owner else "sibling"
        return f"AuthClient({self.endpoint!r}, {role}, session={self._session!r})"
