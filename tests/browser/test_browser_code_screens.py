"""Issue 12, item 7 in Chromium: code screens say where the code went, resend with a wait, and switch method.

One ``serve`` for the module: MFA optional with TOTP and email codes, sign-ups
enrolled in email codes (``--email-mfa-on-sign-up``, so the email step comes at
once) and a shorter Resend wait (``--resend-cooldown 8``: long enough to be
seen disabled on a loaded machine, short enough to wait out once instead of
the default 30 s).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from auth_driver import TIMEOUT, AuthUI
from browser_harness import PASSWORD, Serve, screenshot, start_serve, totp_from_qr, unique
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = start_serve(
        tmp_path_factory.mktemp("codescreens"),
        "--mfa", "optional", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username,email",
        "--email-mfa-on-sign-up", "--resend-cooldown", "8",
    )  # fmt: skip
    yield serve
    serve.process.stop()


def _expect_resend_waiting(auth: AuthUI, action: str) -> None:
    """A code was just sent: the Resend button is there, disabled, counting down."""
    resend = auth.submit_button(action)
    expect(resend).to_be_disabled()
    expect(resend).to_contain_text("wait")


def _resend_after_the_wait(auth: AuthUI, action: str) -> None:
    """The Resend button counts down first, then sends a new code and says so."""
    _expect_resend_waiting(auth, action)
    resend = auth.submit_button(action)
    expect(resend).to_be_enabled(timeout=TIMEOUT)
    resend.click()
    expect(auth.hook("authenticator-notice")).to_contain_text("We sent you a new code", timeout=TIMEOUT)


def test_reset_says_where_the_code_went_and_a_resent_code_works(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("resent")
    address = f"{name}@example.com"
    before = server.outbox.count()
    auth.sign_up(name, email=address)
    auth.confirm_sign_up(server.outbox, address, after=before)
    auth.expect_screen("confirm_code")  # enrolled in email codes at sign-up (this server's setting)
    auth.link("backToSignIn")
    auth.expect_screen("sign_in")
    auth.link("forgotPassword")
    auth.expect_screen("forgot_password")
    auth.fill("resetPassword", username=address)
    auth.submit("resetPassword")
    auth.expect_screen("confirm_reset_password")
    expect(auth.root).to_contain_text("If r***@e***.com belongs to an account, we sent a code there.")
    _expect_resend_waiting(auth, "resendPasswordResetCode")
    screenshot(page, "codescreens-reset_resend_wait")
    before = server.outbox.count()
    _resend_after_the_wait(auth, "resendPasswordResetCode")
    code = server.outbox.wait_code(address, purpose="password-reset", after=before)
    new_password = "N3w-Passw0rd!"
    auth.fill("confirmResetPassword", code=code, newPassword=new_password, confirmPassword=new_password)
    auth.submit("confirmResetPassword")
    auth.expect_screen("sign_in")
    auth.sign_in(name, new_password)
    auth.expect_screen("confirm_code")  # the new password is right: on to the email code


def test_email_step_resends_and_a_totp_step_switches_to_email(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("switch")
    address = f"{name}@example.com"
    before = server.outbox.count()
    auth.sign_up(name, email=address)
    auth.confirm_sign_up(server.outbox, address, after=before)
    auth.expect_screen("confirm_code")  # the email step, at once
    expect(auth.root).to_contain_text("We sent a code to s***@e***.com.")
    _expect_resend_waiting(auth, "resendSignInCode")  # pressing it is the reset test's (and the backend's)
    auth.fill("confirmSignIn", code=server.outbox.wait_code(address, purpose="sign-in", after=before))
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)

    auth.submit("startTotpSetup")  # now an authenticator app too, preferred from now on
    auth.expect_screen("setup_totp")
    otp = totp_from_qr(auth.hook("authenticator-totp-qr"))
    auth.fill("completeTotpSetup", code=otp.now())
    auth.submit("completeTotpSetup")
    auth.expect_screen("signed_in")
    auth.sign_out()

    auth.sign_in(name, PASSWORD)
    auth.expect_screen("confirm_code")
    expect(auth.hook("authenticator-heading")).to_contain_text("authenticator app")
    expect(auth.action("resendSignInCode")).to_have_count(0)  # nothing was sent: nothing to resend
    screenshot(page, "codescreens-totp_another_method")  # axe on the step with its way out
    before = server.outbox.count()
    auth.submit("useAnotherMfaMethod")
    expect(auth.root).to_contain_text("We sent a code to s***@e***.com.", timeout=TIMEOUT)
    auth.check_accessible("confirm_code")
    auth.fill("confirmSignIn", code=server.outbox.wait_code(address, purpose="sign-in", after=before))
    auth.submit("confirmSignIn")
    auth.expect_signed_in(name)

    auth.submit("signOutEverywhere")  # item 8: it ends this visit too, so it asks first
    expect(page.get_by_test_id("authenticator-confirm-dialog")).to_contain_text("this one included")
    page.get_by_test_id("authenticator-confirm-yes").click()
    auth.expect_screen("sign_in")
    expect(auth.hook("authenticator-notice")).to_contain_text("signed out on every device")
