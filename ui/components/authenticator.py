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

import asyncio
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import replace
from typing import Any, Literal

from nicegui import background_tasks, ui

from ...client import AuthClient, AuthStateApi
from ...client.callbacks import call_handler
from ...client.driver import EffectRunner
from ...state_machine import (
    AuthMachine,
    AuthUser,
    Cancel,
    DismissSuggestion,
    Event,
    Link,
    LinkKind,
    MachineConfig,
    Msg,
    Navigate,
    PasskeyAutofilled,
    PasswordPolicy,
    Phase,
    Refresh,
    Retry,
    Screen,
    ScreenName,
    SignUpField,
    Start,
    Submit,
    Template,
    translate,
)
from ...state_machine.actions import row_of
from ...state_machine.languages import canonical_tags, language_for
from ...state_machine.screens import LOCAL_SCREENS
from ..session.auth_events import AuthChange, current_browser_id, notify_auth_changed, on_same_browser
from ..session.browser_calls import ensure_assets
from ..session.browser_fetch import SessionMode, session_api
from ..session.kept_confirmation import keep_or_forget_confirmation, kept_confirmation
from ..session.language import browser_language
from .browser_port import BrowserPort
from .confirm_dialog import confirmed
from .field_overrides import FormFieldOverrides, parse_overrides
from .form_view import FormView
from .hooks import hook
from .messages import effective_catalog
from .passkey_autofill import PasskeyAutofill
from .quasar_props import apply, parsed
from .resend_cooldown import ResendCooldown, is_resend
from .screen_slots import ScreenSlots
from .screens import ScreenContext, renderer_for
from .screens.recycling import Recycler
from .theme import brand_style, ensure_styles, theme_style
from .theme_tokens import Theme

AuthChangeHandler = Callable[[AuthUser | None], Any]
Variation = Literal["default", "modal"]

# Person events: their effects may change who is signed in, which the other tabs must learn.
_PERSON_EVENTS = (Submit, Cancel, Retry, Navigate, PasskeyAutofilled)
_CARD_PROPS = parsed("flat bordered")


