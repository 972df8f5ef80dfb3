"""The README's screenshots, taken from one walk through the hosted page.

Each image is the sign-in card with a margin of the page around it, so the set
looks the same whatever the window size. Every step is taken four times: light
and dark colour scheme (``serve --dark auto`` follows the browser's
``prefers-color-scheme``, switched here with ``emulate_media``), desktop and
phone width (390x844), and axe-core checks it in both schemes. Every run writes
the set to test-artifacts/screenshots/readme/ to look at. The committed copies in
docs/screenshots/ (the README shows them) are replaced when one is missing,
when a screen's size changed (its layout did), or on request with
``NICEGUI_AUTHENTICATOR_UPDATE_SCREENSHOTS=1``. Not on every run: the TOTP
secret and the passkey id are random, and a test run should not leave the
working tree changed.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from accessibility import assert_accessible
from auth_driver import AuthUI
from browser_harness import (
    README_SCREENSHOTS,
    SCREENSHOTS,
    Serve,
    credentials,
    fresh_totp_code,
    presence,
    start_serve,
    totp_from_qr,
    virtual_authenticator,
)
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

MARGIN = 24
DESKTOP = {"width": 1000, "height": 820}
PHONE = {"width": 390, "height": 844}
FRESH = SCREENSHOTS / "readme"
UPDATE = os.environ.get("NICEGUI_AUTHENTICATOR_UPDATE_SCREENSHOTS") == "1"
NAME = "ada"
EMAIL = "ada@example.com"
PASSWORD = "Analytical-Engine1"

STEPS = (
    "sign_in",
    "sign_up",
    "confirm_sign_up",
    "signed_in",
    "setup_totp",
    "passkey_manage",
    "select_mfa",
    "confirm_code",
    "error",
)
# What the README shows: every step in light and dark at desktop width, a few at phone width.
PHONE_STEPS = ("sign_in", "sign_up", "setup_totp")
README_SET = (
    *STEPS,
    *(f"{step}-dark" for step in STEPS),
    *(f"{step}-phone" for step in PHONE_STEPS),
    *(f"{step}-dark-phone" for step in PHONE_STEPS),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = start_serve(
        tmp_path_factory.mktemp("readme"),
        "--mfa", "optional", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username",
        "--title", "Acme Analytics",
        # One language, so no switcher above the card: its edge showed in every crop (the
        # switcher has its own shots in the languages section).
        "--language", "en",
    )  # fmt: skip
    yield serve
    serve.process.stop()


def card_shot(page: Page, name: str) -> None:
    """The card and a margin around it in light and dark, desktop and phone width, each checked by axe-core."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        expect(page.locator("body")).to_have_class(
            re.compile(r"\bbody--dark\b") if scheme == "dark" else re.compile(r"^(?!.*\bbody--dark\b)")
        )
        assert_accessible(page, f"readme-{name}")  # the phone layout has the same elements and colours
        suffix = "" if scheme == "light" else "-dark"
        _shot(page, f"{name}{suffix}")
        page.set_viewport_size(PHONE)
        _shot(page, f"{name}{suffix}-phone")
        page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light")


def _shot(page: Page, name: str) -> Path:
    """One settled picture (no ripple, caret or focus animation) of the card with a margin."""
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    card = page.locator(".na-card").first
    box = card.bounding_box()
    assert box is not None
    FRESH.mkdir(parents=True, exist_ok=True)
    path = FRESH / f"{name}.png"
    page.screenshot(
        path=str(path),
        full_page=True,  # the clip may reach below the window (setup_totp is tall)
        animations="disabled",
        caret="hide",
        clip={
            "x": max(box["x"] - MARGIN, 0),
            "y": max(box["y"] - MARGIN, 0),
            "width": box["width"] + 2 * MARGIN,
            "height": box["height"] + 2 * MARGIN,
        },
    )
    return path


