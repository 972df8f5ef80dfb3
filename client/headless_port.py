"""The headless shell's port: what a browser would do, done by a test's callbacks or recorded.

:class:`HeadlessPort` is the :class:`~.driver.ShellPort` of
:class:`~.headless.HeadlessAuthenticator`. There is no browser, so a software
authenticator callback stands in for WebAuthn, and external form posts and
clipboard copies are kept in lists a test can inspect.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from ..state_machine import (
    AuthUser,
    Event,
    RunWebAuthn,
    Screen,
    SubmitExternalForm,
    WebAuthnFailed,
    WebAuthnResult,
)
from .api import AuthStateApi
from .callbacks import call_handler

WebAuthnCallback = Callable[[Literal["create", "get"], str], Awaitable[str]]
"""``(kind, options_json) -> credential_json``: a software authenticator for passkey flows."""

AuthChangeCallback = Callable[[AuthUser | None], object]


class HeadlessPort:
    """The headless shell's :class:`~.driver.ShellPort`: no browser, so a software
    authenticator callback stands in for WebAuthn, and external form posts and
    clipboard copies are recorded for the test to inspect."""

    def __init__(
        self,
        api: AuthStateApi,
        *,
        webauthn: WebAuthnCallback | None = None,
        on_auth_change: AuthChangeCallback | None = None,
    ) -> None:
        self._api = api
        self.webauthn = webauthn
        self.on_auth_change = on_auth_change
        self.external_forms: list[SubmitExternalForm] = []
        self.clipboard: list[str] = []

    @property
    def api(self) -> AuthStateApi:
        return self._api

    def show(self, screen: Screen) -> None:
        """Nothing to draw: the screen is returned to the caller instead."""

    async def run_webauthn(self, request: RunWebAuthn) -> WebAuthnResult | WebAuthnFailed:
        if self.webauthn is None:
            return WebAuthnFailed("unavailable", "no WebAuthn callback was given to HeadlessAuthenticator")
        try:
            credential = await self.webauthn(request.kind, request.options_json)
        except Exception as error:  # the callback is user code: report, don't crash the flow
            return WebAuthnFailed("failed", f"{type(error).__name__}: {error}")
        return WebAuthnResult(credential)

    async def submit_external_form(self, request: SubmitExternalForm) -> None:
        self.external_forms.append(request)

    async def copy_to_clipboard(self, text: str) -> bool:
        self.clipboard.append(text)
        return True

    async def auth_changed(self, user: AuthUser | None, cause: Event) -> None:
        if self.on_auth_change is not None:
            await call_handler(self.on_auth_change, user)
