"""Sign-up with code confirmation, resend, and the auto sign-in bridge.

``signUp`` creates an unconfirmed account and sends a code. In cognito mode
it also sets the auto sign-in cookie unless the client opted out with
``autoSignIn: false`` (the recorded block honours only the string
``"false"``, ``cognito_opt_signup_autosignin_bool_false.jsonl``; we honour
both). ``confirmSignUp`` then answers with a ``confirmingSignUp`` state whose
only action is ``autoSignIn``, but only for the browser holding that cookie;
the bridge is single use and expires minutes after confirmation, unlike the
recorded one that can be replayed (``cognito_ua_signup_autosignin.jsonl``
step 5). AuthBasic instead asks for the password again and signs in at once.

An abandoned sign-up (unconfirmed, no live code) does not hold its username
hostage: a new sign-up may take it over. Signing up again with the same
password while the code is still live resends it and shows the confirm
screen again (issue 12: no dead ends).
"""

from __future__ import annotations

import dataclasses

from .addresses import check_attribute, check_username, mask_email, mask_phone
from .audit import audit
from .codes import CodeCheck
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .forms import sign_up_attribute_names
from .passwords import policy_message, policy_violations
from .rate_limit import Subject
from .sign_in import after_first_factor, complete_sign_in
from .users import User, identifier_key


def sign_up_code_key(user_id: int) -> str:
    return f"sign-up:{user_id}"


def sign_up(parts: Components, request: Request, params: Params) -> Outcome:
    settings = parts.settings
    if not settings.self_sign_up:
        raise AuthError(Problem.SIGN_UP_DISABLED)
    username = params.stripped("username")
    password = params.text("password")
    if not username or not password:
        raise AuthError(Problem.INVALID_PARAMETER, "Username and password are required")
    check_username(settings, username)
    attributes: dict[str, str] = {}
    for name in sign_up_attribute_names(settings):
        value = params.stripped(name)
        if not value:
            raise AuthError(Problem.INVALID_PARAMETER, f"{name} is required")
        check_attribute(name, value)
        attributes[name] = value
    missing = policy_violations(password, settings.policy)
    if missing:
        raise AuthError(Problem.WEAK_PASSWORD, policy_message(missing))
    subject = parts.subject(username, request)
    # Spent before the name is looked up: probing names costs the same budget whether the
    # name is taken or not (issue 11, finding 4). Spent outside the transaction below, so a
    # refused probe cannot roll its spending back.
    parts.limiter.spend_send(subject, request.now)
    existing = parts.users.by_username(username)
    live = _live_code(parts, request, existing, subject)  # asked for every name, so the lookups match
    if existing is not None and existing.status == "UNCONFIRMED" and live:
        # A pending sign-up: its own password gets a fresh code and the confirm screen (issue
        # 12, item 1: no dead end); any other is told below that the name is taken.
        if parts.hasher.verify(password, existing.password_hash):
            return _resend_to_unconfirmed(parts, request, existing, username)
        password_hash: str | None = None
    else:
        # Exactly one scrypt derivation on every path (the verify above or this hash), and
        # the same lookups below, so timing does not tell new, taken and pending names apart
        # (finding 4). Outside the transaction: it must stay short.
        password_hash = parts.hasher.hash(password)
    email = username if settings.identifiers == ("email",) else attributes.pop("email", None)
    phone = username if settings.identifiers == ("phone",) else attributes.pop("phone_number", None)
    # One transaction decides "taken or abandoned", creates the account and issues its code:
    # a concurrent sign-up never sees the account without its code and takes it over.
    with parts.store.transaction():
        existing = parts.users.by_username(username)
        live = _live_code(parts, request, existing, subject)
        abandoned = existing is not None and existing.status == "UNCONFIRMED" and not live
        if (existing is not None and not abandoned) or password_hash is None:
            # (No hash: a pending name that was abandoned meanwhile; the retry takes it over.)
            raise AuthError(Problem.USER_EXISTS)
        user = parts.users.create(
            username=username,
            password_hash=password_hash,
            status="UNCONFIRMED",
            now=request.now,
            email=email,
            phone=phone,
            attributes=attributes,
            replace_unconfirmed=abandoned,
        )
        code = parts.codes.issue(sign_up_code_key(user.id), request.now)
    try:
        parts.deliver_code(
            code,
            key=sign_up_code_key(user.id),
            to=user.delivery_address,
            username=username,
            purpose="sign-up",
            now=request.now,
        )
    except AuthError:
        parts.users.delete_unconfirmed(user.id)  # nobody got a code: the name is free again
        raise
    audit("sign_up", "success", user=username, address=request.address)
    outcome = Outcome(parts.replies.confirming_sign_up(username, _masked(user)))
    if settings.mode == "cognito" and settings.auto_sign_in and not params.opts_out("autoSignIn"):
        outcome = dataclasses.replace(outcome, bridge=parts.bridges.create(user.id, request.now))
    return outcome