def test_readme_screenshots(context: BrowserContext, server: Serve) -> None:
    shutil.rmtree(FRESH, ignore_errors=True)  # the set below is exactly what this run took
    page = context.new_page()
    cdp, authenticator_id = virtual_authenticator(context, page)
    auth = AuthUI(page)
    auth.open()
    card_shot(page, "sign_in")

    auth.tab("signUp")
    auth.expect_screen("sign_up")
    auth.fill("signUp", username=NAME, password=PASSWORD, confirmPassword=PASSWORD)
    card_shot(page, "sign_up")
    before = server.outbox.count()
    auth.submit("signUp")
    auth.expect_screen("confirm_sign_up")
    card_shot(page, "confirm_sign_up")
    auth.confirm_sign_up(server.outbox, NAME, after=before)
    auth.expect_signed_in(NAME)
    card_shot(page, "signed_in")

    auth.submit("startTotpSetup")
    auth.expect_screen("setup_totp")
    card_shot(page, "setup_totp")
    otp = totp_from_qr(auth.hook("authenticator-totp-qr"))
    used = [otp.now()]
    auth.fill("completeTotpSetup", code=used[0])
    auth.submit("completeTotpSetup")
    auth.expect_screen("signed_in")

    before = server.outbox.count()
    auth.fill("startEmailMfaSetup", email=EMAIL)
    auth.submit("startEmailMfaSetup")
    auth.expect_screen("confirm_code")
    auth.fill("completeEmailMfaSetup", code=server.outbox.wait_code(EMAIL, after=before))
    auth.submit("completeEmailMfaSetup")
    auth.expect_screen("signed_in")

    auth.submit("startPasskeyRegistration")
    auth.expect_screen("passkey_register")
    auth.submit("completePasskeyRegistration")
    auth.expect_screen("passkey_manage")
    assert len(credentials(cdp, authenticator_id)) == 1
    card_shot(page, "passkey_manage")
    auth.link("backToAccount")
    auth.expect_screen("signed_in")
    presence(cdp, authenticator_id, touched=False)  # else the sign-in page's passkey autofill signs in
    auth.sign_out()

    # A password reset forgets the preferred factor: the next sign-in asks which one.
    auth.link("forgotPassword")
    before = server.outbox.count()
    auth.fill("resetPassword", username=NAME)
    auth.submit("resetPassword")
    auth.expect_screen("confirm_reset_password")
    code = server.outbox.wait_code(EMAIL, purpose="password-reset", after=before)
    auth.fill("confirmResetPassword", code=code, newPassword=PASSWORD, confirmPassword=PASSWORD)
    auth.submit("confirmResetPassword")
    auth.expect_screen("sign_in")
    auth.sign_in(NAME, PASSWORD)
    auth.expect_screen("select_mfa")
    card_shot(page, "select_mfa")

    auth.choose("mfaType", "TOTP")
    auth.submit("confirmSignIn")
    auth.expect_screen("confirm_code")
    card_shot(page, "confirm_code")
    auth.fill("confirmSignIn", code="123456" if otp.now() != "123456" else "654321")
    auth.submit("confirmSignIn")
    expect(auth.error).to_be_visible()
    card_shot(page, "error")
    auth.fill("confirmSignIn", code=fresh_totp_code(otp, used))
    auth.submit("confirmSignIn")
    auth.expect_signed_in(NAME)

    taken = {p.stem for p in FRESH.glob("*.png")}
    assert taken >= set(README_SET), set(README_SET) - taken
    assert len(taken) == 4 * len(STEPS)  # light, dark, desktop, phone of every step
    README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in README_SET:
        fresh, committed = FRESH / f"{name}.png", README_SCREENSHOTS / f"{name}.png"
        if UPDATE or not committed.exists() or _size(committed) != _size(fresh):
            shutil.copyfile(fresh, committed)


def _size(png: Path) -> tuple[int, int]:
    with Image.open(png) as image:
        return image.size
