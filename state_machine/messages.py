"""User-facing text as message keys, and the English catalog.

Nothing in the library shows a literal English sentence: screens carry
:class:`Msg` (a catalog key plus parameters) or :class:`Raw` (text a server sent,
shown exactly as given, as text, never as HTML). A renderer turns either into a
string with :func:`translate` and the catalog of its language, so translating the
whole experience means supplying one dict.

A message that counts something (``{count}`` characters, a ``{count}``-digit
code) has plural forms: its catalog value is a mapping from CLDR plural category
(``zero``, ``one``, ``two``, ``few``, ``many``, ``other``) to a template, and
:func:`translate` picks the category with the language's CLDR rule (see
:mod:`.plurals`). The shipped languages live in :mod:`.catalogs`; a
:class:`Catalog` carries its language so the right rule is used.

Known server vocabulary (error names, action labels, field names, MFA choice
values) maps to keys; anything unknown is passed through as :class:`Raw` so a new
server message is still shown rather than swallowed.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from .plurals import plural_category


@dataclass(frozen=True)
class Msg:
    """A catalog key and the values for its ``{placeholders}``."""

    key: str
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted(self.params.items()))))


@dataclass(frozen=True)
class Raw:
    """Text from the server, shown verbatim (as text, never as markup)."""

    text: str


Text = Msg | Raw


def msg(key: str, **params: str) -> Msg:
    """Shorthand for ``Msg(key, {...})`` with an immutable parameter map."""
    return Msg(key, MappingProxyType(dict(params)))


class _KeepMissing(dict[str, str]):
    """Leaves an unknown ``{name}`` in place instead of raising KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER: Final = string.Formatter()


Template = str | Mapping[str, str]
"""A catalog value: one template, or templates per CLDR plural category."""