class Authenticator(ui.element):
    """Sign in, sign up, confirm, reset, MFA, passkeys and account actions for any setAuthState server.

    :param api: an :class:`AuthClient` (each browser then gets its own cookie jar,
        kept in ``app.storage.user``) or any other :class:`AuthStateApi`, used as is
    :param issuer: the name authenticator apps show next to the TOTP code
    :param title: text above the card's screens (e.g. the app's name)
    :param logo: image URL shown above the title
    :param hide_sign_up: never offer Create Account, even if the server allows it
    :param password_policy: rules for new passwords when the server does not describe them
    :param language: the language to speak (a tag such as ``de`` or ``zh-Hant``); by default
        the browser's remembered choice, else its ``Accept-Language``, among ``languages``
    :param languages: the languages the browser may get (default: every shipped one)
    :param theme: design tokens to set (``{"color-brand": "#0f766e", "radius-card": "0"}`` or a
        :class:`~.theme_tokens.Theme`); names and defaults in ``assets/authenticator.css``
    :param form_fields: per screen and field, how it is shown (``{"sign_up": {"email": {"label":
        "Work email", "placeholder": ..., "hint": ..., "order": 1, "hidden": False, "default": ...}}}``);
        what is sent stays the server's fields (see :mod:`.field_overrides`)
    :param sign_up_fields: fields the app adds to sign-up, with ``required`` and a ``validate``
        check (:class:`~nicegui_authenticator.state_machine.sign_up_fields.SignUpField`); one the
        server's signUp does not list is checked but never sent
    :param variation: ``"default"`` (in the page) or ``"modal"``: in a dialog that :meth:`open`
        shows and that closes itself after sign-in
    :param initial_screen: the signed-out screen to open on (``sign_up``, ``forgot_password``,
        ``passkey_sign_in``; default ``sign_in``), when the server offers it
    :param catalog: message overrides on top of the language's catalog (keys of
        ``state_machine.messages.ENGLISH``), e.g. a reworded sentence
    :param on_auth_change: called with the user after sign-in and None after sign-out
    :param show_signed_in: show the signed-in card (else the element is empty while signed in)
    :param resend_cooldown: seconds a Resend button waits after a code was sent
    :param session: ``"server"`` (default: this process calls the server, cookies kept per browser
        in ``app.storage.user``) or ``"browser"`` (the browser makes every call, so the session
        cookie lives in the browser; needs an :class:`AuthClient`, see ``browser_fetch.py``)
    :param browser_endpoint: in browser mode, the endpoint as the browser reaches it
        (default: the AuthClient's endpoint)
    :param brand_color: hex colour for buttons, links and focus rings; one with too little contrast
        is adjusted (a warning is logged), and a lighter variant is derived for dark mode
    :param heading_level: 1 when the card is the page's main content (each screen's title is then
        the page's ``<h1>``), else 2
    :param show_loading: draw the loading screen at once (default); False for an async page that
        awaits :meth:`ready`: the first real screen is then the first one built, and :meth:`ready`
        draws the loading screen itself if the server is slower than its timeout
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
        language: str | None = None,
        languages: Sequence[str] | None = None,
        theme: Theme | Mapping[str, str] | None = None,
        form_fields: FormFieldOverrides | None = None,
        sign_up_fields: Sequence[SignUpField] = (),
        variation: Variation = "default",
        initial_screen: str | None = None,
        catalog: Mapping[str, Template] | None = None,
        on_auth_change: AuthChangeHandler | None = None,
        show_signed_in: bool = True,
        resend_cooldown: float = 30.0,
        session: SessionMode = "server",
        browser_endpoint: str | None = None,
        brand_color: str | None = None,
        heading_level: int = 2,
        show_loading: bool = True,
    ) -> None:
        offered = canonical_tags(languages)
        forced = _offered(language, offered) if language else None  # refused before any element exists
        tokens = theme if isinstance(theme, Theme) or theme is None else Theme.from_mapping(theme)
        overrides = parse_overrides(form_fields)
        first = _initial_screen(initial_screen)
        if variation not in ("default", "modal"):
            raise ValueError(f"variation {variation!r} is not 'default' or 'modal'")
        self._dialog = ui.dialog() if variation == "modal" else None
        with self._dialog or nullcontext():
            super().__init__("div")
        config = MachineConfig(
            issuer=issuer,
            password_policy=password_policy or PasswordPolicy(),
            sign_up=not hide_sign_up,
            sign_up_fields=tuple(sign_up_fields),
        )
        self._title = title
        self._logo = logo
        self._languages = offered
        self._field_overrides = overrides
        self._overrides = catalog
        self._language = forced or browser_language(offered)
        self._catalog = effective_catalog(catalog, self._language)
        self._on_auth_change = on_auth_change
        self._show_signed_in = show_signed_in
        self._heading_level = heading_level
        self._show_loading = show_loading
        self._browser_id = current_browser_id()
        self._rendered: Screen | None = None
        self._body: ui.element | None = None  # the card's body, kept across screens (_card_body)
        self._recycler = Recycler()
        self._views: list[FormView] = []
        self._drafts: dict[str, str] = {}
        self._active_view: FormView | None = None
        self._refresh_wanted = False
        self._cooldown = ResendCooldown(resend_cooldown)
        self._source = uuid.uuid4().hex  # who announced a change (element ids repeat across clients)
        self._port = BrowserPort(
            self,
            session_api(api, session, browser_endpoint),
            catalog=self._catalog,
            redraw=self._render,
            auth_changed=self._auth_changed,
        )
        self._runner = EffectRunner(AuthMachine(config=config), self._port)
        self._autofill = PasskeyAutofill(self.client, self._passkey_autofilled)

        ensure_assets()
        ensure_styles()
        self.classes("na-root")
        if brand_color is not None:
            self.style(brand_style(brand_color))
        if tokens is not None and tokens.values:
            self.style(theme_style(tokens))  # after brand_color: the theme's brand wins
        self._mark_language()
        hook(self, "authenticator")
        with self.default_slot:
            self._region = ui.element("div").classes("w-full flex flex-col items-center")
        # Children of ``with authenticator:`` go in a container built on the first ``with`` (most
        # pages never use one: one element fewer per visit, issue 15); shown only while signed in.
        self._content: ui.element | None = None
        self._slots = ScreenSlots(self)
        self._render()
        on_same_browser(self._other_tab_changed, ignore_source=self._source)
        self._started = background_tasks.create(self._start(first), name="authenticator-start")

    async def ready(self, timeout: float = 1.0) -> bool:
        """Wait (at most ``timeout`` s) until the first server state is on screen; True if it is.

        A page function that awaits this before returning sends the first
        screen (the sign-in form) in its HTML instead of a loading screen that
        the websocket replaces after hydration. Past the timeout the page goes
        out with the loading screen, and the start goes on in the background.
        """
        done, _ = await asyncio.wait({self._started}, timeout=timeout)
        if not done and self._rendered is None:
            self._show_loading = True
            self._render()  # the page goes out now: with the loading screen, not an empty element
        return bool(done)

    @property
    def _machine(self) -> AuthMachine:
        return self._runner.machine

    def __enter__(self) -> Authenticator:
        if self._content is None:
            with self.default_slot:
                self._content = ui.element("div").classes("w-full")
            signed_in = self._rendered is not None and self._rendered.user is not None
            self._content.set_visibility(signed_in)
        self._content.default_slot.__enter__()
        return self

    def __exit__(self, *_: object) -> None:
        if self._content is not None:
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

    async def go_to(self, name: ScreenName) -> None:
        """Show the signed-out screen ``name`` (browser Back and Forward on the hosted page).

        From a signed-out screen it is a Navigate; from a code screen of a
        signed-out flow, Back to Sign In first. Anything the machine does not
        accept now (signed in, a call in flight) is dropped.
        """
        if self._machine.phase is not Phase.IDLE or name not in LOCAL_SCREENS:
            return
        if self._machine.screen.name not in LOCAL_SCREENS and self._machine.user is None:
            await self._dispatch(Cancel())
        if self._machine.screen.name is not name:
            await self._dispatch(Navigate(name))

    def slot(self, name: str) -> ui.element:
        """A container of your own in the card: ``"sign_in.footer"``, ``"sign_up.header"``, ``"*.footer"``.

        Use it as ``with authenticator.slot("sign_in.footer"): ui.label(...)``; it is shown
        above (header) or below (footer) the body of that screen, or of every screen for ``*``.
        """
        container, new = self._slots.slot(name)
        if new and self._rendered is not None and self._slots.applies(name, self._rendered.name):
            self._render(relabel=True)  # the screen shown now gets it at once
        return container

    def open(self) -> None:
        """Show the modal variation's dialog (focus moves into it); nothing for the default one."""
        if self._dialog is not None:
            self._dialog.open()

    def close(self) -> None:
        """Hide the modal variation's dialog."""
        if self._dialog is not None:
            self._dialog.close()

    @property
    def language(self) -> str:
        """The tag of the language shown now (``de``, ``zh-Hant``, ...)."""
        return self._language

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this element may be switched to."""
        return self._languages

    def set_language(self, tag: str) -> None:
        """Speak ``tag`` from now on: the screen is redrawn, what the person typed is kept."""
        self._language = _offered(tag, self._languages)
        self._catalog = effective_catalog(self._overrides, self._language)
        self._port.use_catalog(self._catalog)
        self._mark_language()
        self._render(relabel=True)

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

    async def _start(self, first: ScreenName | None) -> None:
        """Ask the server where we are; signed out, open ``first`` if the server offers it."""
        # A confirm screen kept across a reload comes back when the server says "signed out".
        await self._dispatch(Start(resume=kept_confirmation()))
        if (
            first is not None
            and first is not ScreenName.SIGN_IN
            and self._machine.screen.name is ScreenName.SIGN_IN
        ):
            await self._dispatch(Navigate(first))  # refused (and logged) when not offered, e.g. hide_sign_up

    async def _auth_changed(self, user: AuthUser | None, cause: Event) -> None:
        # Person events may change who is signed in, which the other tabs must learn.
        if isinstance(cause, _PERSON_EVENTS):
            notify_auth_changed(user, source=self._source, browser_id=self._browser_id)
        if user is not None:
            self.close()  # the modal variation has done its job
        if self._on_auth_change is not None:
            await call_handler(self._on_auth_change, user)

    async def _other_tab_changed(self, _: AuthChange) -> None:
        if not self.is_deleted:
            await self.refresh()

    # --------------------------------------------------------- person events

    async def _submit(self, view: FormView) -> None:
        duplicates = sum(1 for f in self._machine.screen.forms if f.action == view.form.action) > 1
        row = row_of(view.form.action)
        if row is not None and row.confirm is not None:
            with self:
                if not await confirmed(row.confirm, self._catalog, tokens=self.style):
                    return
        self._active_view = view
        self._autofill.stop()  # the browser runs one WebAuthn request; this submit goes first
        if is_resend(view.form.action):
            self._cooldown.start()
        await self._dispatch(Submit(view.values(with_hidden=duplicates), action=view.form.action))

    async def _passkey_autofilled(self, credential: str) -> None:
        await self._dispatch(PasskeyAutofilled(credential))

    async def _link(self, link: Link) -> None:
        if link.kind is LinkKind.BACK and self._machine.screen.name not in LOCAL_SCREENS:
            await self._dispatch(Cancel())
        else:
            await self._dispatch(Navigate(link.target))

    async def _back(self) -> None:
        await self._dispatch(Cancel())

    async def _bare_submit(self, action: str) -> None:
        await self._dispatch(Submit({}, action=action))

    async def _dismiss_suggestion(self) -> None:
        await self._dispatch(DismissSuggestion())

    async def _retry(self) -> None:
        await self._dispatch(Retry())

    async def _copy(self, text: str) -> None:
        copied = await self._port.copy_to_clipboard(text)
        if copied:
            ui.notify(translate(Msg("action.copied"), self._catalog), type="positive", timeout=1500)

    # ------------------------------------------------------------- rendering

    def _mark_language(self) -> None:
        """``lang`` for screen readers and fonts, ``dir`` so right-to-left scripts lay out mirrored."""
        self.props["lang"] = self._language
        self.props["dir"] = language_for(self._language).direction.value
        if self._dialog is not None:  # the dialog's accessible name, in the reader's language
            self._dialog.props["aria-label"] = self._title or translate(Msg("tab.sign_in"), self._catalog)

    def _render(self, *, relabel: bool = False) -> None:
        if self.is_deleted:
            return
        screen = self._machine.screen
        if self._rendered is None and not self._show_loading and _waiting_for_first_state(screen):
            return  # built once, never shown: the page awaits ready() and the first real screen
        before = self._rendered
        self._rendered = screen
        self._autofill.follow(screen)
        self.props["data-screen"] = screen.name.value
        keep_or_forget_confirmation(screen, self._machine.state)
        if self._content is not None:
            self._content.set_visibility(screen.user is not None)
        if before is not None and not relabel and _layout(before) == _layout(screen):
            self._show_pending(screen.pending)
            return
        # Another code step (authenticator app -> email) is a new screen too, with a new code sent.
        if not relabel and (
            before is None or (before.name, before.code_variant) != (screen.name, screen.code_variant)
        ):
            self._drafts.clear()
            if any(is_resend(f.action) for f in screen.forms):
                self._cooldown.start()  # the screen appears because a code was just sent
        self._slots.park()
        self._views = []
        self._active_view = None
        if screen.name is ScreenName.SIGNED_IN and not self._show_signed_in:
            self._region.clear()
            self._body = None
            return
        ctx = ScreenContext(
            screen=screen,
            catalog=self._catalog,
            on_submit=self._submit,
            on_link=self._link,
            on_retry=self._retry,
            on_copy=self._copy,
            on_back=self._back,
            on_dismiss=self._dismiss_suggestion,
            on_bare_submit=self._bare_submit,
            drafts=self._drafts,
            heading_level=self._heading_level,
            field_overrides=self._field_overrides.get(screen.name.value, {}),
            recycler=self._recycler,
        )
        body = self._card_body()
        self._slots.place(screen.name, "header", body=body)
        with body:
            renderer_for(screen.name)(ctx)
        self._recycler.discard_rest()
        self._slots.place(screen.name, "footer", body=body)
        self._views = ctx.views
        if screen.pending:
            self._show_pending(True)
        else:
            with self._region:
                self._cooldown.apply(self._views, self._catalog)

    def _card_body(self) -> ui.element:
        """The card's body, emptied for the next screen: the card and its brand are built once.

        Only the body changes from screen to screen, so a screen change builds
        (and the browser patches) only what differs (issue 15); of the body, the
        parts the next screen may take over are set aside (``screens/recycling.py``).
        """
        if self._body is not None and not self._body.is_deleted:
            self._recycler.set_aside(self._body)
            return self._body
        with self._region, apply(ui.card().classes("na-card"), _CARD_PROPS):
            if self._title or self._logo:
                with ui.element("div").classes("na-brand"):
                    if self._logo:
                        logo = ui.element("img")
                        logo.props["src"] = self._logo
                        logo.props["alt"] = self._title or ""
                    if self._title:
                        ui.label(self._title).classes("na-brand-title")
            self._body = ui.element("div").classes("na-body")
        return self._body

    def _show_pending(self, pending: bool) -> None:
        for view in self._views:
            view.set_pending(pending, active=view is self._active_view)
        if not pending:
            with self._region:
                self._cooldown.apply(self._views, self._catalog)


def _waiting_for_first_state(screen: Screen) -> bool:
    """The loading screen before (or during) the first getAuthState; not one showing its failure."""
    return screen.name is ScreenName.LOADING and screen.error is None


def _initial_screen(name: str | None) -> ScreenName | None:
    """``name`` as a signed-out screen the person may start on; ValueError for any other."""
    if name is None:
        return None
    allowed = sorted(screen.value for screen in LOCAL_SCREENS)
    if name not in allowed:
        raise ValueError(f"initial_screen {name!r} is not one of {', '.join(allowed)}")
    return ScreenName(name)


def _offered(tag: str, languages: tuple[str, ...]) -> str:
    """``tag`` spelled canonically; ValueError unless it is one of ``languages``."""
    canonical = canonical_tags([tag])[0]
    if canonical not in languages:
        raise ValueError(f"language {tag!r} is not among the offered {' '.join(languages)}")
    return canonical


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
