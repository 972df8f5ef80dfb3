"""MFA required (``serve --mfa required``): the first sign-in enrols a second factor.

Sign-up asks for no email here (sign-in by username), so the backend has
nothing enrolled and offers the choice of what to set up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from auth_driver import AuthUI
from browser_harness import Serve, fresh_totp_code, screenshot, start_serve, totp_from_qr, unique
from playwright.sync_api import Page, expect

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    '<circle cx="32" cy="32" r="30" fill="#0f766e"/></svg>'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    workdir = tmp_path_factory.mktemp("mfa-required")
    (workdir / "logo.svg").write_text(LOGO)
    serve = start_serve(
        workdir,
        "--mfa", "required", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username",
        "--title", "Acme Corp", "--logo", str(workdir / "logo.svg"), "--brand-color", "#0f766e",
    )  # fmt: skip
    yield serve
    serve.process.stop()


def _sign_up_to_the_setup_choice(auth: AuthUI, server: Serve, name: str) -> None:
    before = server.outbox.count()
    auth.sign_up(name)
    auth.confirm_sign_up(server.outbox, name, after=before)
    auth.expect_screen("select_mfa_setup")  # signed in automatically, straight into enrolment


def test_authenticator_app_enrolled_at_first_sign_in_from_the_scanned_qr_code(
    page: Page, server: Serve
) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("totp")
    _sign_up_to_the_setup_choice(auth, server, name)
    expect(auth.hook("authenticator-mfaType-TOTP")).to_be_visible()
    expect(auth.hook("authenticator-mfaType-EMAIL")).to_be_visible()
    screenshot(page, "required-select_mfa_setup")
    auth.choose("mfaType", "TOTP")
    auth.submit("confirmSignIn")
    auth.expect_screen("setup_totp")
    screenshot(page, "required-setup_totp")

    otp = totp_from_qr(auth.hook("authenticator-totp-qr"))
    assert otp.name == name and otp.issuer == "Acme Corp"  # the issuer follows --title
    first = otp.now()
    auth.fill("confirmSignIn", code=first)
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)

    auth.sign_out()
    auth.sign_in(name)
    auth.expect_screen("confirm_code")
    auth.fill("confirmSignIn", code=fresh_totp_code(otp, [first]))
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)


def test_email_codes_enrolled_at_first_sign_in(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("email")
    email = f"{name}@example.com"
    _sign_up_to_the_setup_choice(auth, server, name)
    auth.choose("mfaType", "EMAIL")
    auth.submit("confirmSignIn")
    auth.expect_screen("setup_email")
    screenshot(page, "required-setup_email")
    before = server.outbox.count()
    auth.fill("confirmSignIn", email=email)
    auth.submit("confirmSignIn")
    auth.expect_screen("confirm_code")
    code = server.outbox.wait_code(email, after=before)
    auth.fill("confirmSignIn", code=code)
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)


def test_back_to_sign_in_leaves_an_unfinished_enrolment(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("leaver")
    _sign_up_to_the_setup_choice(auth, server, name)
    auth.link("backToSignIn")
    auth.expect_screen("sign_in")
    auth.sign_in(name)
    auth.expect_screen("select_mfa_setup")  # MFA is still required before anything else


def test_the_page_carries_the_brand(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    expect(page).to_have_title("Acme Corp")
    logo = auth.root.locator("img[alt='Acme Corp']")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 64  # served from the local file
    button = auth.submit_button("signIn")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(15, 118, 110)"
    screenshot(page, "required-branded_sign_in")
