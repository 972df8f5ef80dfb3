"""Signing in: the first factor, then whatever the account needs before a session.

Theory of operation. Every route into an account (password, auto sign-in
after confirmation, a new password for an admin-created account, a password
picked in the choice flow) ends in :func:`after_first_factor`, which decides
the next step from the account and the settings:

1. an admin-created account must choose a new password (``newPassword``);
2. MFA off, or optional with nothing enrolled: signed in;
3. something enrolled: a ``code`` challenge for the only or preferred type,
   else an ``mfaType`` choice among the enrolled types;
4. MFA required and nothing enrolled: set-up (``totpSetup``, ``email``, SMS
   code), or an ``mfaType`` choice among the types that can be set up.

Passkeys and one-time codes used as a *first* factor (choice flow) sign in
directly: a passkey is possession plus (with MFA required, enforced) user
verification, and Cognito does not stack MFA on passwordless factors.

Each step is a challenge session (``sessions.Challenges``) whose data records
what was proven so far; the client only ever holds its random token.
"""

from __future__ import annotations

from typing import Any, Final

from .addresses import mask_email, mask_phone
from .audit import audit
from .code_message import Purpose
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .sessions import token_hash
from .totp import new_secret
from .users import User

FIRST_FACTORS: Final = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
PASSKEY_METHOD: Final = "WEB_AUTHN"  # a passkey offered in place of a second factor (useAnotherMfaMethod)


def sign_in(parts: Components, request: Request, params: Params) -> Outcome:
    identifier = params.stripped("username")
    password = params.text("password")
    if parts.settings.flow == "choice" and identifier and not password:
        return begin_first_factor_choice(parts, request, identifier)
    if not identifier or not password:
        raise AuthError(Problem.BAD_CREDENTIALS)
    user = verify_password(parts, request, identifier, password)
    return after_first_factor(parts, request, user)


def sign_in_with_passkey(parts: Components, request: Request, params: Params) -> Outcome:
    if not parts.settings.passkeys_enabled:
        raise AuthError(Problem.UNKNOWN_ACTION, "Unknown action: signInWithPasskey")
    identifier = params.stripped("username")
    if not identifier:
        raise AuthError(Problem.INVALID_PARAMETER, "username is required")
    parts.limiter.check_failures(parts.subject(identifier, request), request.now)
    return begin_webauthn(
        parts, request, identifier, parts.users.find(identifier, parts.settings.identifiers)
    )


def verify_password(parts: Components, request: Request, identifier: str, password: str) -> User:
    """The account ``identifier`` names, if ``password`` is its password; else BAD_CREDENTIALS."""
    user = parts.users.find(identifier, parts.settings.identifiers)
    subject = parts.subject_of(identifier, user, request)
    attempt = parts.limiter.spend_attempt(subject, request.now, paced=True)
    # verify() costs one hash even without an account, so timing tells nothing either.
    verified = parts.hasher.verify(password, None if user is None else user.password_hash)
    if user is None or not verified:
        audit("sign_in", "failure", user=None if user is None else user.username, address=request.address)
        raise AuthError(Problem.BAD_CREDENTIALS)
    parts.limiter.refund(attempt)
    # Only someone who knows the password learns the account's status.
    if user.status == "UNCONFIRMED":
        raise AuthError(Problem.NOT_CONFIRMED)
    expires = user.temporary_password_expires_at
    if user.status == "FORCE_CHANGE_PASSWORD" and expires is not None and expires <= request.now:
        raise AuthError(Problem.TEMPORARY_PASSWORD_EXPIRED)
    if parts.hasher.needs_rehash(user.password_hash):
        parts.users.rehash(user.id, parts.hasher.hash(password))
    return user


def after_first_factor(parts: Components, request: Request, user: User) -> Outcome:
    if user.status == "FORCE_CHANGE_PASSWORD":
        token = parts.challenges.create({"kind": "newPassword", "user_id": user.id}, request.now)
        return Outcome(parts.replies.new_password_challenge(token))
    return mfa_step(parts, request, user)