def _live_code(parts: Components, request: Request, user: User | None, subject: Subject) -> bool:
    """Whether the account's sign-up code is live; without an account, a phantom key is asked
    (it never holds a code) so a new name costs the same lookup as a taken one."""
    key = sign_up_code_key(user.id) if user is not None else parts.phantom_code_key("sign-up", subject)
    return parts.codes.has_live_code(key, request.now)


def _resend_to_unconfirmed(parts: Components, request: Request, user: User, username: str) -> Outcome:
    """A fresh code for the owner signing up again; ``sign_up`` has already spent its send budget."""
    parts.send_code(
        key=sign_up_code_key(user.id),
        to=user.delivery_address,
        username=user.username,
        purpose="sign-up",
        now=request.now,
    )
    return Outcome(parts.replies.confirming_sign_up(username, _masked(user)))


def _masked(user: User) -> str | None:
    """The address a sign-up code went to, masked as sign-in challenges show it (None: no address)."""
    if user.email:
        return mask_email(user.email)
    return mask_phone(user.phone) if user.phone else None


def confirm_sign_up(parts: Components, request: Request, params: Params) -> Outcome:
    settings = parts.settings
    username = params.stripped("username")
    subject = parts.subject(username, request)
    attempt = parts.limiter.spend_attempt(subject, request.now)
    user = parts.users.by_username(username) if username else None
    pending = user is not None and user.status == "UNCONFIRMED"
    key = sign_up_code_key(user.id) if pending and user else parts.phantom_code_key("sign-up", subject)
    result = parts.codes.check(key, params.text("code"), request.now)
    if result is not CodeCheck.OK or user is None:
        # Unknown account, confirmed account or wrong code: one answer for all three.
        raise AuthError(
            Problem.ATTEMPTS_EXHAUSTED if result is CodeCheck.EXHAUSTED else Problem.CODE_MISMATCH
        )
    parts.limiter.refund(attempt)
    user = parts.users.confirm(user.id, enable_email_mfa=settings.enrols_email_mfa_on_sign_up)
    audit("sign_up.confirmed", "success", user=user.username, address=request.address)
    if settings.mode == "basic":
        # AuthBasic confirms, then signs in with the password sent alongside
        # (basic_signup_confirm_signin_signout.jsonl step 5: without it, an error).
        password = params.text("password")
        if not password:
            raise AuthError(Problem.PASSWORD_REQUIRED_TO_CONFIRM)
        if not parts.hasher.verify(password, user.password_hash):
            parts.limiter.record_failure(subject, request.now)
            raise AuthError(Problem.BAD_CREDENTIALS)
        return complete_sign_in(parts, request, user)
    bridge = request.bridge_token
    if settings.auto_sign_in and bridge and parts.bridges.arm(bridge, user.id, request.now):
        return Outcome(parts.replies.auto_sign_in(user.username))
    return Outcome(parts.replies.signed_out)


def resend_sign_up_code(parts: Components, request: Request, params: Params) -> Outcome:
    username = params.stripped("username")
    if not username:
        raise AuthError(Problem.INVALID_PARAMETER, "username is required")
    user = parts.users.by_username(username)
    parts.send_code_within_budget(
        parts.subject(username, request),
        request.now,
        user=user if user is not None and user.status == "UNCONFIRMED" else None,
        key_of=sign_up_code_key,
        purpose="sign-up",
    )
    return Outcome(parts.replies.confirming_sign_up(username))


def auto_sign_in(parts: Components, request: Request, params: Params) -> Outcome:
    token = request.bridge_token
    user_id = parts.bridges.redeem(token, request.now) if token else None
    user = parts.users.by_id(user_id) if user_id is not None else None
    if user is None or user.username_key != identifier_key(params.stripped("username")):
        raise AuthError(Problem.NO_AUTO_SIGN_IN, end_bridge=token is not None)
    return dataclasses.replace(after_first_factor(parts, request, user), end_bridge=True)