@dataclass(frozen=True)
class Catalog(Mapping[str, Template]):
    """The messages of one language, tagged with it so plurals follow its rules.

    A plain mapping works wherever a catalog is expected; it is read with
    English plural rules. ``layered`` puts a host app's overrides on top while
    keeping the language.
    """

    language: str
    messages: Mapping[str, Template]

    def __getitem__(self, key: str) -> Template:
        return self.messages[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def layered(self, *overrides: Mapping[str, Template] | None) -> Catalog:
        """This catalog with each of ``overrides`` on top, later ones winning."""
        if not any(overrides):
            return self
        merged: dict[str, Template] = dict(self.messages)
        for layer in overrides:
            merged.update(layer or {})
        return Catalog(self.language, MappingProxyType(merged))


def translate(text: Text, catalog: Mapping[str, Template] | None = None) -> str:
    """Render ``text`` with ``catalog`` (English by default).

    A key missing from the catalog falls back to English, then to the key itself,
    so a partial translation never blanks the screen. Parameters are substituted
    with ``format_map`` on the catalog template only; parameter values are never
    themselves formatted, so server text containing braces is safe. A plural
    template is chosen by the message's ``count`` parameter.
    """
    if isinstance(text, Raw):
        return text.text
    language = catalog.language if isinstance(catalog, Catalog) else "en"
    template = (catalog or ENGLISH).get(text.key)
    if not template:
        language, template = "en", ENGLISH.get(text.key) or text.key
    if not isinstance(template, str):
        template = _plural_form(template, language, text.params.get("count", ""))
    try:
        return _FORMATTER.vformat(template, (), _KeepMissing(text.params))
    except (ValueError, IndexError):
        return template


def _plural_form(forms: Mapping[str, str], language: str, count: str) -> str:
    """The form of ``forms`` for ``count`` in ``language``; ``other`` when unsure."""
    try:
        category = plural_category(language, int(count))
    except ValueError:
        category = "other"
    return forms.get(category) or forms.get("other") or next(iter(forms.values()), "")


ENGLISH: Final[Mapping[str, Template]] = MappingProxyType(
    {
        # Screen headings
        "screen.loading": "Loading…",
        "screen.sign_in": "Sign in to your account",
        "screen.sign_up": "Create a new account",
        "screen.forgot_password": "Reset your password",
        "screen.passkey_sign_in": "Sign in with a passkey",
        "screen.confirm_sign_up": "Confirm your account",
        "screen.auto_sign_in": "Signing you in…",
        "screen.confirm_code": "Enter your verification code",
        "screen.confirm_code.totp": "Enter the code from your authenticator app",
        "screen.confirm_code.email": "Enter the code we emailed you",
        "screen.confirm_code.sms": "Enter the code we texted you",
        "screen.select_mfa": "Choose how to verify it's you",
        "screen.select_mfa_setup": "Set up multi-factor authentication",
        "screen.setup_totp": "Set up your authenticator app",
        "screen.setup_email": "Set up email verification",
        "screen.new_password": "Choose a new password",
        "screen.enter_password": "Enter your password",
        "screen.select_first_factor": "Choose how to sign in",
        "screen.passkey_assert": "Use your passkey",
        "screen.confirm_reset_password": "Reset your password",
        "screen.signed_in": "You are signed in",
        "screen.passkey_register": "Register a passkey",
        "screen.passkey_manage": "Your passkeys",
        "screen.confirm_identity": "Confirm it's you",
        "screen.generic": "Authentication",
        # Tabs, links and buttons
        "tab.sign_in": "Sign In",
        "tab.sign_up": "Create Account",
        "link.forgot_password": "Forgot your password?",
        "link.passkey_sign_in": "Sign in with a passkey",
        "link.back_to_sign_in": "Back to Sign In",
        "action.signIn": "Sign In",
        "action.signUp": "Create Account",
        "action.resetPassword": "Send code",
        "action.signInWithPasskey": "Continue with passkey",
        "action.confirmSignUp": "Confirm",
        "action.resendSignUpCode": "Resend Code",
        "action.resendPasswordResetCode": "Resend Code",
        "action.resendSignInCode": "Resend Code",
        "action.resendEmailMfaSetupCode": "Resend Code",
        "action.useAnotherMfaMethod": "Use another method",
        "action.autoSignIn": "Continue",
        "action.confirmSignIn": "Confirm",
        "action.confirmSignIn.select": "Continue",
        "action.confirmSignIn.passkey": "Use passkey",
        "action.confirmResetPassword": "Reset Password",
        "action.signOut": "Sign Out",
        "action.startPasskeyRegistration": "Add a passkey",
        "action.completePasskeyRegistration": "Register passkey",
        "action.listPasskeys": "Manage passkeys",
        "action.deletePasskey": "Delete",
        "action.startTotpSetup": "Set up authenticator app",
        "action.completeTotpSetup": "Confirm",
        "action.startEmailMfaSetup": "Set up email codes",
        "action.completeEmailMfaSetup": "Confirm",
        "action.setPreferredMfa": "Save preference",
        "action.disableMfa": "Turn off multi-factor authentication",
        "action.cancelSetup": "Cancel",
        "action.reauthenticate": "Continue",
        "action.chooseReauthenticationMethod": "Use another method",
        "action.resendReauthenticationCode": "Resend Code",
        "action.signOutEverywhere": "Sign out everywhere",
        "action.retry": "Try again",
        "action.federated": "Sign in with {provider}",
        "action.copy": "Copy",
        "action.copied": "Copied",
        "action.show_password": "Show password",
        "action.hide_password": "Hide password",
        # Field labels and hints
        "field.username": "Username",
        "field.username_or_email": "Username or email",
        "field.username_or_phone": "Username or phone number",
        "field.username_email_or_phone": "Username, email or phone number",
        "field.email": "Email",
        "field.phone": "Phone number",
        "field.password": "Password",
        "field.current_password": "Password",
        "field.new_password": "New password",
        "field.current_password_named": "Current password",
        "field.confirm_password": "Confirm password",
        "field.code": "Code",
        "field.verification_code": "Verification code",
        "field.reset_code": "Reset code",
        "field.mfa_type": "Verification method",
        "field.first_factor": "Sign-in method",
        "field.shared_secret": "Secret key",
        "field.given_name": "First name",
        "field.family_name": "Last name",
        "field.name": "Name",
        "field.preferred_username": "Preferred username",
        "field.birthdate": "Birthdate",
        "field.address": "Address",
        "hint.code": "Enter the 6-digit code.",
        "hint.code.sent_to": "We sent a code to {destination}.",
        "hint.code.sent": "We sent you a code.",
        "hint.reset_code": "If that account exists, we sent a code to its email address or phone number.",
        "hint.reset_code.sent_to": "If {destination} belongs to an account, we sent a code there.",
        "hint.totp_setup": (
            "Scan the QR code with an authenticator app, or enter the secret key by hand, "
            "then enter the 6-digit code it shows."
        ),
        "hint.email_setup": "Enter the email address where we should send your sign-in codes.",
        "hint.passkey_assert": "Your browser will ask you to use your passkey.",
        "hint.confirm_identity.password": "Enter your password to continue.",
        "hint.confirm_identity.totp": "Enter the code from your authenticator app to continue.",
        "hint.passkey_register": "Your browser will ask you to create a passkey for this account.",
        "hint.confirm_sign_up": "Enter the code we sent you to confirm your account.",
        "hint.forgot_password": "Enter your username and we'll send you a code to reset your password.",
        "hint.new_password": "You need to choose a new password before you continue.",
        "hint.no_passkeys": "You have no passkeys yet.",
        "hint.choice_free_text": "Type one of the options offered.",
        # Choices
        "choice.TOTP": "Authenticator app",
        "choice.SOFTWARE_TOKEN_MFA": "Authenticator app",
        "choice.EMAIL": "Email",
        "choice.EMAIL_OTP": "Email code",
        "choice.SMS": "Text message",
        "choice.SMS_OTP": "Text message code",
        "choice.SMS_MFA": "Text message",
        "choice.PASSWORD": "Password",
        "choice.PASSWORD_SRP": "Password",
        "choice.WEB_AUTHN": "Passkey",
        # Validation
        "validation.required": "This field is required.",
        "validation.email": "Enter a valid email address.",
        "validation.phone": "Enter a phone number in international format, e.g. +14155550123.",
        "validation.code": {"one": "Enter the {count}-digit code.", "other": "Enter the {count}-digit code."},
        "validation.code_digits": "The code has digits only.",
        "validation.passwords_mismatch": "Passwords do not match.",
        "validation.choice": "Choose one of the options.",
        "policy.min_length": {"one": "At least {count} character", "other": "At least {count} characters"},
        "policy.max_length": {"one": "At most {count} character", "other": "At most {count} characters"},
        "policy.lowercase": "A lowercase letter",
        "policy.uppercase": "An uppercase letter",
        "policy.digit": "A number",
        "policy.symbol": "A special character",
        "policy.not_common": "Must not be a commonly used password",
        # The one-time suggestion after a sign-in without a second factor
        "suggest.second_factor.title": "Protect your account",
        "suggest.second_factor.body": (
            "Add a passkey or an authenticator app, so that a stolen password is not enough to sign in."
        ),
        "action.dismiss_suggestion": "Not now",
        "action.resend_in": "{label} (wait {count} s)",
        # Notices (information, not errors)
        "notice.account_confirmed": "Your account is confirmed. Sign in to continue.",
        "notice.password_reset": "Your password was changed. Sign in with your new password.",
        "notice.code_resent": "We sent you a new code.",
        "notice.unconfirmed_code_sent": "Your account is not confirmed yet. We sent you a new code to confirm it.",
        "notice.signed_out": "You are signed out.",
        "notice.passkey_registered": "Your passkey was added.",
        "notice.passkey_deleted": "The passkey was removed.",
        "notice.password_changed": "Your password was changed. Other devices were signed out.",
        "subform.changePassword.title": "Change password",
        "subform.changePassword.hint": "Devices signed in with the old password will be signed out.",
        "notice.totp_enabled": "Your authenticator app is set up. Sign-ins will ask for its code.",
        "notice.email_mfa_enabled": "Email codes are set up. Sign-ins will ask for a code we email you.",
        "notice.preferred_mfa_saved": "Your preferred verification method was saved.",
        "notice.mfa_disabled": "Multi-factor authentication is turned off.",
        # Questions asked before a destructive account action
        "confirm.delete_passkey": "Remove this passkey? You will no longer be able to sign in with it.",
        "confirm.disable_mfa": (
            "Turn off multi-factor authentication? Signing in will then need only your password."
        ),
        "confirm.sign_out_everywhere": "Sign out on every device, this one included?",
        "confirm.yes": "Yes, continue",
        "confirm.no": "Cancel",
        "notice.signed_out_everywhere": "You were signed out on every device.",
        # Errors (server error names map here; unknown names show the server text)
        "error.invalid_credentials": "Incorrect username or password.",
        "error.username_exists": "An account with this username already exists.",
        "error.user_not_confirmed": "Your account is not confirmed yet.",
        "error.unconfirmed_resend_refused": (
            "Your account is not confirmed yet, and a new code could not be sent now. "
            "Enter the code from the message we sent when you signed up."
        ),
        "error.user_not_found": "We could not find that account.",
        "error.code_mismatch": "The code is not correct. Try again.",
        "error.code_expired": "The code has expired. Start again.",
        "error.session_expired": "Your session has expired. Start again.",
        "error.too_many_attempts": "Too many attempts. Wait a moment and try again.",
        "error.retry_in": "Too many attempts. Try again in {count} s.",
        "error.server_busy": "The server is busy. Please try again in a moment.",
        "error.code_delivery": "We could not send the code. Try again in a moment.",
        "error.reauthentication_required": "For your security, confirm it's you to continue.",
        "error.not_authenticated": "You need to sign in again.",
        "error.invalid_password": "The password does not meet the requirements.",
        "error.passkey_unknown": "This passkey is not registered for your account.",
        "error.passkey_failed": "The passkey request did not complete: {reason}",
        "error.passkey_cancelled": "The passkey request was cancelled.",
        "error.passkey_unavailable": "Passkeys are not available here.",
        "error.webauthn.InvalidStateError": "This device already has a passkey for this account.",
        "error.webauthn.ConstraintError": "This device cannot create the kind of passkey this site asks for.",
        "error.webauthn.NotSupportedError": "This device does not support the kind of passkey this site asks for.",
        "error.webauthn.SecurityError": "Passkeys cannot be used at this web address.",
        "error.webauthn.TimeoutError": "The passkey request timed out. Try again.",
        "error.webauthn.UnknownError": "Your device could not complete the passkey request. Try again.",
        "error.webauthn.EncodingError": "The passkey request could not be read. Try again.",
        "error.webauthn.DataError": "The passkey request could not be read. Try again.",
        "error.network": "We could not reach the sign-in service. Check your connection and try again.",
        "error.timeout": "The sign-in service took too long to answer. Try again.",
        "error.server": "The sign-in service had a problem ({detail}). Try again.",
        "error.protocol": "The sign-in service sent an answer we could not read. Try again.",
        "error.unknown": "Something went wrong. Try again.",
        # Shown only by the NiceGUI shell (the signed-in line's wording is fixed by PROTOCOL.md's test hooks)
        "signed_in.as": "Signed in as: {username}",
        "section.account": "Account settings",
        "section.passkeys": "Your passkeys",
        "passkey.unnamed": "Passkey",
        "passkey.delete_named": "Delete passkey {name}",
        "totp.secret_label": "Secret key",
        "totp.qr_alt": "QR code for your authenticator app",
        "link.back_to_account": "Back to account",
        "subform.startEmailMfaSetup.hint": "Receive sign-in codes at this email address.",
        "subform.startEmailMfaSetup.submit": "Send code",
        "subform.setPreferredMfa.title": "Preferred verification method",
        "external.refused": "This sign-in option is not available.",
        # Read by screen readers after each password rule (the icon is decoration)
        "password_rule.met": "(met)",
        "password_rule.unmet": "(not met)",
        # The name of Quasar's page loading bar (role=progressbar)
        "page.loading": "Loading",
        "account_menu.sign_in": "Sign In",
        "account_menu.sign_out": "Sign Out",
        "account_menu.close": "Close",
        "account_menu.checking": "Checking sign-in…",
        "language.label": "Language",
        "not_allowed.title": "You don't have access to this page",
        "not_allowed.body": "You are signed in as {username}, but this page is only for certain groups.",
        "not_allowed.switch": "Sign in with another account",
    }
)

# Server error names (AuthBasic, AuthCognito) -> (message key, field it concerns).
# The field is where the renderer repeats the message; None means screen-level only.
ERROR_KEYS: Final[Mapping[str, tuple[str, str | None]]] = MappingProxyType(
    {
        "InvalidCredentialsException": ("error.invalid_credentials", "password"),
        "NotAuthorizedException": ("error.invalid_credentials", "password"),
        "UsernameExistsException": ("error.username_exists", "username"),
        "UserAlreadyExistsException": ("error.username_exists", "username"),
        "AliasExistsException": ("error.username_exists", "username"),
        "UserNotConfirmedException": ("error.user_not_confirmed", None),
        "UserNotFoundException": ("error.user_not_found", "username"),
        "CodeMismatchException": ("error.code_mismatch", "code"),
        "InvalidCodeException": ("error.code_mismatch", "code"),
        "ExpiredCodeException": ("error.code_expired", None),
        "SessionExpiredException": ("error.session_expired", None),
        "TooManyRequestsException": ("error.too_many_attempts", None),
        "LimitExceededException": ("error.too_many_attempts", None),
        "TooManyFailedAttemptsException": ("error.too_many_attempts", None),
        # Our reference backend's answer when every password-hashing slot stays taken.
        "ServiceBusyException": ("error.server_busy", None),
        "NotAuthenticatedException": ("error.not_authenticated", None),
        "WebAuthnCredentialNotSupportedException": ("error.passkey_unknown", None),
        "CodeDeliveryFailureException": ("error.code_delivery", None),
        "ReauthenticationRequiredException": ("error.reauthentication_required", None),
    }
)

# Error names whose server text is more useful than any generic sentence (the
# password policy the server enforces names what is missing), paired with the
# field the message belongs to.
SERVER_TEXT_ERRORS: Final[Mapping[str, str]] = MappingProxyType(
    {"InvalidPasswordException": "password", "InvalidParameterException": ""}
)

# Well-known field names -> label key, used when the server's label is generic.
FIELD_LABEL_KEYS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "username": "field.username",
        "email": "field.email",
        "phone_number": "field.phone",
        "password": "field.password",
        "newPassword": "field.new_password",
        "currentPassword": "field.current_password_named",
        "code": "field.code",
        "mfaType": "field.mfa_type",
        "firstFactor": "field.first_factor",
        "sharedSecret": "field.shared_secret",
        "given_name": "field.given_name",
        "family_name": "field.family_name",
        "name": "field.name",
        "preferred_username": "field.preferred_username",
        "birthdate": "field.birthdate",
        "address": "field.address",
    }
)

