"""The ``Authenticator`` element: a complete sign-in experience in one NiceGUI element.

It is a shell around the pure :class:`AuthMachine` (DESIGN.md, "The core
loop"): person events from the screen (submit, navigate, retry) go into the
machine; the effects it returns are run here (setAuthState calls, WebAuthn
ceremonies in the browser, federated form posts, sign-in notifications) and
their outcomes fed back. Only the screen region is rebuilt, and only when the
screen changes; a call going in flight merely disables the form.

Usage::

    @ui.page("/")
    def index() -> None:
        Authenticator(AuthClient("https://app.example.com/aws-blocks/api"))

Children added with ``with Authenticator(...):`` are shown only while signed in.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from nicegui import background_tasks, ui

from ..client import AuthClient, AuthStateApi
from ..client.calls import perform_call
from ..state_machine import (
    AuthChanged,
    AuthMachine,
    AuthUser,
    CallGetAuthState,
    CallSetAuthState,
    Cancel,
    Effect,
    Event,
    InvalidTransition,
    Link,
    LinkKind,
    MachineConfig,
    Msg,
    Navigate,
    PasswordPolicy,
    Phase,
    Refresh,
    Retry,
    RunWebAuthn,
    Screen,
    ScreenName,
    Start,
    Submit,
    SubmitExternalForm,
    Template,
    translate,
)
from ..state_machine.screens import LOCAL_SCREENS
from .auth_events import AuthChange, current_browser_id, notify_auth_changed, on_same_browser
from .browser_calls import copy_to_clipboard, ensure_assets, run_webauthn, submit_external_form
from .browser_session import browser_api
from .form_view import FormView
from .hooks import hook
from .messages import effective_catalog
from .screens import ScreenContext, renderer_for
from .theme import ensure_styles

logger = logging.getLogger(__name__)

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
        catalog: Mapping[str, Template] | None = None,
        on_auth_change: AuthChangeHandler | None = None,
        show_signed_in: bool = True,
    ) -> None:
        super().__init__("div")
        self._api: AuthStateApi = browser_api(api) if isinstance(api, AuthClient) else api
        config = MachineConfig(
            issuer=issuer, password_policy=password_policy or PasswordPolicy(), sign_up=not hide_sign_up
        )
        self._machine = AuthMachine(config=config)
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

    async def _dispatch(self, event: Event, *, broadcast: bool | None = None) -> None:
        """Feed a person event, then run effects until the machine waits for the person again."""
        announce = isinstance(event, _PERSON_EVENTS) if broadcast is None else broadcast
        await self._run(self._feed(event), announce=announce)
        if self._refresh_wanted and self._machine.phase is Phase.IDLE and not self.is_deleted:
            self._refresh_wanted = False
            await self._dispatch(Refresh(), broadcast=False)

    def _feed(self, event: Event) -> tuple[Effect, ...]:
        try:
            self._machine, effects = self._machine.handle(event)
        except InvalidTransition as exc:
            logger.debug("ignored %s: %s", type(event).__name__, exc)
            return ()
        self._render()
        return effects

    async def _run(self, effects: tuple[Effect, ...], *, announce: bool) -> None:
        queue: deque[Effect] = deque(effects)
        while queue:
            effect = queue.popleft()
            if isinstance(effect, CallSetAuthState | CallGetAuthState):
                queue.extend(self._feed(await perform_call(self._api, effect)))
            elif isinstance(effect, RunWebAuthn):
                queue.extend(self._feed(await run_webauthn(self.client, effect)))
            elif isinstance(effect, SubmitExternalForm):
                if not await submit_external_form(
                    self.client, effect.url, effect.method, dict(effect.fields)
                ):
                    ui.notify(translate(Msg("external.refused"), self._catalog), type="warning")
            elif isinstance(effect, AuthChanged):
                await self._auth_changed(effect.user, announce=announce)

    async def _auth_changed(self, user: AuthUser | None, *, announce: bool) -> None:
        if announce:
            notify_auth_changed(user, source=self._source, browser_id=self._browser_id)
        if self._on_auth_change is not None:
            result = self._on_auth_change(user)
            if inspect.isawaitable(result):
                await result

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
        copied = await copy_to_clipboard(self.client, text)
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
