"""The ``Authenticator`` element: a complete sign-in experience in one NiceGUI element.

It is a shell around the pure :class:`AuthMachine` (DESIGN.md, "The core
loop"): person events from the screen (submit, navigate, retry) go into the
machine through the effect runner both shells share
(:mod:`nicegui_authenticator.client.driver`), which runs the setAuthState calls
and hands this element's :class:`~.browser_port.BrowserPort` what needs the
browser (WebAuthn ceremonies, federated form posts, the clipboard, redrawing).
Only the screen region is rebuilt, and only when the screen changes; a call
going in flight merely disables the form.

Usage::

    @ui.page("/")
    def index() -> None:
        Authenticator(AuthClient("https://app.example.com/aws-blocks/api"))

Children added with ``with Authenticator(...):`` are shown only while signed in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from nicegui import background_tasks, ui

from ...client import AuthClient, AuthStateApi
from ...client.callbacks import call_handler
from ...client.driver import EffectRunner
from ...state_machine import (
    AuthMachine,
    AuthUser,
    Cancel,
    Event,
    Link,
    LinkKind,
    MachineConfig,
    Msg,
    Navigate,
    PasswordPolicy,
    Phase,
    Refresh,
    Retry,
    Screen,
    ScreenName,
    Start,
    Submit,
    translate,
)
from ...state_machine.screens import LOCAL_SCREENS
from ..session.auth_events import AuthChange, current_browser_id, notify_auth_changed, on_same_browser
from ..session.browser_calls import ensure_assets
from ..session.browser_fetch import SessionMode, session_api
from .browser_port import BrowserPort
from .form_view import FormView
from .hooks import hook
from .messages import effective_catalog
from .screens import ScreenContext, renderer_for
from .theme import ensure_styles

AuthChangeHandler = Callable[[AuthUser | None], Any]

# Person events: their effects may change who is signed in, which the other tabs must learn.
_PERSON_EVENTS = (Submit, Cancel, Retry, Navigate)


class Authenticator(ui.element):
    """Sign in, sign up, confirm, reset, MFA, passkeys and account actions for any setAuthState server.

    :param api: an :class:`AuthClient` (each browser then gets its own cookie jar,
        kept in ``app.storage.user``) or any other :class:`AuthStateApi`, used as is
    :param issuer: the name authenticator apps show next to the TOTP code
    :param title: text above the card's screens (e.g. the app's name)
    :param logo: image URL shown above the title
    :param hide_sign_up: never offer Create Account, even if the server allows it
    :param password_policy: rules for new passwords when the server does not describe them
    :param catalog: message translations (keys of ``state_machine.messages.ENGLISH``)
    :param on_auth_change: called with the user after sign-in and None after sign-out
    :param show_signed_in: show the signed-in card (else the element is empty while signed in)
    :param session: ``"server"`` (default: this process calls the server, cookies kept per browser
        in ``app.storage.user``) or ``"browser"`` (the browser makes every call, so the session
        cookie lives in the browser; needs an :class:`AuthClient`, see ``browser_fetch.py``)
    :param browser_endpoint: in browser mode, the endpoint as the browser reaches it
        (default: the AuthClient's endpoint)
    """

    def __init__(
        self,
        api: AuthStateApi | AuthClient,
        *,
        issuer: str = "nicegui-authenticator",
        title: str | None = None,
        logo: str | None = None,
        hide_sign_up: bool = False,
        password_policy: PasswordPolicy | None = None,
        catalog: Mapping[str, str] | None = None,
        on_auth_change: AuthChangeHandler | None = None,
        show_signed_in: bool = True,
        session: SessionMode = "server",
        browser_endpoint: str | None = None,
    ) -> None:
        super().__init__("div")
        config = MachineConfig(
            issuer=issuer, password_policy=password_policy or PasswordPolicy(), sign_up=not hide_sign_up
        )
        self._title = title
        self._logo = logo
        self._catalog = effective_catalog(catalog)
        self._on_auth_change = on_auth_change
        self._show_signed_in = show_signed_in
        self._browser_id = current_browser_id()
        self._rendered: Screen | None = None
        self._views: list[FormView] = []
        self._drafts: dict[str, str] = {}
        self._active_view: FormView | None = None
        self._refresh_wanted = False
        self._source = uuid.uuid4().hex  # who announced a change (element ids repeat across clients)
        self._port = BrowserPort(
            self,
            session_api(api, session, browser_endpoint),
            catalog=self._catalog,
            redraw=self._render,
            auth_changed=self._auth_changed,
        )
        self._runner = EffectRunner(AuthMachine(config=config), self._port)

        ensure_assets()
        ensure_styles()
        self.classes("na-root")
        hook(self, "authenticator")
        with self.default_slot:
            self._region = ui.element("div").classes("w-full flex flex-col items-center")
            # Children of ``with authenticator:`` go here, shown only while signed in.
            self._content = ui.element("div").classes("w-full")
        self._content.set_visibility(False)
        self._render()
        on_same_browser(self._other_tab_changed, ignore_source=self._source)
        background_tasks.create(self._dispatch(Start()), name="authenticator-start")

    @property
    def _machine(self) -> AuthMachine:
        return self._runner.machine

    def __enter__(self) -> Authenticator:
        self._content.default_slot.__enter__()
        return self

    def __exit__(self, *_: object) -> None:
        self._content.default_slot.__exit__(*_)

    # ------------------------------------------------------------- public API

    @property
    def screen(self) -> Screen:
        """The screen shown now."""
        return self._machine.screen

    @property
    def user(self) -> AuthUser | None:
        """Who is signed in (None when signed out or not known yet)."""
        return self._machine.user

    @property
    def machine(self) -> AuthMachine:
        """The state machine as it is now (read-only value)."""
        return self._machine

    async def refresh(self) -> None:
        """Re-read the server's state (another part of the app signed in or out)."""
        if self._machine.phase is not Phase.IDLE:
            self._refresh_wanted = True
            return
        await self._dispatch(Refresh())

    # ------------------------------------------------------------ event loop

    async def _dispatch(self, event: Event) -> None:
        """Feed an event through the shared effect runner, then a refresh another tab asked for meanwhile.

        Every event here comes from this element: Start and Refresh when nothing
        is in flight, the rest from widgets drawn from an earlier screen. So all
        are *offered*: one the machine no longer accepts (a second click while a
        call is in flight) is logged and dropped, the rule of
        :mod:`nicegui_authenticator.client.driver`.
        """
        await self._runner.offer(event)
        if self._refresh_wanted and self._machine.phase is Phase.IDLE and not self.is_deleted:
            self._refresh_wanted = False
            await self._dispatch(Refresh())

    async def _auth_changed(self, user: AuthUser | None, cause: Event) -> None:
        # Person events may change who is signed in, which the other tabs must learn.
        if isinstance(cause, _PERSON_EVENTS):
            notify_auth_changed(user, source=self._source, browser_id=self._browser_id)
        if self._on_auth_change is not None:
            await call_handler(self._on_auth_change, user)

    async def _other_tab_changed(self, _: AuthChange) -> None:
        if not self.is_deleted:
            await self.refresh()

    # --------------------------------------------------------- person events

    async def _submit(self, view: FormView) -> None:
        duplicates = sum(1 for f in self._machine.screen.forms if f.action == view.form.action) > 1
        self._active_view = view
        await self._dispatch(Submit(view.values(with_hidden=duplicates), action=view.form.action))

    async def _link(self, link: Link) -> None:
        if link.kind is LinkKind.BACK and self._machine.screen.name not in LOCAL_SCREENS:
            await self._dispatch(Cancel())
        else:
            await self._dispatch(Navigate(link.target))

    async def _back(self) -> None:
        await self._dispatch(Cancel())

    async def _retry(self) -> None:
        await self._dispatch(Retry())

    async def _copy(self, text: str) -> None:
        copied = await self._port.copy_to_clipboard(text)
        if copied:
            ui.notify(translate(Msg("action.copied"), self._catalog), type="positive", timeout=1500)

    # ------------------------------------------------------------- rendering

    def _render(self) -> None:
        if self.is_deleted:
            return
        screen = self._machine.screen
        before = self._rendered
        self._rendered = screen
        self.props["data-screen"] = screen.name.value
        self._content.set_visibility(screen.user is not None)
        if before is not None and _layout(before) == _layout(screen):
            self._show_pending(screen.pending)
            return
        if before is None or before.name is not screen.name:
            self._drafts.clear()
        self._region.clear()
        self._views = []
        self._active_view = None
        if screen.name is ScreenName.SIGNED_IN and not self._show_signed_in:
            return
        ctx = ScreenContext(
            screen=screen,
            catalog=self._catalog,
            on_submit=self._submit,
            on_link=self._link,
            on_retry=self._retry,
            on_copy=self._copy,
            on_back=self._back,
            drafts=self._drafts,
        )
        with self._region, ui.card().classes("na-card").props("flat bordered"):
            if self._title or self._logo:
                with ui.element("div").classes("na-brand"):
                    if self._logo:
                        logo = ui.element("img")
                        logo.props["src"] = self._logo
                        logo.props["alt"] = self._title or ""
                    if self._title:
                        ui.label(self._title).classes("na-brand-title")
            with ui.element("div").classes("na-body"):
                renderer_for(screen.name)(ctx)
        self._views = ctx.views
        if screen.pending:
            self._show_pending(True)

    def _show_pending(self, pending: bool) -> None:
        for view in self._views:
            view.set_pending(pending, active=view is self._active_view)


def _layout(screen: Screen) -> Screen:
    """What decides the rendered widgets: the screen without its pending flag and
    without what the person typed (the widgets hold that already). A call going
    in flight, or a reply that changes nothing but the typed values, then
    re-renders nothing: focus and input stay where they are."""
    forms = tuple(
        replace(form, fields=tuple(replace(f, value="") if f.visible else f for f in form.fields))
        for form in screen.forms
    )
    return replace(screen, pending=False, forms=forms)