# Server labels we recognise, so a known label is translated rather than shown raw.
LABEL_KEYS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Username": "field.username",
        "Email": "field.email",
        "Phone Number": "field.phone",
        "Password": "field.password",
        "New Password": "field.new_password",
        "Current Password": "field.current_password_named",
        "Code": "field.code",
        "Verification Code": "field.verification_code",
        "Reset Code": "field.reset_code",
        "Code from Authenticator": "field.code",
        "Shared Secret": "field.shared_secret",
    }
)


# WebAuthn DOMException names (the browser's ``e.name``) -> catalog key. NotAllowedError
# and AbortError are a cancelled ceremony and keep their own message.
WEBAUTHN_ERROR_KEYS: Final[Mapping[str, str]] = MappingProxyType(
    {
        name: f"error.webauthn.{name}"
        for name in (
            "InvalidStateError",
            "ConstraintError",
            "NotSupportedError",
            "SecurityError",
            "TimeoutError",
            "UnknownError",
            "EncodingError",
            "DataError",
        )
    }
)


def webauthn_error_text(detail: str) -> Msg | None:
    """A readable message for a ceremony failure whose detail starts ``<ErrorName>: ...``."""
    key = WEBAUTHN_ERROR_KEYS.get(detail.split(":", 1)[0].strip())
    return Msg(key) if key is not None else None


