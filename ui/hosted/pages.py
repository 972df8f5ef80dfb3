"""The hosted login page: what ``nicegui-authenticator serve`` shows at ``/``.

One page does everything: signed out it is the sign-in/sign-up card, signed in
it is the account page (the Authenticator's signed-in screen: sign out,
passkeys). ``?redirect=<target>`` sends the person on after sign-in, but only
to targets the :class:`~.redirects.RedirectPolicy` allows, so the page cannot
be used as an open redirect.

:func:`sign_in_page` is the reusable part for apps that host their own login
page next to :func:`~..components.protected.protected` pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any, Final

from nicegui import ui
from nicegui.events import GenericEventArguments

from ...client import AuthClient, AuthStateApi
from ...client.callbacks import call_handler
from ...state_machine import AuthUser, Msg, ScreenName, translate
from ...state_machine.catalogs import catalog_for
from ...state_machine.languages import language_for
from ..components.authenticator import Authenticator
from ..components.hooks import hook
from ..components.language_switcher import LanguageSwitcher
from .config import HostedConfig
from .redirects import RedirectPolicy
from .screen_urls import POPSTATE_EVENT, history_script, screen_of

AuthChangeHandler = Callable[[AuthUser | None], Any]


def sign_in_page(
    api: AuthStateApi | AuthClient,
    *,
    redirect: str | None = None,
    policy: RedirectPolicy | None = None,
    on_auth_change: AuthChangeHandler | None = None,
    **authenticator_options: Any,
) -> Authenticator:
    """An Authenticator that, once signed in, goes on to ``redirect`` if the policy allows it.

    Call it inside a page function that takes ``redirect: str | None = None``
    (NiceGUI fills it from the query string). Relative paths on this site are
    always allowed; absolute URLs only for hosts in ``policy``. A person who is
    already signed in is sent on right away; without an allowed target the
    page shows the signed-in screen (account management) instead.
    """
    page = ui.context.client
    request = page.request
    own_host = request.headers.get("host") if request is not None else None
    target = (policy or RedirectPolicy()).resolve(redirect, own_host=own_host)

    async def after_change(user: AuthUser | None) -> None:
        if on_auth_change is not None:
            await call_handler(on_auth_change, user)
        if user is not None and target is not None:
            # In the page's context: an already signed-in visitor is told from the
            # Authenticator's start-up task, which has no slot to find the page by.
            with page:
                ui.navigate.to(target)

    element = Authenticator(api, on_auth_change=after_change, **authenticator_options)
    return element


def _name_the_loading_bar(tag: str) -> None:
    """Give Quasar's page loading bar (``role=progressbar``, shown while a request runs) a name in ``tag``."""
    label = json.dumps(translate(Msg("page.loading"), catalog_for(tag)))
    ui.run_javascript(f"Quasar.LoadingBar.setDefaults({{'aria-label': {label}}})")


def _dev_banner(outbox: str) -> None:
    """The on-page half of "loud": the command prints the other half at start.

    For developers only, so in English whatever the page's language, and marked
    so (``lang``, ``dir``) to read left to right on a right-to-left page.
    """
    # One element, not four: fixed English and the outbox path from the command line, no visitor
    # text (the path is escaped all the same). Every element is server memory per visitor (issue 15).
    banner = ui.html(
        '<span class="na-dev-banner-title">Development mode</span>'
        "The embedded reference backend sends no codes; read them in the "
        f'<a class="na-dev-banner-link" href="{escape(outbox)}" target="_blank" rel="noopener" '
        'data-testid="hosted-dev-outbox-link">development outbox</a>. Not for real accounts.',
        sanitize=False,
    ).classes("na-dev-banner w-full")
    banner.props.update({"role": "status", "lang": "en", "dir": "ltr"})
    hook(banner, "hosted-dev-banner")


