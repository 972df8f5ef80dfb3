"""Visitors of the topology from addresses of their own, and the steps an attacker repeats.

Each answer of the page must be told apart from the one before it, and a
refused attempt shows the same banner as the previous refusal. So before an
attempt the banner is cleared the way a person would clear it (to another
screen and back, no backend call), and the attempt is answered when a banner
or the next screen appears. The page is never watched for a pending spinner:
a fast answer can arrive in the same update as the spinner and never show it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from auth_driver import TIMEOUT, AuthUI
from playwright.sync_api import Browser, expect

# Linux routes all of 127/8 to the loopback interface: two more visitors' addresses.
ATTACKER = "127.0.0.2"
VICTIM = "127.0.0.3"


@contextlib.contextmanager
def visitor(browser: Browser, base_url: str, headers: dict[str, str] | None = None) -> Iterator[AuthUI]:
    """A fresh browser (no cookies) on the sign-in screen of ``base_url``."""
    context = browser.new_context(
        base_url=base_url, ignore_https_errors=True, locale="en-US", extra_http_headers=headers
    )
    try:
        ui = AuthUI(context.new_page())
        ui.open("/")
        yield ui
    finally:
        context.close()


def interleaved(scripts: Iterable[Iterator[None]]) -> None:
    """Run each script to its next ``yield`` in turn, until all are done.

    A script yields right after it sent something to the page, so while one
    visitor waits for its answer the others' requests are already on the way:
    the attempts overlap as several people's would, instead of queueing
    behind each other's round trips.
    """
    active = list(scripts)
    while active:
        for script in list(active):
            if next(script, _DONE) is _DONE:
                active.remove(script)


_DONE = object()


def _to_sign_in(ui: AuthUI) -> Iterator[None]:
    """The sign-in screen with no banner: via the sign-up tab when a banner is shown."""
    screen = ui.screen()
    if screen == "sign_in" and ui.error.count() == 0:
        return
    if screen == "sign_in":
        ui.tab("signUp")
        yield
        ui.expect_screen("sign_up")
        ui.tab("signIn")
    else:
        ui.link("backToSignIn")
    yield
    ui.expect_screen("sign_in")
    expect(ui.error).to_have_count(0, timeout=TIMEOUT)


def refused_sign_ins(ui: AuthUI, username: str, passwords: Iterable[str]) -> Iterator[None]:
    """Sign in with each password and expect a refusal (whatever its words): a banner, still signed out."""
    for password in passwords:
        yield from _to_sign_in(ui)
        ui.fill("signIn", username=username, password=password)
        ui.submit("signIn")
        yield
        expect(ui.error).to_be_visible(timeout=TIMEOUT)
        assert ui.screen() == "sign_in", ui.screen()


def requested_resets(ui: AuthUI, usernames: Iterable[str], answers: list[bool]) -> Iterator[None]:
    """Ask for a reset code for each name; appends True when the page moved on to entering it."""
    for username in usernames:
        yield from _to_sign_in(ui)
        ui.link("forgotPassword")
        yield
        ui.expect_screen("forgot_password")
        ui.fill("resetPassword", username=username)
        ui.submit("resetPassword")
        yield
        expect(ui.error.or_(ui.action("confirmResetPassword")).first).to_be_visible(timeout=TIMEOUT)
        answers.append(ui.screen() == "confirm_reset_password")


def run(script: Iterator[None]) -> None:
    """One script on its own."""
    interleaved([script])
