"""Issue 12 in Chromium: no dead ends, opt-in MFA, navigation, code screens, account actions.

One ``serve`` for the module (MFA optional with TOTP and email codes, sign-in
by username or email, so sign-up asks for an email; the default opt-in MFA); every test uses its own browser context
and fresh usernames. Each test walks one item as a person would.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from auth_driver import TIMEOUT, AuthUI
from browser_harness import (
    PASSWORD,
    Serve,
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
        tmp_path_factory.mktemp("uxflows"),
        "--mfa", "optional", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username,email",
    )  # fmt: skip
    yield serve
    serve.process.stop()


def email(name: str) -> str:
    return f"{name}@example.com"


# ------------------------------------------------------------ item 1: no dead ends


def test_reload_on_confirm_keeps_it_and_sign_in_later_resends_the_code(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("later")
    auth.sign_up(name, email=email(name))
    page.reload()
    auth.expect_screen("confirm_sign_up")  # the reload keeps the code screen
    expect(auth.action("confirmSignUp")).to_be_visible()

    auth.link("backToSignIn")
    auth.expect_screen("sign_in")
    before = server.outbox.count()
    auth.sign_in(name)
    auth.expect_screen("confirm_sign_up")
    expect(auth.hook("authenticator-notice")).to_contain_text("not confirmed yet", timeout=TIMEOUT)
    screenshot(page, "uxflows-confirm_after_unconfirmed_sign_in")
    auth.confirm_sign_up(server.outbox, email(name), after=before)
    auth.expect_signed_in(name)


def test_signing_up_again_before_confirming_resends_the_code(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("again")
    auth.sign_up(name, email=email(name))
    auth.link("backToSignIn")
    auth.expect_screen("sign_in")
    before = server.outbox.count()
    auth.sign_up(name, email=email(name))  # same username and password: the confirm screen again, a new code
    auth.confirm_sign_up(server.outbox, email(name), after=before)
    auth.expect_signed_in(name)


def test_reset_of_an_unconfirmed_account_confirms_it(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("resetter")
    auth.sign_up(name, email=email(name))
    auth.link("backToSignIn")
    auth.link("forgotPassword")
    auth.expect_screen("forgot_password")
    before = server.outbox.count()
    auth.fill("resetPassword", username=name)
    auth.submit("resetPassword")
    auth.expect_screen("confirm_reset_password")
    code = server.outbox.wait_code(email(name), purpose="password-reset", after=before)
    new_password = "N3w-Passw0rd!"
    auth.fill("confirmResetPassword", code=code, newPassword=new_password, confirmPassword=new_password)
    auth.submit("confirmResetPassword")
    auth.expect_screen("sign_in")
    auth.sign_in(name, PASSWORD)  # the sign-up password no longer works
    expect(auth.error).to_be_visible(timeout=TIMEOUT)
    auth.sign_in(name, new_password)
    auth.expect_signed_in(name)


# ------------------------------------------ item 4: optional MFA is opt-in, suggested once


def test_a_new_account_with_an_email_signs_in_with_one_code_and_is_offered_a_second_factor(
    page: Page, server: Serve
) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("optin")
    before = server.outbox.count()
    auth.sign_up(name, email=email(name))
    auth.confirm_sign_up(server.outbox, email(name), after=before)
    auth.expect_signed_in(name)  # no second code: optional MFA is opt-in
    suggestion = auth.hook("authenticator-suggestion")
    expect(suggestion).to_be_visible()
    expect(auth.hook("authenticator-suggestion-startPasskeyRegistration")).to_be_visible()
    expect(auth.hook("authenticator-suggestion-startTotpSetup")).to_be_visible()
    screenshot(page, "uxflows-signed_in_suggestion")
    auth.hook("authenticator-suggestion-dismiss").click()
    expect(suggestion).to_have_count(0)
    expect(auth.action("startTotpSetup")).to_be_visible()  # the account section keeps it

    page.reload()
    auth.expect_screen("signed_in")
    expect(suggestion).to_have_count(0)  # once: a reload does not bring it back

    auth.sign_out()
    auth.sign_in(name)
    auth.expect_signed_in(name)
    expect(suggestion).to_be_visible()
    auth.hook("authenticator-suggestion-startTotpSetup").click()
    auth.expect_screen("setup_totp")


# ------------------------------------------------------------------ item 6: navigation


def test_a_signed_in_visitor_with_an_allowed_redirect_goes_there_at_once(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("returning")
    before = server.outbox.count()
    auth.sign_up(name, email=email(name))
    auth.confirm_sign_up(server.outbox, email(name), after=before)
    auth.expect_signed_in(name)
    page.goto("/?redirect=/dev/outbox")
    expect(page).to_have_url(f"{server.base_url}/dev/outbox", timeout=TIMEOUT)
    page.goto("/?redirect=https://evil.example/")  # not allowed: the account page instead
    auth.expect_signed_in(name)


def test_each_signed_out_screen_has_a_url_and_back_moves_between_them(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open("/?screen=sign-up")
    auth.expect_screen("sign_up")
    auth.tab("signIn")
    auth.expect_screen("sign_in")
    expect(page).to_have_url(f"{server.base_url}/?screen=sign-in")
    auth.link("forgotPassword")
    auth.expect_screen("forgot_password")
    expect(page).to_have_url(f"{server.base_url}/?screen=reset")

    page.go_back()
    auth.expect_screen("sign_in")
    page.go_back()
    auth.expect_screen("sign_up")
    expect(page).to_have_url(f"{server.base_url}/?screen=sign-up")
    page.go_forward()
    auth.expect_screen("sign_in")

    auth.open("/?screen=reset")  # a link straight to the reset form
    auth.expect_screen("forgot_password")


# ---------------------------------------------------------------- item 7: code screens


def test_resend_waits_visibly_and_the_sign_in_field_says_username_or_email(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    expect(auth.field("signIn", "username")).to_have_attribute("aria-label", "Username or email")
    name = unique("waiting")
    auth.sign_up(name, email=email(name))
    expect(auth.root).to_contain_text("We sent a code to w***@e***.com")  # where the code went, masked
    resend = auth.submit_button("resendSignUpCode")
    expect(resend).to_be_disabled()
    expect(resend).to_contain_text("wait")
    screenshot(page, "uxflows-confirm_sign_up_resend_wait")


# -------------------------------------------------------------- item 8: account actions


def _registered(auth: AuthUI, server: Serve, prefix: str) -> str:
    auth.open()
    name = unique(prefix)
    before = server.outbox.count()
    auth.sign_up(name, email=email(name))
    auth.confirm_sign_up(server.outbox, email(name), after=before)
    auth.expect_signed_in(name)
    return name


def test_totp_setup_says_so_and_turning_mfa_off_asks_first(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    _registered(auth, server, "careful")
    auth.submit("startTotpSetup")
    auth.expect_screen("setup_totp")
    otp = totp_from_qr(auth.hook("authenticator-totp-qr"))
    auth.fill("completeTotpSetup", code=otp.now())
    auth.submit("completeTotpSetup")
    auth.expect_screen("signed_in")
    expect(auth.hook("authenticator-notice")).to_contain_text("authenticator app is set up")
    expect(auth.action("setPreferredMfa")).to_have_count(0)  # one method: no choice offered

    auth.submit("disableMfa")
    dialog = page.get_by_test_id("authenticator-confirm-dialog")
    expect(page.get_by_test_id("authenticator-confirm-yes")).to_be_visible()
    screenshot(page, "uxflows-confirm_disable_mfa")
    page.get_by_test_id("authenticator-confirm-no").click()
    expect(dialog).to_have_count(0)
    expect(auth.action("disableMfa")).to_be_visible()  # nothing happened

    auth.submit("disableMfa")
    page.get_by_test_id("authenticator-confirm-yes").click()
    expect(auth.hook("authenticator-notice")).to_contain_text("turned off", timeout=TIMEOUT)
    expect(auth.action("disableMfa")).to_have_count(0)
    expect(auth.action("startTotpSetup")).to_be_visible()


def test_removing_the_last_passkey_asks_first_and_keeps_the_card_complete(
    context: BrowserContext, server: Serve
) -> None:
    page = context.new_page()
    virtual_authenticator(context, page)
    auth = AuthUI(page)
    _registered(auth, server, "onekey")
    auth.submit("startPasskeyRegistration")
    auth.expect_screen("passkey_register")
    auth.submit("completePasskeyRegistration")
    auth.expect_screen("passkey_manage")
    auth.submit("startPasskeyRegistration")  # again, on the device that holds one (item 5)
    auth.expect_screen("passkey_register")
    auth.submit("completePasskeyRegistration")
    expect(auth.error).to_have_text("This device already has a passkey for this account.", timeout=TIMEOUT)
    screenshot(page, "uxflows-passkey_register_again")
    auth.link("backToAccount")
    auth.expect_screen("signed_in")
    auth.submit("listPasskeys")
    auth.expect_screen("passkey_manage")
    auth.submit("deletePasskey")
    page.get_by_test_id("authenticator-confirm-yes").click()
    auth.expect_screen("signed_in")
    expect(auth.hook("authenticator-notice")).to_contain_text("passkey was removed")
    expect(auth.action("startTotpSetup")).to_be_visible()  # the MFA controls stay, no reload
    expect(auth.action("listPasskeys")).to_be_visible()
