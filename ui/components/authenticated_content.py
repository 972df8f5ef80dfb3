"""``AuthenticatedContent``: children that only a signed-in browser ever receives.

Usage::

    with AuthenticatedContent(auth_client, fallback=lambda: ui.label("Sign in to see your reports.")):
        ui.label("Quarterly numbers ...")

Hiding is not enough: NiceGUI sends every element of a page to the browser,
visible or not, so content merely hidden from a signed-out visitor would still
be in their page source. Here the children are built by the ``with`` block as
usual, and removed again before the page leaves the server unless this browser
is *known* to be signed in (:mod:`..session.known_user`: the server's last answer,
valid while the cookie jar is unchanged). The server is asked right after; if
the answer differs, the element follows it: signed out removes the children
and shows the fallback; signed in reloads the page, because a ``with`` block
cannot be run a second time, and its next run keeps the children. Sign-ins and
sign-outs in other tabs of the same browser arrive through
:mod:`..session.auth_events` and are handled the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from nicegui import background_tasks, ui

from ...client import AuthClient, AuthStateApi
from ...state_machine import AuthUser
from ..session.auth_events import AuthChange, on_same_browser
from ..session.known_user import UNKNOWN, BrowserAuth, KnownUser
from .hooks import hook

logger = logging.getLogger(__name__)

# Set in the browser's storage just before reloading to bring the content in.
# A page built after that which still finds no remembered user is in a loop
# (the answer could not be remembered) and is not reloaded again.
_RELOAD_GUARD: Final = "nicegui_authenticator.content_reload"
# Set in the page's own storage: one reload per page, however many elements want it.
_RELOADING: Final = "nicegui_authenticator.reloading"


class AuthenticatedContent(ui.element):
    """A container whose children exist in the browser only while it is signed in.

    :param api: the same :class:`AuthClient` (or AuthStateApi) the app's Authenticator uses
    :param fallback: builds what signed-out visitors see instead (optional)

    The root carries the test hook ``authenticated-content`` and ``data-state``:
    ``checking``, ``signed-in``, ``signed-out`` or ``unavailable`` (the server could not be
    asked; the fallback is shown).
    """

    def __init__(
        self,
        api: AuthStateApi | AuthClient,
        *,
        fallback: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__("div")
        self._auth = BrowserAuth.current(api)
        self._fallback = fallback
        self._known: KnownUser = self._auth.remembered()
        self._building = False
        self._checked = False
        self._dropped_children = False
        self._state: str | None = None
        hook(self, "authenticated-content")
        with self.default_slot:  # not `with self`: that enters the content, see __enter__
            self._content = ui.element("div").classes("w-full")
            self._fallback_region = ui.element("div").classes("w-full")
        self._show_state()
        on_same_browser(self._changed_elsewhere)
        background_tasks.create(self._verify(), name="authenticated-content-verify")

    def __enter__(self) -> AuthenticatedContent:
        self._building = True
        self._content.default_slot.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._content.default_slot.__exit__(*exc)
        self._building = False
        self._settle_built_children()

    @property
    def signed_in(self) -> bool:
        """Whether the children are shown (the browser is known to be signed in)."""
        return isinstance(self._known, AuthUser)

    # ------------------------------------------------------------------ state

    def _settle_built_children(self) -> None:
        store = self._auth.store
        if isinstance(self._known, AuthUser):
            if store is not None:
                store.pop(_RELOAD_GUARD, None)
            return
        if self._content.default_slot.children:
            # Removed in the same step they were made: they never reach the browser.
            self._content.clear()
            self._dropped_children = True

    async def _verify(self) -> None:
        known = await self._auth.verify()
        self._checked = True
        if not self.is_deleted and self._follow(known):
            await self._reload_for_content()

    async def _changed_elsewhere(self, _: AuthChange) -> None:
        if not self.is_deleted:
            await self._verify()

    def _follow(self, known: KnownUser) -> bool:
        """Show what ``known`` allows; True when the children must be brought back by a reload."""
        was_signed_in = self.signed_in
        if known is UNKNOWN and was_signed_in:
            return False  # the server could not be asked: keep what the last answer allowed
        self._known = known
        reload = False
        if isinstance(known, AuthUser):
            reload = not was_signed_in and self._dropped_children and not self._building
        else:
            self._content.clear()
            self._dropped_children = self._dropped_children or was_signed_in
        self._show_state()
        return reload

    async def _reload_for_content(self) -> None:
        if self.client.storage.get(_RELOADING):
            return  # another AuthenticatedContent of this page is reloading it already
        store = self._auth.store
        if store is None or store.get(_RELOAD_GUARD):
            if store is not None:
                store.pop(_RELOAD_GUARD, None)
            logger.warning(
                "AuthenticatedContent cannot remember the sign-in for this browser "
                "(pass storage_secret to ui.run, and create the AuthClient once, not per page)"
            )
            return
        store[_RELOAD_GUARD] = True
        self.client.storage[_RELOADING] = True
        try:
            await self.client.connected(timeout=10)  # a reload must reach the page it is meant for
        except TimeoutError:
            return
        if not self.is_deleted:
            with self.default_slot:
                ui.navigate.reload()

    # -------------------------------------------------------------- rendering

    def _show_state(self) -> None:
        if isinstance(self._known, AuthUser):
            state = "signed-in"
        elif self._known is None:
            state = "signed-out"
        else:
            state = "unavailable" if self._checked else "checking"
        if state == self._state:
            return
        self._state = state
        self.props["data-state"] = state
        self.update()
        self._content.set_visibility(state == "signed-in")
        self._fallback_region.clear()
        if state in ("signed-out", "unavailable") and self._fallback is not None:
            with self._fallback_region:
                self._fallback()
