"""``AccountMenu``: who is signed in and Sign Out, or Sign In in a dialog, for a header.

A dashboard wants the sign-in state in its header without giving a whole page
to the :class:`~.authenticator.Authenticator`. Signed in, the menu shows the
username and a Sign Out button; signed out, a Sign In button opens the
Authenticator in a dialog that closes by itself once the person is in. It
follows sign-ins and sign-outs made anywhere in the same browser (other tabs,
other elements) through :mod:`..session.auth_events`.

Usage::

    with ui.header():
        AccountMenu(auth_client)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, Final

from nicegui import background_tasks, ui

from ...client import AuthClient, AuthStateApi
from ...client.callbacks import call_handler
from ...state_machine import AuthUser, Msg, Template, translate
from ...state_machine.languages import language_for
from ..session.auth_events import AuthChange, current_browser_id, notify_auth_changed, on_same_browser
from ..session.known_user import UNKNOWN, BrowserAuth, KnownUser
from ..session.language import browser_language
from .authenticator import Authenticator
from .hooks import hook
from .messages import effective_catalog

AuthChangeHandler = Callable[[AuthUser | None], Any]

# The dialog is the card: the Authenticator's own card loses its frame inside it,
# and the close button floats in the corner instead of taking a row of its own.
_MODAL_CSS: Final = """
.na-account-menu-modal { position: relative; width: 28rem; max-width: 95vw; padding: 2.25rem 0 0; }
.na-account-menu-modal .na-card { border: 0; box-shadow: none; max-width: none; }
.na-account-menu-close { position: absolute; top: .25rem; inset-inline-end: .25rem; z-index: 1; }
"""


class AccountMenu(ui.element):
    """The signed-in name with Sign Out, or a Sign In button opening the Authenticator in a dialog.

    :param api: the same :class:`AuthClient` (or AuthStateApi) the app's Authenticator uses
    :param language: the language to speak (default: the browser's choice, as the Authenticator's)
    :param catalog: message overrides (``account_menu.*`` keys plus the Authenticator's)
    :param on_auth_change: called with the user after a sign-in or sign-out made through this menu
    :param authenticator_options: keyword arguments for the dialog's Authenticator (``title``,
        ``logo``, ``issuer``, ``hide_sign_up``, ...)
    """

    def __init__(
        self,
        api: AuthStateApi | AuthClient,
        *,
        language: str | None = None,
        catalog: Mapping[str, Template] | None = None,
        on_auth_change: AuthChangeHandler | None = None,
        authenticator_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__("div")
        self._source_api = api
        self._auth = BrowserAuth.current(api)
        self._browser_id = current_browser_id()
        self._source = uuid.uuid4().hex  # names this menu in auth_changed (element ids repeat across clients)
        self._authenticator_options = dict(authenticator_options or {})
        self._language = language_for(language).tag if language else browser_language()
        self._authenticator_options.setdefault("language", self._language)
        self._catalog = effective_catalog(catalog, self._language)
        self._on_auth_change = on_auth_change
        self._dialog: ui.dialog | None = None
        self._user: KnownUser = self._auth.remembered()
        self._checking = True
        self.classes("na-account-menu")
        self.props["lang"] = self._language
        self.props["dir"] = language_for(self._language).direction.value
        hook(self, "account-menu")
        with self:
            self._region = ui.element("div").classes("flex items-center gap-2 no-wrap")
        self._render()
        on_same_browser(self._changed_elsewhere, ignore_source=self._source)
        background_tasks.create(self._verify(), name="account-menu-verify")

    @property
    def user(self) -> AuthUser | None:
        """Who is signed in, as far as the menu knows (None while signed out or unknown)."""
        return self._user if isinstance(self._user, AuthUser) else None

    def _say(self, key: str) -> str:
        return translate(Msg(key), self._catalog)

    # ------------------------------------------------------------------ state

    async def _verify(self) -> None:
        self._checking = True
        user = await self._auth.verify()
        self._checking = False
        if not self.is_deleted:
            self._show(user)

    def _show(self, user: KnownUser) -> None:
        before = self._user
        self._user = user
        if before != user or user is UNKNOWN:
            self._render()
        if isinstance(user, AuthUser) and self._dialog is not None:
            self._dialog.close()

    async def _changed_elsewhere(self, _: AuthChange) -> None:
        # The change names a user, but not which endpoint it came from: ask ours.
        if not self.is_deleted:
            await self._verify()

    async def _announce(self, user: AuthUser | None) -> None:
        if self._on_auth_change is not None:
            await call_handler(self._on_auth_change, user)

    # ---------------------------------------------------------------- actions

    async def _sign_out(self, button: ui.button) -> None:
        button.props("loading")
        button.disable()
        user = await self._auth.sign_out()
        if self.is_deleted:
            return
        if user is UNKNOWN or isinstance(user, AuthUser):  # the call failed: still signed in
            button.props(remove="loading")
            button.enable()
            ui.notify(translate(Msg("error.network"), self._catalog), type="negative")
            return
        self._show(None)
        notify_auth_changed(None, source=self._source, browser_id=self._browser_id)
        await self._announce(None)

    async def _signed_in_here(self, user: AuthUser | None) -> None:
        """The dialog's Authenticator reports a change (it notifies the other tabs itself)."""
        self._auth.remember(user)
        self._show(user)
        await self._announce(user)

    def _open_dialog(self) -> None:
        if self._dialog is None:
            ui.add_css(_MODAL_CSS)
            with self, ui.dialog() as dialog, ui.card().classes("na-account-menu-modal") as card:
                hook(card, "account-menu-modal")
                close = ui.button(icon="close", on_click=dialog.close, color=None)
                close.props("flat round dense").classes("na-account-menu-close")
                close.props["aria-label"] = self._say("account_menu.close")
                hook(close, "account-menu-modal-close")
                Authenticator(
                    self._source_api, on_auth_change=self._signed_in_here, **self._authenticator_options
                )
            self._dialog = dialog
        self._dialog.open()

    # -------------------------------------------------------------- rendering

    def _render(self) -> None:
        self._region.clear()
        with self._region:
            user = self._user
            if isinstance(user, AuthUser):
                name = ui.label(user.display_name).classes("na-account-menu-username font-medium")
                hook(name, "account-menu-username")
                # No colour of its own: it takes the text colour around it (a coloured header, a white page).
                sign_out = ui.button(self._say("account_menu.sign_out"), color=None).props("flat no-caps")
                sign_out.on_click(lambda: self._sign_out(sign_out))
                hook(sign_out, "account-menu-signout")
            elif user is UNKNOWN and self._checking:
                spinner = ui.spinner(size="1.5em")
                spinner.props["aria-label"] = self._say("account_menu.checking")
            else:
                sign_in = ui.button(self._say("account_menu.sign_in"), on_click=self._open_dialog, color=None)
                sign_in.props("outline no-caps")
                hook(sign_in, "account-menu-signin")
