"""``confirmSignIn``: answering the challenge a sign-in step issued.

The hidden ``session`` names a server-side challenge (see ``sign_in``); the
hidden ``challenge`` must match its kind. A wrong answer costs one attempt
and returns the thin retriable reply, leaving the same session usable
(``cognito_opt_signup_autosignin_email_mfa.jsonl`` steps 8-9); the last
allowed wrong answer ends the session. A right answer consumes the session
before anything else happens, so two concurrent right answers cannot both
win, and the next step (if any) gets a new session.

Unlike the AWS Blocks mock, TOTP codes are checked (RFC 6238, one step of
drift, no reuse), the chosen MFA type must be one of those offered, and the
TOTP secret being set up is the one the server issued, not the echoed copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, NoReturn

from .addresses import is_email
from .audit import audit
from .codes import CodeCheck
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .forms import pick_one_of
from .notices import tell_owner
from .passkeys import parse_credential
from .passwords import policy_message, policy_violations
from .rate_limit import Subject
from .sessions import Challenge
from .sign_in import (
    after_first_factor,
    begin_webauthn,
    challenge_code_key,
    complete_sign_in,
    mfa_step,
    send_code_challenge,
    start_mfa_code,
    start_mfa_setup,
)
from .totp import matching_step
from .users import User


def confirm_sign_in(parts: Components, request: Request, params: Params) -> Outcome:
    token = params.text("session")
    challenge = parts.challenges.get(token, request.now) if token else None
    if challenge is None:
        raise AuthError(Problem.SESSION_EXPIRED)
    claimed = params.text("challenge")
    if claimed and claimed != challenge.kind:
        raise AuthError(Problem.INVALID_PARAMETER, "challenge does not match the session")
    return _ANSWERS[challenge.kind](parts, request, params, challenge)


def _user(parts: Components, challenge: Challenge) -> User | None:
    user_id = challenge.data.get("user_id")
    return None if user_id is None else parts.users.by_id(int(user_id))


def _known_user(parts: Components, challenge: Challenge) -> User:
    user = _user(parts, challenge)
    if user is None:
        raise AuthError(Problem.SESSION_EXPIRED)
    return user


def _subject(parts: Components, request: Request, challenge: Challenge, user: User | None) -> Subject:
    name = user.username if user is not None else str(challenge.data.get("username", ""))
    return parts.subject(name, request)


def _wrong(
    parts: Components,
    request: Request,
    challenge: Challenge,
    subject: Subject,
    problem: Problem,
    detail: str | None = None,
) -> NoReturn:
    """Count a wrong answer: retriable while attempts remain, then the session is gone.

    The failure budget was already charged (``spend_attempt`` or ``record_failure``).
    """
    account = subject.username_key if challenge.data.get("user_id") is not None else None
    audit(
        "sign_in.challenge",
        "failure",
        user=account,
        address=request.address,
        step=str(challenge.data["kind"]),
    )
    if parts.challenges.fail(challenge):
        raise AuthError(problem, detail, retriable=True)
    raise AuthError(Problem.ATTEMPTS_EXHAUSTED)


def _consume(parts: Components, challenge: Challenge) -> None:
    if not parts.challenges.consume(challenge):
        raise AuthError(Problem.SESSION_EXPIRED)


def _answer_code(parts: Components, request: Request, params: Params, challenge: Challenge) -> Outcome:
    user = _user(parts, challenge)
    subject = _subject(parts, request, challenge, user)
    attempt = parts.limiter.spend_attempt(subject, request.now)
    code = params.text("code")
    if challenge.data["mfa"] == "TOTP":
        if user is None or user.totp_secret is None:
            raise AuthError(Problem.SESSION_EXPIRED)
        # Whether the code is right, apart from whether it was used: use_totp_step decides that
        # atomically, and a raced right code must not look like a wrong one.
        step = matching_step(user.totp_secret, code, request.now)
        if step is None:
            _wrong(parts, request, challenge, subject, Problem.CODE_MISMATCH)
        if not parts.users.use_totp_step(user.id, step):
            # The right code, already used: a concurrent submission won it (or this is a replay).
            # Counting it against the challenge (or the budget: it was no guess) would let the
            # losers end the winner's session or lock the account.
            parts.limiter.refund(attempt)
            raise AuthError(Problem.CODE_MISMATCH, retriable=True)
    else:
        result = parts.codes.check(challenge_code_key(challenge.token), code, request.now)
        if result is not CodeCheck.OK:
            _wrong(parts, request, challenge, subject, Problem.CODE_MISMATCH)
    parts.limiter.refund(attempt)
    _consume(parts, challenge)
    if user is None:  # a code can only be right for an account; kept for the type checker
        raise AuthError(Problem.SESSION_EXPIRED)
    if challenge.data.get("setup"):
        if challenge.data["mfa"] == "EMAIL":
            email = str(challenge.data["email"])
            if parts.users.email_taken(email, except_user=user.id):
                raise AuthError(Problem.ALIAS_EXISTS)
            parts.users.enable_email_mfa(user.id, email)
            if user.email and user.email_verified and user.email != email:
                audit("email.changed", "success", user=user.username, address=request.address)
                tell_owner(parts, user, "email-changed", request.now, address=user.email)
            else:
                tell_owner(parts, user, "email-mfa-enabled", request.now, address=email)
        else:
            parts.users.enable_sms_mfa(user.id)
        enrolled = str(challenge.data["mfa"]).lower()
        audit(f"mfa.{enrolled}_enrolled", "success", user=user.username, address=request.address)
        user = parts.users.by_id(user.id) or user
    return complete_sign_in(parts, request, user)


def _answer_mfa_type(parts: Components, request: Request, params: Params, challenge: Challenge) -> Outcome:
    user = _known_user(parts, challenge)
    options = tuple(str(o) for o in challenge.data["options"])
    choice = params.stripped("mfaType").upper()
    if choice not in options:
        subject = _subject(parts, request, challenge, user)
        parts.limiter.record_failure(subject, request.now)
        _wrong(
            parts,
            request,
            challenge,
            subject,
            Problem.INVALID_PARAMETER,
            f"Invalid MFA type. {pick_one_of(options)}",
        )
    _consume(parts, challenge)
    if challenge.data["setup"]:
        return start_mfa_setup(parts, request, user, choice)
    return start_mfa_code(parts, request, user, choice)


def _answer_totp_setup(parts: Components, request: Request, params: Params, challenge: Challenge) -> Outcome:
    user = _known_user(parts, challenge)
    subject = _subject(parts, request, challenge, user)
    attempt = parts.limiter.spend_attempt(subject, request.now)
    secret = str(challenge.data["secret"])
    step = matching_step(secret, params.text("code"), request.now)
    if step is None:
        _wrong(parts, request, challenge, subject, Problem.CODE_MISMATCH)
    parts.limiter.refund(attempt)
    _consume(parts, challenge)
    parts.users.enable_totp(user.id, secret, step)
    audit("mfa.totp_enrolled", "success", user=user.username, address=request.address)
    tell_owner(parts, user, "totp-enabled", request.now)
    return complete_sign_in(parts, request, parts.users.by_id(user.id) or user)


def _answer_email(parts: Components, request: Request, params: Params, challenge: Challenge) -> Outcome:
    user = _known_user(parts, challenge)
    email = params.stripped("email")
    if not is_email(email):
        raise AuthError(Problem.INVALID_PARAMETER, "Invalid email address format", retriable=True)
    if parts.users.email_taken(email, except_user=user.id):
        raise AuthError(Problem.ALIAS_EXISTS, retriable=True)
    _consume(parts, challenge)
    return send_code_challenge(parts, request, user, "EMAIL", email, {"setup": True, "email": email})


def _answer_new_password(
    parts: Components, request: Request, params: Params, challenge: Challenge
) -> Outcome:
    user = _known_user(parts, challenge)
    missing = policy_violations(params.text("newPassword"), parts.settings.policy)
    if missing:
        raise AuthError(Problem.WEAK_PASSWORD, policy_message(missing), retriable=True)
    _consume(parts, challenge)
    parts.users.set_password(user.id, parts.hasher.hash(params.text("newPassword")))
    return mfa_step(parts, request, parts.users.by_id(user.id) or user)


def _answer_password(parts: Components, request: Request, params: Params, challenge: Challenge) -> Outcome:
    user = _user(parts, challenge)
    subject = _subject(parts, request, challenge, user)
    attempt = parts.limiter.spend_attempt(subject, request.now)
    verified = parts.hasher.verify(params.text("password"), None if user is None else user.password_hash)
    if user is None or not verified:
        _wrong(parts, request, challenge, subject, Problem.BAD_CREDENTIALS)
    parts.limiter.refund(attempt)
    if user.status == "UNCONFIRMED":
        raise AuthError(Problem.NOT_CONFIRMED)
    _consume(parts, challenge)
    return after_first_factor(parts, request, user)


def _answer_first_factor(
    parts: Components, request: Request, params: Params, challenge: Challenge
) -> Outcome:
    options = tuple(str(o) for o in challenge.data["options"])
    identifier = str(challenge.data["username"])
    choice = params.stripped("firstFactor").upper()
    if choice not in options:
        subject = parts.subject(identifier, request)
        parts.limiter.record_failure(subject, request.now)
        _wrong(
            parts,
            request,
            challenge,
            subject,
            Problem.INVALID_PARAMETER,
            f"Invalid choice. {pick_one_of(options)}",
        )
    _consume(parts, challenge)
    user = parts.users.find(identifier, parts.settings.identifiers)
    if user is not None and user.status != "CONFIRMED":
        user = None  # treated exactly like an unknown account from here on
    if choice == "PASSWORD":
        data = {"kind": "password", "user_id": None if user is None else user.id, "username": identifier}
        return Outcome(parts.replies.password_challenge(parts.challenges.create(data, request.now)))
    if choice == "WEB_AUTHN":
        return begin_webauthn(parts, request, identifier, user)
    mfa_type = "EMAIL" if choice == "EMAIL_OTP" else "SMS"
    if mfa_type == "EMAIL":
        to = user.email if user is not None and user.email_verified else None
        shown = identifier if is_email(identifier) else ""
    else:
        to = user.phone if user is not None and user.phone_verified else None
        shown = identifier if identifier.startswith("+") else ""
    # The label shows what the person typed (or nothing), never an address from the account.
    return send_code_challenge(parts, request, user, mfa_type, to, {"username": identifier}, shown_to=shown)


def _answer_webauthn(parts: Components, request: Request, params: Params, challenge: Challenge) -> Outcome:
    user = _user(parts, challenge)
    subject = _subject(parts, request, challenge, user)
    attempt = parts.limiter.spend_attempt(subject, request.now)
    try:
        credential = parse_credential(params.text("credential"))
        user_verified = parts.passkeys.authenticate(
            user_id=None if user is None else user.id,
            credential=credential,
            challenge=str(challenge.data["challenge"]),
            require_user_verification=bool(challenge.data["require_uv"]),
            now=request.now,
        )
    except AuthError:
        # As recorded (cognito_ua_passkey_register_and_signin.jsonl steps 6-7) a failed
        # assertion answers with the full state yet the session may be retried.
        parts.challenges.fail(challenge)
        raise
    parts.limiter.refund(attempt)
    _consume(parts, challenge)
    assert user is not None  # authenticate() refuses assertions without an account
    if not user_verified:
        # Possession alone (a key without its PIN or biometric) is one factor: MFA still applies.
        return mfa_step(parts, request, user)
    return complete_sign_in(parts, request, user)


_ANSWERS: Final[dict[str, Callable[[Components, Request, Params, Challenge], Outcome]]] = {
    "code": _answer_code,
    "mfaType": _answer_mfa_type,
    "totpSetup": _answer_totp_setup,
    "email": _answer_email,
    "newPassword": _answer_new_password,
    "password": _answer_password,
    "firstFactor": _answer_first_factor,
    "webauthn": _answer_webauthn,
}
