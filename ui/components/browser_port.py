"""The NiceGUI shell's port: what one ``Authenticator`` element does for the effect runner.

The runner (:mod:`nicegui_authenticator.client.driver`) runs the machine and its
setAuthState calls; this port supplies what needs the element's browser tab:
the WebAuthn ceremony, a federated form post, the clipboard, and redrawing the
element when the machine moves. The transport is the element's
:class:`AuthStateApi`: the browser's cookie jar kept in this process
(``session="server"``), or the browser's own ``fetch`` (``session="browser"``,
``ui/session/browser_fetch.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from nicegui import ui

from ...client import AuthStateApi
from ...state_machine import (
    AuthUser,
    Event,
    Msg,
    RunWebAuthn,
    Screen,
    SubmitExternalForm,
    Template,
    WebAuthnFailed,
    WebAuthnResult,
    translate,
)
from ..session.browser_calls import copy_to_clipboard, run_webauthn, submit_external_form

AuthChangedHandler = Callable[[AuthUser | None, Event], Awaitable[None]]


class BrowserPort:
    """A :class:`~nicegui_authenticator.client.driver.ShellPort` bound to one element's browser tab."""

    def __init__(
        self,
        element: ui.element,
        api: AuthStateApi,
        *,
        catalog: Mapping[str, Template],
        redraw: Callable[[], None],
        auth_changed: AuthChangedHandler,
    ) -> None:
        self._element = element
        self._api = api
        self._catalog = catalog
        self._redraw = redraw
        self._auth_changed = auth_changed

    def use_catalog(self, catalog: Mapping[str, Template]) -> None:
        """Word the port's own notices from ``catalog`` (the element changed language)."""
        self._catalog = catalog

    @property
    def api(self) -> AuthStateApi:
        return self._api

    def show(self, screen: Screen) -> None:
        self._redraw()

    async def run_webauthn(self, request: RunWebAuthn) -> WebAuthnResult | WebAuthnFailed:
        return await run_webauthn(self._element.client, request)

    async def submit_external_form(self, request: SubmitExternalForm) -> None:
        if not await submit_external_form(
            self._element.client, request.url, request.method, dict(request.fields)
        ):
            ui.notify(translate(Msg("external.refused"), self._catalog), type="warning")

    async def copy_to_clipboard(self, text: str) -> bool:
        return await copy_to_clipboard(self._element.client, text)

    async def auth_changed(self, user: AuthUser | None, cause: Event) -> None:
        await self._auth_changed(user, cause)
