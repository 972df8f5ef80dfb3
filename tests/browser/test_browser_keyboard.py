"""Keyboard only: sign-up, TOTP enrolment and sign-in with TOTP, and a password reset.

No click, no ``fill``: focus moves with Tab and Shift+Tab, buttons and tabs
are pressed with Enter or Space, text is typed into whatever has focus. A
control that cannot be reached or pressed this way fails the test. The one
arrow key is inside the Sign In / Create Account tab list: Quasar's tabs follow
the WAI-ARIA tabs pattern (only the selected tab is in the Tab order, arrows
move between tabs), which is what keyboard and screen-reader users expect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from accessibility import assert_accessible
from auth_driver import AuthUI
from browser_harness import PASSWORD, Serve, fresh_totp_code, start_serve, totp_from_qr, unique
from nicegui_authenticator.ui.components.palette import UI_CONTRAST, contrast_ratio
from playwright.sync_api import Locator, Page, expect

MAX_TABS = 25

# The focused element's ring (its box-shadow) and the card's background, as the browser computes them.
_RING = """(e) => ({shadow: getComputedStyle(e).boxShadow,
                   card: getComputedStyle(e.closest('.na-card')).backgroundColor})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = start_serve(
        tmp_path_factory.mktemp("keyboard"),
        "--mfa", "optional", "--mfa-types", "TOTP", "--sign-in-with", "username",
    )  # fmt: skip
    yield serve
    serve.process.stop()


def _has_focus(target: Locator) -> bool:
    return bool(target.evaluate("(e) => e === document.activeElement || e.contains(document.activeElement)"))


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``target`` (or something inside it) has the focus."""
    expect(target).to_be_visible()
    for _ in range(MAX_TABS):
        if _has_focus(target):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{target} was not reached with {MAX_TABS} presses of {'Shift+' * backwards}Tab")


def type_into(page: Page, target: Locator, text: str) -> None:
    """Tab to a field and type ``text`` over whatever it holds (a remembered username)."""
    tab_to(page, target)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def press(page: Page, target: Locator, key: str = "Enter", *, backwards: bool = False) -> None:
    tab_to(page, target, backwards=backwards)
    page.keyboard.press(key)


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(float(part)) for part in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def assert_focus_ring(page: Page) -> None:
    """The focused control shows a ring at least 2px wide with 3:1 against the card.

    The ring is the outer of two box-shadows (a gap in the card's colour, then the ring).
    """
    ring = page.evaluate_handle("() => document.activeElement").evaluate(_RING)
    shadows = re.findall(r"(rgba?\([^)]*\)) 0px 0px 0px (\d+)px", ring["shadow"])
    assert len(shadows) == 2, ring
    (_, gap), (color, outer) = shadows
    assert int(outer) - int(gap) >= 2, ring
    assert contrast_ratio(_rgb(color), _rgb(ring["card"])) >= UI_CONTRAST, ring


def test_sign_up_totp_sign_in_and_reset_with_the_keyboard_only(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("keys")

    # Sign-up: back from the focused username to the selected tab, across to Create Account, Space.
    tab_to(page, auth.hook("authenticator-tab-signIn"), backwards=True)
    page.keyboard.press("ArrowRight")
    expect(auth.hook("authenticator-tab-signUp")).to_be_focused()
    page.keyboard.press("Space")
    auth.expect_screen("sign_up")
    before = server.outbox.count()
    type_into(page, auth.field("signUp", "username"), name)
    type_into(page, auth.field("signUp", "password"), PASSWORD)
    # The eye button is in the tab order, named for what it does, and flips with Space.
    toggle = auth.hook("authenticator-password-toggle").first
    expect(toggle).to_have_attribute("aria-label", "Show password")
    tab_to(page, toggle)
    assert_focus_ring(page)
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-label", "Hide password")
    expect(auth.field("signUp", "password")).to_have_attribute("type", "text")
    type_into(page, auth.field("signUp", "confirmPassword"), PASSWORD)
    page.keyboard.press("Enter")  # Enter in a field submits its form
    auth.expect_screen("confirm_sign_up")
    type_into(page, auth.field("confirmSignUp", "code"), server.outbox.wait_code(name, after=before))
    page.keyboard.press("Enter")
    auth.expect_signed_in(name)

    # Enrol an authenticator app from the account screen.
    tab_to(page, auth.submit_button("startTotpSetup"))
    assert_focus_ring(page)
    page.keyboard.press("Enter")
    auth.expect_screen("setup_totp")
    otp = totp_from_qr(auth.hook("authenticator-totp-qr"))
    first = otp.now()
    type_into(page, auth.field("completeTotpSetup", "code"), first)
    page.keyboard.press("Enter")
    auth.expect_screen("signed_in")
    press(page, auth.submit_button("signOut"), "Space")
    auth.expect_screen("sign_in")

    # Sign in with the password and a TOTP code.
    type_into(page, auth.field("signIn", "username"), name)
    type_into(page, auth.field("signIn", "password"), PASSWORD)
    page.keyboard.press("Enter")
    auth.expect_screen("confirm_code")
    type_into(page, auth.field("confirmSignIn", "code"), fresh_totp_code(otp, [first]))
    page.keyboard.press("Enter")
    auth.expect_signed_in(name)
    press(page, auth.submit_button("signOut"))
    auth.expect_screen("sign_in")

    # Reset the password.
    tab_to(page, auth.hook("authenticator-link-forgotPassword"))
    assert_focus_ring(page)
    page.keyboard.press("Enter")
    auth.expect_screen("forgot_password")
    before = server.outbox.count()
    type_into(page, auth.field("resetPassword", "username"), name)
    page.keyboard.press("Enter")
    auth.expect_screen("confirm_reset_password")
    new_password = "Keyb0ard-only!"
    type_into(page, auth.field("confirmResetPassword", "code"), server.outbox.wait_code(name, after=before))
    type_into(page, auth.field("confirmResetPassword", "newPassword"), new_password)
    type_into(page, auth.field("confirmResetPassword", "confirmPassword"), new_password)
    press(page, auth.submit_button("confirmResetPassword"))
    auth.expect_screen("sign_in")
    type_into(page, auth.field("signIn", "username"), name)
    type_into(page, auth.field("signIn", "password"), new_password)
    page.keyboard.press("Enter")
    auth.expect_screen("confirm_code")


def test_the_card_follows_nicegui_dark_mode_when_embedded(page: Page, server: Serve) -> None:
    """``ui.dark_mode(True)`` sets Quasar's dark mode on the client; the card's colours follow it."""
    auth = AuthUI(page)
    auth.open()
    card = page.locator(".na-card").first
    light = card.evaluate("(e) => getComputedStyle(e).backgroundColor")
    page.evaluate("() => Quasar.Dark.set(true)")  # what NiceGUI's dark_mode element does
    expect(page.locator("body")).to_have_class(re.compile(r"\bbody--dark\b"))
    dark = card.evaluate("(e) => getComputedStyle(e).backgroundColor")
    assert _rgb(light) == (255, 255, 255) and _rgb(dark) == (0x1E, 0x23, 0x2B)
    heading = auth.hook("authenticator-heading")
    assert contrast_ratio(_rgb(heading.evaluate("(e) => getComputedStyle(e).color")), _rgb(dark)) >= 4.5
    assert_accessible(page, "embedded-dark-sign_in")
