"""``ReferenceBackend``: the HTTP face of the backend, standalone or mounted in-process.

``asgi_app`` is a complete Starlette application; ``routes`` are the same
routes for an existing app (NiceGUI's FastAPI: ``app.router.routes.extend(
backend.routes)``). In-process clients use httpx's ASGI transport::

    backend = ReferenceBackend(BackendSettings(db_path=str(tmp_path / "auth.sqlite3")))
    transport = httpx.ASGITransport(app=backend.asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        ...

The RPC endpoint never answers with a 500 or a stack trace: envelope problems
are JSON-RPC errors, and a crash inside a handler is logged (exception type
and code locations only, no values that could hold a secret) and answered
with a generic -32603. All work that touches the database or hashes a
password runs in a worker thread, so the event loop (and NiceGUI's UI) never
waits for it.

The same endpoint serves the app's own methods (:meth:`ReferenceBackend.method`,
``app_methods.py``) and answers CORS for ``settings.cors_origins`` only
(``cors.py``), in both the standalone app and the mounted routes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Final

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from . import rpc
from .admin import Admin
from .app_methods import AppHandler, AppMethods, caller_of, log_internal_error
from .audit import AUDIT_LOGGER, audit, log_audit_to_file
from .client_address import TrustedProxies
from .components import Components
from .context import Outcome
from .context import Request as CallRequest
from .cookies import clear_cookie, set_cookie
from .cors import CorsGate
from .dev_outbox import outbox_routes
from .http_exchange import Exchange, RpcFirstStarlette
from .request_forgery import ForgeryGuard
from .service import AuthService
from .settings import BackendSettings
from .transport_security import HttpsDecision
from .visitor_hop import HEADER as VISITOR_HEADER
from .visitor_hop import verified_visitor
from .wire_json import encode, result_body

ALL_METHODS: Final = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
HEALTH_PATH: Final = "/healthz"
VISITOR_HEADER_KEY: Final = VISITOR_HEADER.lower()  # ASGI header names arrive in lower case
_log = logging.getLogger(__name__)


class ReferenceBackend(Admin):
    """The reference setAuthState server. Also the admin API (see ``admin.Admin``)."""

    def __init__(self, settings: BackendSettings | None = None) -> None:
        self.settings = settings if settings is not None else BackendSettings()
        self._parts = Components.build(self.settings)
        super().__init__(self._parts)
        self._service = AuthService(self._parts)
        self._proxies = TrustedProxies(self.settings.forwarded_allow_ips)
        self._https = HttpsDecision(self.settings.public_url, self._proxies)
        self._audit_file = log_audit_to_file(self.settings.audit_log) if self.settings.audit_log else None
        self._forgery = ForgeryGuard(self.settings.trusted_origins)
        self._app_methods = AppMethods(self.settings.namespace, self.settings.mode)
        endpoint = CorsGate(self._endpoint, self.settings.cors_origins)
        routes: list[BaseRoute] = [
            Route(self.settings.path, endpoint, methods=ALL_METHODS),
            Route(HEALTH_PATH, self._health, methods=["GET", "HEAD"]),
        ]
        if self.settings.dev:
            routes.extend(outbox_routes(self.list_outbox))
        self.routes: list[BaseRoute] = routes
        self.asgi_app: Starlette = RpcFirstStarlette(
            list(routes), rpc_path=self.settings.path, rpc_endpoint=endpoint
        )

    def close(self) -> None:
        self._parts.store.close()
        self._parts.hasher.close()
        if self._audit_file is not None:
            logging.getLogger(AUDIT_LOGGER).removeHandler(self._audit_file)
            self._audit_file.close()

    def method(self, name: str, *, groups: Iterable[str] | None = None) -> Callable[[AppHandler], AppHandler]:
        """Serve ``handler(user: AuthUser, *params)`` as the JSON-RPC method ``name`` (``"api.getProfile"``)
        on the auth endpoint, for signed-in people only (and, with ``groups``, only those in one
        of them). See ``app_methods.py`` for the replies a caller gets."""

        def register(handler: AppHandler) -> AppHandler:
            self._app_methods.register(name, handler, groups)
            return handler

        return register

    def __enter__(self) -> ReferenceBackend:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- HTTP ---------------------------------------------------------------------------

    async def _health(self, request: Request) -> Response:
        """For load balancers: 200 while the database answers, 503 otherwise."""
        try:
            await anyio.to_thread.run_sync(self._parts.store.ping)
        except Exception as exc:
            _log.warning("health check: database unavailable (%s)", type(exc).__name__)
            return JSONResponse(
                {"status": "unavailable"}, status_code=503, headers={"Cache-Control": "no-store"}
            )
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})

    def client_address(self, exchange: Exchange) -> str:
        """The visitor's address: a signed page's word for it, else the peer (or a trusted proxy's)."""
        headers = exchange.headers
        secret = self.settings.visitor_hop_secret
        told = headers.get(VISITOR_HEADER_KEY)
        address = self._proxies.client_address(exchange.peer or "unknown", headers.get("x-forwarded-for"))
        if secret and told:
            visitor = verified_visitor(secret, told, self.settings.clock())
            if visitor is not None:
                return visitor
            audit("visitor_hop.signature", "refused", address=address)
        return address

    async def _endpoint(self, scope: Scope, receive: Receive, send: Send) -> None:
        exchange = Exchange(scope, receive, send)
        try:
            await self._answer(exchange)
        except Exception as exc:  # the last line of "never a 500": envelope handling itself failed
            log_internal_error(exc, "request")
            await exchange.send_json(encode(rpc.internal_error(None)))

    async def _answer(self, exchange: Exchange) -> None:
        if exchange.method != "POST":
            # As recorded (basic_errors_and_protocol_edges.jsonl step 13).
            body = {
                "error": f"The AWS Blocks JSON-RPC API expects POST, not {exchange.method}.",
                "expected": {"method": "POST", "path": self.settings.path},
            }
            await exchange.send_response(JSONResponse(body, status_code=404))
            return
        refusal = self._forgery.refusal(exchange.headers)
        if refusal is not None:
            audit("request.forgery", "refused", address=self.client_address(exchange), reason=refusal)
            await exchange.send_json(encode(rpc.forbidden(refusal)), status=403)
            return
        try:
            body_bytes = await exchange.body(self.settings.max_body_bytes)
        except ClientDisconnect:
            await exchange.send_response(Response(status_code=400))
            return
        if body_bytes is None:
            await exchange.send_json(encode(rpc.too_large()))
            return
        try:
            call = rpc.parse_call(body_bytes, self.settings.namespace, self._app_methods.names)
        except rpc.RpcFailure as failure:
            await exchange.send_json(encode(failure.envelope()))
            return
        cookies = exchange.cookies
        context = CallRequest(
            session_token=cookies.get(self.settings.cookie_name),
            bridge_token=cookies.get(self.settings.auto_sign_in_cookie_name),
            address=self.client_address(exchange),
            now=self.settings.clock(),
            known_device=cookies.get(self.settings.known_device_cookie_name),
        )
        if call.method in self._app_methods:
            await self._answer_app_call(call, context, exchange)
            return
        try:
            if call.method == rpc.GET_AUTH_STATE:
                outcome = await self._get_auth_state(context)
            else:
                action, fields = rpc.action_of(call)
                outcome = await anyio.to_thread.run_sync(
                    self._service.set_auth_state, context, action, fields
                )
        except rpc.RpcFailure as failure:
            await exchange.send_json(encode(failure.envelope()))
            return
        except Exception as exc:
            log_internal_error(exc, call.method)
            await exchange.send_json(encode(rpc.internal_error(call.call_id)))
            return
        result = outcome.encoded if outcome.encoded is not None else encode(outcome.state.to_wire())
        set_cookies: list[str] = []
        if outcome.touches_cookies:
            set_cookies = self._cookies(outcome, self._https.cookies_secure(exchange))
        await exchange.send_json(result_body(result, call.call_id), cookies=set_cookies)

    async def _get_auth_state(self, context: CallRequest) -> Outcome:
        """On the loop when reads alone answer it (no cookie; a WAL database), else in a worker thread.

        A worker thread costs ~100 us of CPU per request, more than the one indexed
        read a signed-in getAuthState makes (issue 15 profile); see
        ``AuthService.get_auth_state_without_writing`` for what stays in the thread.
        """
        if not context.session_token or self._parts.store.reads_never_wait:
            outcome = self._service.get_auth_state_without_writing(context)
            if outcome is not None:
                return outcome
        return await anyio.to_thread.run_sync(self._service.get_auth_state, context)

    async def _answer_app_call(self, call: rpc.Call, context: CallRequest, exchange: Exchange) -> None:
        user = None
        if context.session_token:
            found = await anyio.to_thread.run_sync(self._service.current_user, context)
            user = None if found is None else self._parts.replies.user(found)
        answer = await self._app_methods.answer(call, caller_of(context, user))
        cookies = []
        if answer.end_session:  # a stale cookie, cleared as getAuthState clears it
            secure = self._https.cookies_secure(exchange)
            cross_site = self.settings.cross_site_cookies
            cookies.append(clear_cookie(self.settings.cookie_name, secure=secure, cross_site=cross_site))
        await exchange.send_json(encode(answer.envelope), cookies=cookies)

    def _cookies(self, outcome: Outcome, secure: bool) -> list[str]:
        """The ``Set-Cookie`` values ``outcome`` asks for."""
        s = self.settings
        cookies = []
        cross_site = s.cross_site_cookies
        if outcome.session is not None:
            lifetime = int(s.session_lifetime)
            cookies.append(
                set_cookie(s.cookie_name, outcome.session, lifetime, secure=secure, cross_site=cross_site)
            )
        elif outcome.end_session:
            cookies.append(clear_cookie(s.cookie_name, secure=secure, cross_site=cross_site))
        name = s.auto_sign_in_cookie_name
        if outcome.bridge is not None:
            lifetime = int(s.auto_sign_in_lifetime)
            cookies.append(set_cookie(name, outcome.bridge, lifetime, secure=secure, cross_site=cross_site))
        elif outcome.end_bridge:
            cookies.append(clear_cookie(name, secure=secure, cross_site=cross_site))
        if outcome.known_device is not None:
            lifetime = int(s.known_device_lifetime)
            cookie = set_cookie(
                s.known_device_cookie_name,
                outcome.known_device,
                lifetime,
                secure=secure,
                cross_site=cross_site,
            )
            cookies.append(cookie)
        return cookies
