"""The gallery's table: every screen of the hosted page, and the steps that reach it.

One :class:`Shot` per row: a stable ``name`` (the PNG files are
``docs/screenshots/gallery/<name>-<light|dark>-<desktop|phone>.png``), the
caption the README shows, the ``section`` it is listed under, which server
profile it needs (see ``SERVERS``) and ``steps``: a function that takes a
fresh :class:`~gallery_walk.Walk` (a new browser context: a new person) to
the state to photograph. Rows are independent, so adding a screen is adding a
row; then run ``python tools/gallery.py`` (``--only NAME`` for one row).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from gallery_walk import PASSWORD, Walk
from playwright.sync_api import expect

Steps = Callable[[Walk], None]

TITLE: Final = ("--title", "Acme Analytics")
MAIN_ARGS: Final = ("--mfa", "optional", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username")
# Server profiles: extra ``serve`` arguments and environment. "reauth" makes the proof of identity
# go stale within seconds, so a sensitive action asks for the password again.
SERVERS: Final[Mapping[str, tuple[tuple[str, ...], Mapping[str, str]]]] = {
    "main": ((*MAIN_ARGS, *TITLE), {}),
    "required": (
        ("--mfa", "required", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username", *TITLE),
        {},
    ),
    "reauth": ((*MAIN_ARGS, *TITLE), {"NICEGUI_AUTHENTICATOR_RECENT_AUTH_WINDOW": "2"}),
}
REAUTH_WAIT_MS: Final = 2500


@dataclass(frozen=True)
class Shot:
    name: str
    title: str
    section: str
    steps: Steps
    server: str = "main"


def email_of(name: str) -> str:
    return f"{name}@example.com"


# ---------------------------------------------------------------- signed out


def sign_in(w: Walk) -> None:
    w.open()


def sign_in_error(w: Walk) -> None:
    w.open()
    w.sign_in("nobody", "Wrong-password1")
    expect(w.hook("authenticator-error")).to_be_visible()


def sign_up(w: Walk) -> None:
    w.open()
    w.fill_sign_up(w.new_name())


def sign_up_rules(w: Walk) -> None:
    """Create Account while the password is still too weak: the live checklist and a mismatch."""
    w.open()
    w.tab("signUp")
    w.expect_screen("sign_up")
    w.fill("signUp", username=w.new_name(), password="horse", confirmPassword="hors")
    w.action("signUp").get_by_test_id("authenticator-username").focus()


def confirm_sign_up(w: Walk) -> None:
    w.open()
    w.sign_up(w.new_name())


def forgot_password(w: Walk) -> None:
    w.open()
    w.link("forgotPassword")
    w.expect_screen("forgot_password")


def confirm_reset_password(w: Walk) -> None:
    name = w.new_name()
    w.signed_in(name)
    w.sign_out()
    w.link("forgotPassword")
    w.fill("resetPassword", username=name)
    w.submit("resetPassword")
    w.expect_screen("confirm_reset_password")


def new_password(w: Walk) -> None:
    name = w.new_name("invited")
    w.server.add_user(name, "Temp-Passw0rd!")
    w.open()
    w.sign_in(name, "Temp-Passw0rd!")
    w.expect_screen("new_password")


# ------------------------------------------------------------ second factors


def _with_totp(w: Walk) -> str:
    name = w.new_name()
    w.signed_in(name)
    w.set_up_totp()
    return name


def confirm_code_totp(w: Walk) -> None:
    name = _with_totp(w)
    w.sign_out()
    w.sign_in(name)
    w.expect_screen("confirm_code")


def confirm_code_error(w: Walk) -> None:
    confirm_code_totp(w)
    wrong = "123456" if w.totp_code() != "123456" else "654321"
    w.fill("confirmSignIn", code=wrong)
    w.submit("confirmSignIn")
    expect(w.hook("authenticator-error")).to_be_visible()


def confirm_code_email(w: Walk) -> None:
    name = w.new_name()
    w.signed_in(name)
    w.set_up_email_codes(email_of(name))
    w.sign_out()
    w.sign_in(name)
    w.expect_screen("confirm_code")


def confirm_code_another_method(w: Walk) -> None:
    """Email codes, then an authenticator app (preferred from then on): its step offers the other."""
    name = w.new_name()
    w.signed_in(name)
    w.set_up_email_codes(email_of(name))
    w.set_up_totp()
    w.sign_out()
    w.sign_in(name)
    w.expect_screen("confirm_code")
    expect(w.action("useAnotherMfaMethod")).to_be_visible()


def select_mfa(w: Walk) -> None:
    """Both factors enrolled, then a password reset (it forgets the preferred one): the choice."""
    name = _with_totp(w)
    w.set_up_email_codes(email_of(name))
    w.sign_out()
    w.link("forgotPassword")
    before = len(w.server.sent())
    w.fill("resetPassword", username=name)
    w.submit("resetPassword")
    w.expect_screen("confirm_reset_password")
    code = w.code(email_of(name), after=before, purpose="password-reset")
    w.fill("confirmResetPassword", code=code, newPassword=PASSWORD, confirmPassword=PASSWORD)
    w.submit("confirmResetPassword")
    w.expect_screen("sign_in")
    w.sign_in(name)
    w.expect_screen("select_mfa")


def setup_totp(w: Walk) -> None:
    w.signed_in(w.new_name())
    w.submit("startTotpSetup")
    w.expect_screen("setup_totp")


def setup_email_code(w: Walk) -> None:
    name = w.new_name()
    w.signed_in(name)
    w.fill("startEmailMfaSetup", email=email_of(name))
    w.submit("startEmailMfaSetup")
    w.expect_screen("confirm_code")


def select_mfa_setup(w: Walk) -> None:
    w.register(w.new_name())
    w.expect_screen("select_mfa_setup")


def setup_email(w: Walk) -> None:
    select_mfa_setup(w)
    w.hook("authenticator-mfaType-EMAIL").click()
    w.submit("confirmSignIn")
    w.expect_screen("setup_email")


# ------------------------------------------------------------------- passkeys


def passkey_sign_in(w: Walk) -> None:
    w.open()
    w.link("passkeySignIn")
    w.expect_screen("passkey_sign_in")


def passkey_assert(w: Walk) -> None:
    w.virtual_authenticator()
    name = w.new_name()
    w.signed_in(name)
    w.add_passkey()
    w.link("backToAccount")
    w.expect_screen("signed_in")
    w.presence(touched=False)  # else the sign-in page's autofill signs straight back in
    w.sign_out()
    w.link("passkeySignIn")
    w.expect_screen("passkey_sign_in")
    w.fill("signInWithPasskey", username=name)
    w.submit("signInWithPasskey")
    w.expect_screen("passkey_assert")


def passkey_register(w: Walk) -> None:
    w.virtual_authenticator()
    w.signed_in(w.new_name())
    w.submit("startPasskeyRegistration")
    w.expect_screen("passkey_register")


def passkey_manage(w: Walk) -> None:
    w.virtual_authenticator()
    w.signed_in(w.new_name())
    w.add_passkey()


def passkey_rename(w: Walk) -> None:
    passkey_manage(w)
    w.hook("authenticator-passkey-rename").click()
    w.fill("renamePasskey", name="Work laptop")


def passkey_register_again(w: Walk) -> None:
    passkey_manage(w)
    w.submit("startPasskeyRegistration")
    w.expect_screen("passkey_register")
    w.submit("completePasskeyRegistration")
    expect(w.hook("authenticator-error")).to_be_visible()


def confirm_delete_passkey(w: Walk) -> None:
    passkey_manage(w)
    w.submit("deletePasskey")
    expect(w.page.get_by_test_id("authenticator-confirm-yes")).to_be_visible()


# ------------------------------------------------------------------ the account


def signed_in_suggestion(w: Walk) -> None:
    w.register(w.new_name())
    w.expect_screen("signed_in")
    expect(w.hook("authenticator-suggestion")).to_be_visible()


def signed_in_plain(w: Walk) -> None:
    w.signed_in(w.new_name())


def signed_in_full(w: Walk) -> None:
    """The account card with everything enrolled: passkeys and both second factors."""
    w.virtual_authenticator()
    name = _with_totp(w)
    w.set_up_email_codes(email_of(name))
    w.add_passkey()
    w.link("backToAccount")
    w.expect_screen("signed_in")


def confirm_disable_mfa(w: Walk) -> None:
    _with_totp(w)
    w.submit("disableMfa")
    expect(w.page.get_by_test_id("authenticator-confirm-yes")).to_be_visible()


def confirm_identity(w: Walk) -> None:
    w.signed_in(w.new_name())
    w.page.wait_for_timeout(REAUTH_WAIT_MS)  # the server's window (SERVERS["reauth"]) must pass
    w.submit("startTotpSetup")
    # The reauthenticate screen, or (before it exists) the signed-in card saying why the action stopped.
    asked = "[data-testid=authenticator][data-screen=confirm_identity], [data-testid=authenticator-error]"
    expect(w.page.locator(asked).first).to_be_visible()


# ------------------------------------------------------------------ languages


def language_menu(w: Walk) -> None:
    w.open()
    w.page.get_by_test_id("language-switcher").click()
    expect(w.page.get_by_role("option", name="العربية")).to_be_visible()


def _arabic(w: Walk) -> None:
    language_menu(w)
    w.page.get_by_role("option", name="العربية").click()
    expect(w.page.locator("html")).to_have_attribute("dir", "rtl")
    w.page.keyboard.press("Escape")


def sign_in_arabic(w: Walk) -> None:
    _arabic(w)


def sign_up_arabic(w: Walk) -> None:
    _arabic(w)
    w.tab("signUp")
    w.expect_screen("sign_up")
    w.fill("signUp", username=w.new_name(), password="horse", confirmPassword="hors")


def setup_totp_arabic(w: Walk) -> None:
    _arabic(w)
    w.signed_in(w.new_name())
    w.submit("startTotpSetup")
    w.expect_screen("setup_totp")


SHOTS: Final = (
    Shot("sign_in", "Sign in", "Signing in", sign_in),
    Shot("sign_in_error", "Wrong password", "Signing in", sign_in_error),
    Shot("sign_up", "Create account", "Signing in", sign_up),
    Shot("sign_up_rules", "Password checklist", "Signing in", sign_up_rules),
    Shot("confirm_sign_up", "Confirm sign-up", "Signing in", confirm_sign_up),
    Shot("forgot_password", "Reset password", "Signing in", forgot_password),
    Shot("confirm_reset_password", "Reset code and new password", "Signing in", confirm_reset_password),
    Shot("new_password", "New password (admin-created account)", "Signing in", new_password),
    Shot("confirm_code_totp", "Authenticator app code", "Second factor", confirm_code_totp),
    Shot("confirm_code_error", "Wrong code", "Second factor", confirm_code_error),
    Shot("confirm_code_email", "Email code", "Second factor", confirm_code_email),
    Shot(
        "confirm_code_another_method",
        "Authenticator code, another method offered",
        "Second factor",
        confirm_code_another_method,
    ),
    Shot("select_mfa", "Choose a method", "Second factor", select_mfa),
    Shot("setup_totp", "Authenticator app setup", "Second factor", setup_totp),
    Shot("setup_email_code", "Email codes setup", "Second factor", setup_email_code),
    Shot("select_mfa_setup", "Required MFA: choose", "Second factor", select_mfa_setup, server="required"),
    Shot("setup_email", "Required MFA: email", "Second factor", setup_email, server="required"),
    Shot("passkey_sign_in", "Sign in with a passkey", "Passkeys", passkey_sign_in),
    Shot("passkey_assert", "Use your passkey", "Passkeys", passkey_assert),
    Shot("passkey_register", "Add a passkey", "Passkeys", passkey_register),
    Shot("passkey_manage", "Your passkeys", "Passkeys", passkey_manage),
    Shot("passkey_rename", "Rename a passkey", "Passkeys", passkey_rename),
    Shot("passkey_register_again", "Passkey already on this device", "Passkeys", passkey_register_again),
    Shot("confirm_delete_passkey", "Remove a passkey?", "Passkeys", confirm_delete_passkey),
    Shot("signed_in_suggestion", "First sign-in: add a second factor", "Account", signed_in_suggestion),
    Shot("signed_in", "Signed in", "Account", signed_in_plain),
    Shot("signed_in_full", "Signed in, everything enrolled", "Account", signed_in_full),
    Shot("confirm_disable_mfa", "Turn off MFA?", "Account", confirm_disable_mfa),
    Shot("confirm_identity", "Confirm it's you", "Account", confirm_identity, server="reauth"),
    Shot("language_menu", "Language switcher", "Languages", language_menu),
    Shot("sign_in_arabic", "Arabic, right to left", "Languages", sign_in_arabic),
    Shot("sign_up_arabic", "Arabic, password checklist", "Languages", sign_up_arabic),
    Shot("setup_totp_arabic", "Arabic, authenticator app setup", "Languages", setup_totp_arabic),
)