def mfa_step(parts: Components, request: Request, user: User) -> Outcome:
    settings = parts.settings
    types = settings.active_mfa_types
    enrolled = user.enrolled_mfa(types)
    if enrolled:
        if len(enrolled) == 1:
            return start_mfa_code(parts, request, user, enrolled[0])
        if user.preferred_mfa in enrolled:
            return start_mfa_code(parts, request, user, user.preferred_mfa)
        return mfa_choice(parts, request, user, enrolled, setup=False)
    if settings.mfa_mode == "required":
        options = tuple(t for t in types if t != "SMS" or user.phone)
        if len(options) == 1:
            return start_mfa_setup(parts, request, user, options[0])
        return mfa_choice(parts, request, user, options, setup=True)
    return complete_sign_in(parts, request, user)


def mfa_choice(
    parts: Components, request: Request, user: User, options: tuple[str, ...], *, setup: bool
) -> Outcome:
    data = {"kind": "mfaType", "user_id": user.id, "options": list(options), "setup": setup}
    token = parts.challenges.create(data, request.now)
    return Outcome(parts.replies.mfa_choice(token, options, setup=setup))


def start_mfa_code(parts: Components, request: Request, user: User, mfa_type: str) -> Outcome:
    """A ``code`` challenge for an enrolled type; EMAIL and SMS codes are sent now.

    The challenge is marked ``second_factor``: the account may switch to another
    of its enrolled types (``useAnotherMfaMethod``, see ``code_steps``).
    """
    if mfa_type == PASSKEY_METHOD:
        # A passkey instead of the second factor: with user verification it signs in on its
        # own (as a passkey sign-in does); without, the account's preferred step comes back.
        return begin_webauthn(parts, request, user.username, user)
    switchable = bool(other_mfa_methods(parts, user, mfa_type))
    if mfa_type == "TOTP":
        data = {"kind": "code", "user_id": user.id, "mfa": "TOTP", "second_factor": True}
        token = parts.challenges.create(data, request.now)
        label = "Enter Authenticator Code"
        return Outcome(parts.replies.code_challenge(token, label, other_methods=switchable))
    to = user.email if mfa_type == "EMAIL" else user.phone
    assert to is not None  # enrolled_mfa() only lists types with an address
    return send_code_challenge(
        parts, request, user, mfa_type, to, {"second_factor": True}, other_methods=switchable
    )


def other_mfa_methods(parts: Components, user: User, mfa_type: str) -> tuple[str, ...]:
    """What a second-factor step for ``mfa_type`` may switch to: the other enrolled types,
    and the account's passkeys (``WEB_AUTHN``) when it has any."""
    others = [t for t in user.enrolled_mfa(parts.settings.active_mfa_types) if t != mfa_type]
    if mfa_type != PASSKEY_METHOD and parts.settings.passkeys_enabled and parts.passkeys.for_user(user.id):
        others.append(PASSKEY_METHOD)
    return tuple(others)


def start_mfa_setup(parts: Components, request: Request, user: User, mfa_type: str) -> Outcome:
    if mfa_type == "TOTP":
        secret = new_secret()
        token = parts.challenges.create(
            {"kind": "totpSetup", "user_id": user.id, "secret": secret}, request.now
        )
        return Outcome(parts.replies.totp_setup_challenge(token, secret))
    if mfa_type == "EMAIL":
        token = parts.challenges.create({"kind": "email", "user_id": user.id}, request.now)
        return Outcome(parts.replies.email_setup_challenge(token, user.email))
    assert user.phone is not None  # SMS set-up is offered only with a phone number on file
    return send_code_challenge(parts, request, user, "SMS", user.phone, {"setup": True})


