"""MFA self-service for a signed-in person (beyond the AWS Blocks vocabulary, additive).

``startTotpSetup`` / ``completeTotpSetup`` enrol an authenticator app,
``startEmailMfaSetup`` / ``completeEmailMfaSetup`` enrol an email address by
code, ``setPreferredMfa`` picks among enrolled types, ``disableMfa`` turns MFA
off (not offered when MFA is required), ``cancelSetup`` drops a ceremony.
They are ordinary forms, so any client renders them.

The ceremony (the TOTP secret, the email being verified) is kept on the web
session row; what the client echoes back is ignored. A wrong code answers
with the thin retriable reply so the form stays on screen.
"""

from __future__ import annotations

from .account import pending_of
from .addresses import is_email
from .audit import audit
from .code_steps import spend_send_keeping_step
from .codes import CodeCheck
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .forms import pick_one_of
from .notices import tell_owner
from .rate_limit import Attempt
from .recent_auth import require_recent_auth, require_signed_in
from .sessions import WebSession
from .totp import matching_step, new_secret
from .users import User


def _require_type(parts: Components, mfa_type: str) -> None:
    if mfa_type not in parts.settings.active_mfa_types:
        raise AuthError(Problem.INVALID_PARAMETER, f"{mfa_type} MFA is not enabled")


def _setup_code_key(session: WebSession) -> str:
    return f"setup:{session.token_hash}"


def _signed_in(parts: Components, user: User) -> Outcome:
    return Outcome(parts.replies.signed_in(parts.users.by_id(user.id) or user))


def start_totp_setup(parts: Components, request: Request, params: Params) -> Outcome:
    session, user = require_recent_auth(parts, request)
    _require_type(parts, "TOTP")
    secret = new_secret()
    expires = request.now + parts.settings.code_lifetime
    parts.web_sessions.set_pending(
        session, {"kind": "totp", "secret": secret, "expires": expires, "attempts": 0}
    )
    return Outcome(parts.replies.totp_setup_pending(user, secret))


def _ceremony(
    parts: Components, request: Request, kind: str, missing: str
) -> tuple[WebSession, User, dict[str, object], Attempt]:
    """The signed-in person's pending set-up of ``kind``, once the failure budget allows a try."""
    session, user = require_signed_in(parts, request)
    pending = pending_of(parts, request, session, kind)
    if pending is None:
        raise AuthError(Problem.INVALID_PARAMETER, missing)
    attempt = parts.limiter.spend_attempt(parts.subject(user.username, request), request.now)
    return session, user, pending, attempt


def complete_totp_setup(parts: Components, request: Request, params: Params) -> Outcome:
    session, user, pending, attempt = _ceremony(parts, request, "totp", "No authenticator set-up in progress")
    secret = str(pending["secret"])
    step = matching_step(secret, params.text("code"), request.now)
    if step is None:
        previous = pending.get("attempts")
        attempts = (previous if isinstance(previous, int) else 0) + 1
        if attempts >= parts.settings.max_code_attempts:
            parts.web_sessions.set_pending(session, None)
            raise AuthError(Problem.ATTEMPTS_EXHAUSTED)
        parts.web_sessions.set_pending(session, {**pending, "attempts": attempts})
        raise AuthError(Problem.CODE_MISMATCH, retriable=True)
    parts.limiter.refund(attempt)
    parts.web_sessions.set_pending(session, None)
    parts.users.enable_totp(user.id, secret, step)
    audit("mfa.totp_enrolled", "success", user=user.username, address=request.address)
    tell_owner(parts, user, "totp-enabled", request.now)
    return _signed_in(parts, user)


def start_email_mfa_setup(parts: Components, request: Request, params: Params) -> Outcome:
    session, user = require_recent_auth(parts, request)
    _require_type(parts, "EMAIL")
    email = params.stripped("email") or (user.email or "")
    if not is_email(email):
        raise AuthError(Problem.INVALID_PARAMETER, "Invalid email address format")
    if parts.users.email_taken(email, except_user=user.id):
        raise AuthError(Problem.ALIAS_EXISTS)
    parts.send_code_within_budget(
        parts.subject(user.username, request),
        request.now,
        user=user,
        key_of=lambda _user_id: _setup_code_key(session),
        purpose="mfa-setup",
        to=email,
    )
    expires = request.now + parts.settings.code_lifetime
    parts.web_sessions.set_pending(session, {"kind": "email", "email": email, "expires": expires})
    return Outcome(parts.replies.email_setup_pending(user, email))


