"""Browser session mode: every setAuthState call is a ``fetch`` made by the person's browser.

In the default ``server`` mode the page's Python process calls the backend and
keeps each browser's cookies in ``app.storage.user``: Python code can then call
the app's API as the person, but the cookie never reaches the browser, so a
separate web app on the backend's site is not signed in. In ``browser`` mode
this :class:`BrowserFetchApi` asks the browser to make the call instead
(``fetch`` with ``credentials: "include"``, ``assets/authenticator.js``); the
backend's session cookie lands in the browser, for the backend's own origin,
exactly as with the AWS Blocks renderer. The state machine still runs in
Python: only the transport moved, and the browser's report goes through the
same decoding as a server-side reply (``client/browser_reply.py``), so typed
errors, retries and kept values behave the same.

A backend on another origin must allow the page's origin with CORS and
credentials (``nicegui-authenticator backend --cors-origin URL``).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from typing import Final, Literal

from nicegui import ui
from nicegui.client import Client
from pydantic import JsonValue

from ...client import AuthClient, AuthStateApi
from ...client.browser_reply import auth_state_from_browser
from ...client.call_log import log_call, outcome_of_error
from ...client.errors import AuthClientError
from ...client.jsonrpc import encode_request, set_auth_state_params
from ...client.transport import DEFAULT_MAX_RESPONSE_BYTES
from ...state_machine import AuthState
from .browser_calls import module_call
from .browser_session import browser_api

SessionMode = Literal["server", "browser"]

DEFAULT_TIMEOUT: Final = 10.0
# The browser enforces the call's own timeout; this is for a browser that never answers at all.
_REPORT_SLACK: Final = 5.0


class BrowserFetchApi:
    """An :class:`~..client.api.AuthStateApi` whose calls the browser of ``client`` makes.

    :param client: the NiceGUI client (browser tab) that makes the calls
    :param url: the endpoint as the browser must reach it: absolute, or a path on the page's own site
    :param namespace: the exported API name (``authApi``)
    """

    def __init__(
        self,
        client: Client,
        url: str,
        namespace: str = "authApi",
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if not (
            url.startswith(("http://", "https://")) or (url.startswith("/") and not url.startswith("//"))
        ):
            raise ValueError("a browser endpoint is an http(s) URL or a path on this site")
        self._client = client
        self._url = url
        self._namespace = namespace
        self._timeout = timeout
        self._max_bytes = max_response_bytes
        self._ids = itertools.count(1)

    @property
    def url(self) -> str:
        return self._url

    async def get_auth_state(self) -> AuthState:
        return await self._call(f"{self._namespace}.getAuthState", [], action=None)

    async def set_auth_state(self, payload: Mapping[str, JsonValue]) -> AuthState:
        params = set_auth_state_params(payload)
        return await self._call(f"{self._namespace}.setAuthState", params, action=str(payload["action"]))

    async def _call(self, method: str, params: list[JsonValue], *, action: str | None) -> AuthState:
        request_id = next(self._ids)
        body = encode_request(method, params, request_id).decode()
        started = time.perf_counter()
        script = module_call("rpc", self._url, body, int(self._timeout * 1000), self._max_bytes)
        try:
            answer = await self._client.run_javascript(script, timeout=self._timeout + _REPORT_SLACK)
        except TimeoutError:
            answer = {"failure": "read_timeout", "detail": "the browser did not report back"}
        try:
            state = auth_state_from_browser(
                answer, method=method, request_id=request_id, url=self._url, max_bytes=self._max_bytes
            )
        except AuthClientError as error:
            log_call(method, request_id, action, outcome_of_error(error), started)
            raise
        log_call(method, request_id, action, state.state, started)
        return state

    def __repr__(self) -> str:
        return f"BrowserFetchApi({self._url!r})"


def session_api(
    api: AuthStateApi | AuthClient, session: SessionMode, browser_endpoint: str | None
) -> AuthStateApi:
    """The AuthStateApi an Authenticator of the current page uses in ``session`` mode."""
    if session == "server":
        if browser_endpoint is not None:
            raise ValueError("browser_endpoint applies to session='browser' only")
        return browser_api(api) if isinstance(api, AuthClient) else api
    if session != "browser":
        raise ValueError(f"session must be 'server' or 'browser', not {session!r}")
    if not isinstance(api, AuthClient):
        raise TypeError("session='browser' needs an AuthClient: the browser calls its endpoint itself")
    return BrowserFetchApi(
        ui.context.client,
        browser_endpoint or api.endpoint,
        api.namespace,
        max_response_bytes=api.max_response_bytes,
    )