def send_code_challenge(
    parts: Components,
    request: Request,
    user: User | None,
    mfa_type: str,
    to: str | None,
    extra: dict[str, Any],
    *,
    shown_to: str | None = None,
    other_methods: bool = False,
) -> Outcome:
    """A ``code`` challenge whose code goes by email or SMS to ``to`` (nothing is sent when None).

    The challenge keeps the address and the label, so ``resendSignInCode`` sends
    the next code to the same place and answers with the same step.
    """
    username = user.username if user is not None else str(extra.get("username", ""))
    subject = parts.subject(username, request)
    parts.limiter.spend_send(subject, request.now)
    destination = to if shown_to is None else shown_to
    channel = "Email" if mfa_type == "EMAIL" else "SMS"
    label = f"Enter {channel} Code"
    if destination:
        label += f" (sent to {mask_email(destination) if mfa_type == 'EMAIL' else mask_phone(destination)})"
    data = {
        "kind": "code",
        "user_id": None if user is None else user.id,
        "mfa": mfa_type,
        **extra,
        "to": to if user is not None else None,
        "label": label,
    }
    token = parts.challenges.create(data, request.now)
    if to is not None and user is not None:
        parts.send_code(
            key=challenge_code_key(token),
            to=to,
            username=user.username,
            purpose=code_purpose(data),
            now=request.now,
        )
    return Outcome(parts.replies.code_challenge(token, label, resend=True, other_methods=other_methods))


def code_purpose(data: dict[str, Any]) -> Purpose:
    """What a challenge's emailed code is for (the message's wording follows it)."""
    return "mfa-setup" if data.get("setup") else "sign-in"


def challenge_code_key(token: str) -> str:
    return f"challenge:{token_hash(token)}"


def complete_sign_in(parts: Components, request: Request, user: User) -> Outcome:
    with parts.store.transaction():  # one commit for the session, the budgets and the device
        token = parts.web_sessions.create(user.id, request.now, replacing=request.session_token)
        parts.limiter.clear_failures(parts.subject_of(user.username, user, request))
        device = parts.known_devices.remember(user.id, request.known_device, request.now)
    audit("sign_in", "success", user=user.username, address=request.address, new_device=device is not None)
    return Outcome(parts.replies.signed_in(user), session=token, known_device=device)


# -- choice flow (USER_AUTH-like) and passkeys ------------------------------------------


def first_factor_options(parts: Components) -> tuple[str, ...]:
    """Factors the pool offers (never per account: that would reveal the account)."""
    s = parts.settings
    passwordless_codes = s.mfa_mode != "required"
    offered = {
        "PASSWORD": True,
        "EMAIL_OTP": passwordless_codes and "email" in s.identifiers,
        "SMS_OTP": passwordless_codes and "phone" in s.identifiers,
        "WEB_AUTHN": s.passkeys_enabled,
    }
    return tuple(f for f in FIRST_FACTORS if offered[f])


def begin_first_factor_choice(parts: Components, request: Request, identifier: str) -> Outcome:
    parts.limiter.check_failures(parts.subject(identifier, request), request.now)
    options = first_factor_options(parts)
    data = {"kind": "firstFactor", "username": identifier, "options": list(options)}
    token = parts.challenges.create(data, request.now)
    return Outcome(parts.replies.first_factor_challenge(token, options))


def begin_webauthn(parts: Components, request: Request, identifier: str, user: User | None) -> Outcome:
    """A ``webauthn`` challenge, identical whether or not ``identifier`` names an account."""
    require_uv = parts.settings.mfa_mode == "required"
    options_json, challenge = parts.passkeys.authentication_options(require_user_verification=require_uv)
    confirmed = user is not None and user.status == "CONFIRMED"
    data = {
        "kind": "webauthn",
        "user_id": user.id if confirmed and user is not None else None,
        "username": identifier,
        "challenge": challenge,
        "require_uv": require_uv,
    }
    token = parts.challenges.create(data, request.now)
    return Outcome(parts.replies.webauthn_challenge(token, options_json))