def resend_email_mfa_setup_code(parts: Components, request: Request, params: Params) -> Outcome:
    """``resendEmailMfaSetupCode`` (additive): the set-up code again, to the address being verified.

    The send budget and its retriable refusal are those of ``resendSignInCode``;
    the new code replaces the old one, and the ceremony lives as long as it.
    """
    session, user = require_signed_in(parts, request)
    pending = pending_of(parts, request, session, "email")
    if pending is None:
        raise AuthError(Problem.INVALID_PARAMETER, "No email set-up in progress")
    email = str(pending["email"])
    spend_send_keeping_step(parts, parts.subject(user.username, request), request.now)
    parts.send_code(
        key=_setup_code_key(session), to=email, username=user.username, purpose="mfa-setup", now=request.now
    )
    parts.web_sessions.set_pending(
        session, {**pending, "expires": request.now + parts.settings.code_lifetime}
    )
    return Outcome(parts.replies.email_setup_pending(user, email))


def complete_email_mfa_setup(parts: Components, request: Request, params: Params) -> Outcome:
    session, user, pending, attempt = _ceremony(parts, request, "email", "No email set-up in progress")
    result = parts.codes.check(_setup_code_key(session), params.text("code"), request.now)
    if result is CodeCheck.WRONG:
        raise AuthError(Problem.CODE_MISMATCH, retriable=True)
    if result is not CodeCheck.OK:
        parts.web_sessions.set_pending(session, None)
        raise AuthError(Problem.ATTEMPTS_EXHAUSTED)
    parts.limiter.refund(attempt)
    parts.web_sessions.set_pending(session, None)
    email = str(pending["email"])
    if parts.users.email_taken(email, except_user=user.id):
        raise AuthError(Problem.ALIAS_EXISTS)
    parts.users.enable_email_mfa(user.id, email)
    audit("mfa.email_enrolled", "success", user=user.username, address=request.address)
    if user.email and user.email_verified and user.email != email:
        audit("email.changed", "success", user=user.username, address=request.address)
        tell_owner(parts, user, "email-changed", request.now, address=user.email)
    else:  # the same address, now a second factor (and the preferred one)
        tell_owner(parts, user, "email-mfa-enabled", request.now, address=email)
    return _signed_in(parts, user)


def set_preferred_mfa(parts: Components, request: Request, params: Params) -> Outcome:
    _, user = require_recent_auth(parts, request)
    enrolled = user.enrolled_mfa(parts.settings.active_mfa_types)
    choice = params.stripped("mfaType").upper()
    if choice not in enrolled:
        raise AuthError(Problem.INVALID_PARAMETER, f"Invalid MFA type. {pick_one_of(enrolled)}")
    parts.users.set_preferred_mfa(user.id, choice)
    audit("mfa.preference", "success", user=user.username, address=request.address, mfa=choice)
    if choice != user.preferred_mfa:
        tell_owner(parts, user, "mfa-preference-changed", request.now)
    return _signed_in(parts, user)


def disable_mfa(parts: Components, request: Request, params: Params) -> Outcome:
    _, user = require_recent_auth(parts, request)
    if parts.settings.mfa_mode == "required":
        raise AuthError(Problem.MFA_REQUIRED)
    parts.users.disable_mfa(user.id)
    audit("mfa.disabled", "success", user=user.username, address=request.address)
    tell_owner(parts, user, "mfa-disabled", request.now)
    return _signed_in(parts, user)


def cancel_setup(parts: Components, request: Request, params: Params) -> Outcome:
    session, user = require_signed_in(parts, request)
    parts.web_sessions.set_pending(session, None)
    parts.codes.discard(_setup_code_key(session))
    return _signed_in(parts, user)