def error_text(
    error: str | None, error_name: str | None, retry_after: int | None = None
) -> tuple[Text | None, str | None]:
    """The screen message for a server error, and the field it concerns.

    Known names become catalog keys; unknown ones keep the server's text. An
    ``InvalidPasswordException`` keeps the server's text because it names the
    missing rule ("Password must contain an uppercase letter, ...").
    """
    if error is None and error_name is None:
        return None, None
    if error_name is not None and error_name in SERVER_TEXT_ERRORS and error:
        return Raw(error), SERVER_TEXT_ERRORS[error_name] or None
    if error_name is not None and error_name in ERROR_KEYS:
        key, field_name = ERROR_KEYS[error_name]
        if key == "error.too_many_attempts" and retry_after is not None:
            # The server said how long: "try again in 8 s" is something a person can act on.
            return msg("error.retry_in", count=str(retry_after)), None
        return Msg(key), field_name
    if error:
        return Raw(error), None
    return Msg("error.unknown"), None


def label_text(field_name: str, server_label: str) -> Text:
    """Label for a field: a catalog key when recognised, else the server's words."""
    if server_label in LABEL_KEYS:
        return Msg(LABEL_KEYS[server_label])
    if not server_label and field_name in FIELD_LABEL_KEYS:
        return Msg(FIELD_LABEL_KEYS[field_name])
    return Raw(server_label or field_name)


def choice_text(value: str) -> Text:
    """Readable name of an MFA / first-factor option (``TOTP`` -> Authenticator app)."""
    key = f"choice.{value}"
    return Msg(key) if key in ENGLISH else Raw(value)


def action_text(name: str, server_label: str, *, external: bool = False, provider: str | None = None) -> Text:
    """Submit-button text: ours for known actions, the server's for anything else.

    Federated buttons keep the server's label (it carries the provider's proper
    name); without one they say "Sign in with <provider>".
    """
    if external:
        if server_label:
            return Raw(server_label)
        return msg("action.federated", provider=(provider or name).title())
    key = f"action.{name}"
    if key in ENGLISH:
        return Msg(key)
    return Raw(server_label or name)