# The page around the card, with light and dark values like the card's tokens
# (assets/authenticator.css): --na-page-bg behind the card, --na-dev-* for the banner.
_PAGE_CSS: Final = """
.na-hosted-main { --na-page-bg: #f3f4f6; --na-dev-bg: #fef3c7; --na-dev-text: #78350f;
  --na-dev-border: #f59e0b; --na-dev-link: #92400e; }
.body--dark .na-hosted-main { --na-page-bg: #111418; --na-dev-bg: #3b2a06; --na-dev-text: #fde7b0;
  --na-dev-border: #b7791f; --na-dev-link: #fcd57a; }
.na-dev-banner { padding: .6rem 1rem; background: var(--na-dev-bg); color: var(--na-dev-text);
  border-bottom: 2px solid var(--na-dev-border); font-size: .9rem; text-align: center; line-height: 1.5; }
.na-dev-banner-title { display: inline; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  margin-right: .5rem; }
.na-dev-banner-link { color: var(--na-dev-link); font-weight: 600; text-decoration: underline; }
.na-hosted-main { min-height: 100vh; background: var(--na-light-color-background, var(--na-page-bg));
  font-family: var(--na-font-family, inherit); }
.body--dark .na-hosted-main { background: var(--na-dark-color-background, var(--na-page-bg)); }
.na-hosted-languages { display: flex; justify-content: flex-end; width: 100%; max-width: var(--na-width-card, 28rem); }
.na-hosted-languages .na-language-switcher { min-width: 11rem; background: var(--na-page-bg); }
"""


def follow_screens_in_history(authenticator: Authenticator) -> None:
    """Give each signed-out screen its URL and let Back/Forward move between them (:mod:`.screen_urls`)."""

    async def popped(event: GenericEventArguments) -> None:
        try:
            screen = ScreenName(str(event.args))
        except ValueError:
            return  # not a screen name: a stale or hand-made history entry
        if not authenticator.is_deleted:
            await authenticator.go_to(screen)

    ui.on(POPSTATE_EVENT, popped)
    # Sent once the socket is up (NiceGUI queues it until then): no timer element per page (issue 15).
    ui.run_javascript(history_script(authenticator.id))


def _mark_page_language(tag: str, *, title: str | None) -> None:
    """The document's ``lang``, ``dir`` and title: the whole page, menus included, follows the language."""
    ui.query("html").props(f"lang={tag} dir={language_for(tag).direction.value}")
    ui.page_title(title or translate(Msg("tab.sign_in"), catalog_for(tag)))
    _name_the_loading_bar(tag)


def add_hosted_pages(api: AuthStateApi | AuthClient, config: HostedConfig) -> None:
    """Register the login page at ``/`` for ``api`` with the given look and redirect policy."""

    palette = config.palette  # checked (and any adjustment reported) once, at start

    # An async page gets NiceGUI's response timeout (3 s by default, then a 500); the
    # wait below is bounded well inside the larger one given here, even on a busy loop.
    @ui.page("/", title=config.title or "Sign in", dark=config.dark, response_timeout=10)
    async def login_page(redirect: str | None = None, screen: str | None = None) -> None:
        ui.add_css(_PAGE_CSS)
        # Quasar's primary from the stylesheet rather than a ui.colors element: one element and one
        # script less per visit (issue 15). !important beats the default Quasar writes on <body>.
        ui.add_css(
            f":root {{ --na-brand-color: {palette.light}; --na-brand-color-dark: {palette.dark}; }}"
            f" body {{ --q-primary: {palette.light} !important; }}"
        )
        # On the page's content element itself: a ui.query would be one more element per visit.
        ui.context.client.content.classes("p-0 gap-0")
        with ui.column().classes("na-hosted-main w-full items-center gap-0") as main:
            if config.theme is not None and config.theme.values:
                main.style(config.theme.css_declarations())  # the page around the card follows the theme
            if config.dev_outbox:
                _dev_banner(config.dev_outbox)
            with ui.column().classes("w-full items-center px-4 py-10 gap-3"):
                switcher_row = ui.element("div").classes("na-hosted-languages")
                authenticator = sign_in_page(
                    api,
                    redirect=redirect,
                    policy=config.redirect_policy,
                    issuer=config.issuer,
                    title=config.title,
                    logo=config.logo,
                    heading_level=1,  # the card is the page: each screen's title is its h1
                    language=config.language,
                    languages=config.languages,
                    theme=config.theme,
                    initial_screen=screen_of(screen) or config.initial_screen,
                    show_loading=False,  # ready() below: the first real screen is the first one built
                    **config.authenticator_options,
                )
                _mark_page_language(authenticator.language, title=config.title)
                if config.language is None and len(authenticator.languages) > 1:
                    with switcher_row:
                        LanguageSwitcher(
                            authenticator, on_change=lambda tag: _mark_page_language(tag, title=config.title)
                        )
        follow_screens_in_history(authenticator)
        # The first screen goes out in this HTML, not over the websocket after hydration:
        # "first input visible" then needs no second round trip (issue 15).
        await authenticator.ready(timeout=1.0)
