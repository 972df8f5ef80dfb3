"""The everyday flows in Chromium against ``nicegui-authenticator serve`` (embedded backend).

One server for the module: MFA optional with TOTP and email codes, sign-in by
username (so sign-up asks for an email only optionally). Every test uses its
own browser context and fresh usernames, so they do not disturb each other.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from auth_driver import TIMEOUT, AuthUI
from browser_harness import (
    PASSWORD,
    ContextFactory,
    Serve,
    admin,
    credentials,
    fresh_totp_code,
    presence,
    screenshot,
    start_serve,
    totp_from_qr,
    unique,
    virtual_authenticator,
)
from playwright.sync_api import BrowserContext, Page, expect


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = start_serve(
        tmp_path_factory.mktemp("flows"),
        "--mfa", "optional", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username",
    )  # fmt: skip
    yield serve
    serve.process.stop()


def test_sign_up_confirm_reload_sign_out_and_sign_in(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    screenshot(page, "flows-sign_in")
    name = unique("newcomer")
    before = server.outbox.count()
    auth.sign_up(name)
    screenshot(page, "flows-confirm_sign_up")
    auth.confirm_sign_up(server.outbox, name, after=before)
    auth.expect_signed_in(name)
    screenshot(page, "flows-signed_in")

    page.reload()
    auth.expect_screen("signed_in")
    auth.expect_signed_in(name)

    auth.sign_out()
    auth.sign_in(name)
    auth.expect_signed_in(name)


def test_wrong_password_shows_the_error_and_keeps_the_username(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("forgetful")
    auth.register(server.outbox, name)
    auth.sign_out()

    auth.sign_in(name, "Wr0ng-password!")
    expect(auth.error).to_be_visible(timeout=TIMEOUT)
    expect(auth.error).to_have_attribute("role", "alert")
    auth.expect_screen("sign_in")
    expect(auth.field("signIn", "username")).to_have_value(name)
    # Announced once: the banner is the card's one live region (the field's error is tied to the
    # input with aria-describedby, not a second role=alert).
    expect(auth.root.locator("[role=alert], [role=status], [aria-live]")).to_have_count(1)
    expect(auth.field("signIn", "password")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "flows-sign_in_error")

    auth.fill("signIn", password=PASSWORD)
    auth.submit("signIn")
    auth.expect_signed_in(name)
    expect(auth.error).to_have_count(0)


def test_forgot_password_end_to_end(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("reset")
    auth.register(server.outbox, name)
    auth.sign_out()

    auth.link("forgotPassword")
    auth.expect_screen("forgot_password")
    screenshot(page, "flows-forgot_password")
    before = server.outbox.count()
    auth.fill("resetPassword", username=name)
    auth.submit("resetPassword")
    auth.expect_screen("confirm_reset_password")
    code = server.outbox.wait_code(name, purpose="password-reset", after=before)
    new_password = "N3w-Passw0rd!"
    auth.fill("confirmResetPassword", code=code, newPassword=new_password, confirmPassword=new_password)
    screenshot(page, "flows-confirm_reset_password")
    auth.submit("confirmResetPassword")
    auth.expect_screen("sign_in")

    auth.sign_in(name, PASSWORD)  # the old password no longer works
    expect(auth.error).to_be_visible(timeout=TIMEOUT)
    auth.fill("signIn", password=new_password)
    auth.submit("signIn")
    auth.expect_signed_in(name)


def test_a_wrong_code_is_retriable_and_keeps_the_form(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("typo")
    before = server.outbox.count()
    auth.sign_up(name)
    code = server.outbox.wait_code(name, purpose="sign-up", after=before)
    wrong = "000000" if code != "000000" else "111111"
    auth.fill("confirmSignUp", code=wrong)
    auth.submit("confirmSignUp")
    expect(auth.error).to_be_visible(timeout=TIMEOUT)
    auth.expect_screen("confirm_sign_up")
    expect(auth.action("resendSignUpCode")).to_be_visible()
    screenshot(page, "flows-confirm_sign_up_wrong_code")

    auth.fill("confirmSignUp", code=code)
    auth.submit("confirmSignUp")
    auth.expect_signed_in(name)


def _enable_email_codes(auth: AuthUI, server: Serve, email: str) -> None:
    """Account settings -> Set up email codes -> the code sent there."""
    before = server.outbox.count()
    auth.fill("startEmailMfaSetup", email=email)
    auth.submit("startEmailMfaSetup")
    auth.expect_screen("confirm_code")
    code = server.outbox.wait_code(email, purpose="mfa-setup", after=before)
    auth.fill("completeEmailMfaSetup", code=code)
    auth.submit("completeEmailMfaSetup")
    auth.expect_screen("signed_in")


def _enable_totp(auth: AuthUI, page: Page, *, shot: str | None = None) -> pyotp.TOTP:
    """Account settings -> Set up authenticator app -> scan the QR code as rendered -> first code."""
    auth.submit("startTotpSetup")
    auth.expect_screen("setup_totp")
    qr = auth.hook("authenticator-totp-qr")
    expect(qr).to_be_visible()
    if shot:
        screenshot(page, shot)
    otp = totp_from_qr(qr)
    assert otp.issuer == "nicegui-authenticator"
    auth.fill("completeTotpSetup", code=otp.now())
    auth.submit("completeTotpSetup")
    auth.expect_screen("signed_in")
    return otp


def test_email_codes_as_second_factor(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    auth.register(server.outbox, name := unique("mailer"))
    email = f"{name}@example.com"
    _enable_email_codes(auth, server, email)
    auth.sign_out()

    before = server.outbox.count()
    auth.sign_in(name)
    auth.expect_screen("confirm_code")
    expect(auth.root).to_contain_text("***")  # the masked destination, e.g. m***@e***.com
    screenshot(page, "flows-confirm_code_email")
    code = server.outbox.wait_code(email, purpose="sign-in", after=before)
    auth.fill("confirmSignIn", code=code)
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)


def test_authenticator_app_set_up_by_scanning_the_rendered_qr_code(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    auth.register(server.outbox, name := unique("scanner"))
    otp = _enable_totp(auth, page, shot="flows-setup_totp")
    assert otp.name == name
    used = [otp.now()]
    auth.sign_out()

    auth.sign_in(name)
    auth.expect_screen("confirm_code")
    screenshot(page, "flows-confirm_code_totp")
    auth.fill("confirmSignIn", code=fresh_totp_code(otp, used))
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)


def test_choosing_between_two_second_factors(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    auth.register(server.outbox, name := unique("chooser"))
    email = f"{name}@example.com"
    _enable_email_codes(auth, server, email)
    _enable_totp(auth, page)
    auth.sign_out()
    # A password reset clears the preferred factor, so the next sign-in asks which one.
    auth.link("forgotPassword")
    before = server.outbox.count()
    auth.fill("resetPassword", username=name)
    auth.submit("resetPassword")
    auth.expect_screen("confirm_reset_password")
    code = server.outbox.wait_code(email, purpose="password-reset", after=before)
    auth.fill("confirmResetPassword", code=code, newPassword=PASSWORD + "2", confirmPassword=PASSWORD + "2")
    auth.submit("confirmResetPassword")
    auth.expect_screen("sign_in")

    auth.sign_in(name, PASSWORD + "2")
    auth.expect_screen("select_mfa")
    expect(auth.hook("authenticator-mfaType-TOTP")).to_be_visible()
    expect(auth.hook("authenticator-mfaType-EMAIL")).to_be_visible()
    screenshot(page, "flows-select_mfa")
    before = server.outbox.count()
    auth.choose("mfaType", "EMAIL")
    auth.submit("confirmSignIn")
    auth.expect_screen("confirm_code")
    code = server.outbox.wait_code(email, purpose="sign-in", after=before)
    auth.fill("confirmSignIn", code=code)
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)


def test_passkey_registration_and_passkey_sign_in(context: BrowserContext, server: Serve) -> None:
    page = context.new_page()
    cdp, authenticator_id = virtual_authenticator(context, page)
    auth = AuthUI(page)
    auth.open()
    auth.register(server.outbox, name := unique("passkey"))

    auth.submit("startPasskeyRegistration")
    auth.expect_screen("passkey_register")
    screenshot(page, "flows-passkey_register")
    auth.submit("completePasskeyRegistration")  # Chrome's virtual authenticator answers
    auth.expect_screen("passkey_manage")
    assert len(credentials(cdp, authenticator_id)) == 1
    expect(auth.action("deletePasskey")).to_be_visible()
    screenshot(page, "flows-passkey_manage")
    auth.link("backToAccount")
    auth.expect_screen("signed_in")
    presence(cdp, authenticator_id, touched=False)  # else the sign-in page's autofill signs in
    auth.sign_out()

    auth.link("passkeySignIn")
    auth.expect_screen("passkey_sign_in")
    presence(cdp, authenticator_id, touched=True)
    screenshot(page, "flows-passkey_sign_in")
    auth.fill("signInWithPasskey", username=name)
    auth.submit("signInWithPasskey")
    auth.expect_screen("passkey_assert")
    screenshot(page, "flows-passkey_assert")
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)
    assert credentials(cdp, authenticator_id)[0]["signCount"] >= 1


@pytest.mark.slow
def test_passkey_named_renamed_and_signing_in_with_no_username(
    context: BrowserContext, server: Serve
) -> None:
    """Issue 12, item 5: the discoverable passkey signs in from the button, no username typed.

    Chromium's virtual authenticator answers a conditional-mediation request by itself when
    it is "touched" (automatic presence), which drives the autofill path; untouched, the
    request waits and the "Sign in with a passkey" button is used.
    """
    page = context.new_page()
    cdp, authenticator_id = virtual_authenticator(context, page)
    auth = AuthUI(page)
    auth.open()
    auth.register(server.outbox, name := unique("nouser"))
    auth.submit("startPasskeyRegistration")
    auth.submit("completePasskeyRegistration")
    auth.expect_screen("passkey_manage")
    assert credentials(cdp, authenticator_id)[0]["isResidentCredential"] is True
    expect(auth.root.locator(".na-passkey-dates")).to_contain_text("Not used yet")
    auth.hook("authenticator-passkey-rename").click()
    auth.fill("renamePasskey", name="Work laptop")
    auth.submit("renamePasskey")
    expect(auth.hook("authenticator-notice")).to_contain_text("renamed")
    expect(auth.root.locator(".na-passkey-name")).to_have_text("Work laptop")
    auth.link("backToAccount")
    # Back to the account is a call: a Sign out clicked while it is pending is dropped.
    auth.expect_screen("signed_in")

    # Autofill: the sign-in screen's conditional request is answered by the (touched)
    # authenticator as soon as it starts, as if the person picked the passkey.
    count = credentials(cdp, authenticator_id)[0]["signCount"]
    auth.submit("signOut")
    deadline = time.monotonic() + TIMEOUT / 1000  # the card shows "signed in" before and after
    while credentials(cdp, authenticator_id)[0]["signCount"] <= count:
        assert time.monotonic() < deadline, "the autofill request did not use the passkey"
        page.wait_for_timeout(50)
    auth.expect_signed_in(name)

    # The button: with the autofill request waiting (untouched authenticator), the modal
    # ceremony must stop it first, or the browser refuses a second request.
    presence(cdp, authenticator_id, touched=False)
    auth.sign_out()
    auth.expect_screen("sign_in")
    expect(auth.field("signIn", "username")).to_have_attribute("autocomplete", "username webauthn")
    presence(cdp, authenticator_id, touched=True)
    count = credentials(cdp, authenticator_id)[0]["signCount"]
    auth.submit("signInWithDiscoverablePasskey")
    auth.expect_signed_in(name)
    assert credentials(cdp, authenticator_id)[0]["signCount"] > count


def test_two_browsers_never_share_a_session(new_context: ContextFactory, server: Serve) -> None:
    alice_page = new_context(server.base_url).new_page()
    bob_page = new_context(server.base_url).new_page()
    alice, bob = AuthUI(alice_page), AuthUI(bob_page)
    alice.open()
    alice.register(server.outbox, name := unique("alice"))

    bob.open()
    bob.expect_screen("sign_in")
    bob_page.reload()
    bob.expect_screen("sign_in")

    bob.register(server.outbox, other := unique("bob"))
    alice_page.reload()
    alice.expect_signed_in(name)
    bob.sign_out()
    alice_page.reload()
    alice.expect_signed_in(name)
    expect(alice.root).not_to_contain_text(other)


def test_other_tabs_follow_sign_in_and_out_without_reload(context: BrowserContext, server: Serve) -> None:
    tab_a, tab_b = context.new_page(), context.new_page()
    a, b = AuthUI(tab_a), AuthUI(tab_b)
    a.open()
    b.open()
    a.register(server.outbox, name := unique("tabs"))
    b.expect_signed_in(name)  # no reload in tab B
    b.sign_out()
    a.expect_screen("sign_in")


def test_redirect_after_sign_in_only_to_allowed_targets(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    auth.register(server.outbox, name := unique("traveller"))
    auth.sign_out()

    auth.open("/?redirect=/dev/outbox")
    auth.sign_in(name)
    page.wait_for_url("**/dev/outbox", timeout=TIMEOUT)

    for hostile in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        auth.open(f"/?redirect={hostile}")
        auth.expect_signed_in(name)  # already signed in: stays on the account page
        page.wait_for_timeout(300)
        assert page.url.startswith(server.base_url), page.url


def test_admin_created_user_sets_a_new_password(page: Page, server: Serve) -> None:
    name = unique("invited")
    admin("add-user", name, db=server.db, stdin="Temp-Passw0rd!\n")
    auth = AuthUI(page)
    auth.open()
    auth.sign_in(name, "Temp-Passw0rd!")
    auth.expect_screen("new_password")
    screenshot(page, "flows-new_password")
    auth.fill("confirmSignIn", newPassword=PASSWORD, confirmPassword=PASSWORD)
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)
    auth.sign_out()
    auth.sign_in(name, PASSWORD)
    auth.expect_signed_in(name)


def test_development_mode_is_loud_and_the_outbox_readable(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    banner = page.get_by_test_id("hosted-dev-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Development mode", ignore_case=True)
    log = Path(server.process.log_path).read_text()
    assert "DEVELOPMENT MODE" in log
    page.goto("/dev/outbox")
    expect(page.locator("h1")).to_have_text("Dev outbox")
