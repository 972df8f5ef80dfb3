"""Re-authentication by any factor the account has (the step ``recent_auth`` asks for).

Theory of operation. A sensitive action on an old sign-in is answered with the
re-authentication state (:func:`prompt`): ``signedIn`` offering

1. ``reauthenticate``: the proof form of one method, named by its hidden
   ``method`` field: ``PASSWORD`` (``password``), ``TOTP`` (``code`` from the
   authenticator app), ``EMAIL_OTP`` (``code`` emailed just now, the label
   says where), ``WEB_AUTHN`` (a ``webauthn-get`` capability with
   ``credentialRequestOptions`` and ``credential``, user verification
   required: a found security key without its PIN proves nothing);
2. ``resendReauthenticationCode`` while the method is ``EMAIL_OTP``;
3. ``chooseReauthenticationMethod`` (``method``: pick one of the account's
   other methods) when it has more than one;
4. ``signOut``.

Every account has a password, but people who sign in with a passkey or an
emailed code may not know it, so they can prove themselves the way they sign in.

What binds a proof to *this* session: an emailed code is stored under the web
session's token hash (another session's code is simply not there), and the
WebAuthn challenge waits in this session's pending ceremony. Success marks
only this session as recently authenticated. Codes are single use and expire
(``CodeBook``); sending one spends the send budget; every wrong answer spends
the same attempt budget as a wrong sign-in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Final

from ..state_machine.protocol import WEBAUTHN_GET, AuthAction, AuthState
from .account import pending_of
from .addresses import mask_email
from .audit import audit
from .codes import CodeCheck
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem, wording
from .forms import action, field, hidden, pick_one_of
from .passkeys import parse_credential
from .recent_auth import require_signed_in
from .sessions import WebSession
from .sign_in import first_factor_options
from .totp import matching_step
from .users import User

PASSWORD: Final = "PASSWORD"
WEB_AUTHN: Final = "WEB_AUTHN"
TOTP: Final = "TOTP"
EMAIL_OTP: Final = "EMAIL_OTP"
PASSKEY_CEREMONY: Final = "reauth-passkey"


def methods_of(parts: Components, user: User) -> tuple[str, ...]:
    """How this account can prove who it is, in the order offered."""
    s = parts.settings
    enrolled = user.enrolled_mfa(s.active_mfa_types)
    email_codes = "EMAIL" in enrolled or (s.flow == "choice" and EMAIL_OTP in first_factor_options(parts))
    offered = {
        PASSWORD: True,
        WEB_AUTHN: s.passkeys_enabled and bool(parts.passkeys.for_user(user.id)),
        TOTP: "TOTP" in enrolled,
        EMAIL_OTP: email_codes and bool(user.email) and user.email_verified,
    }
    return tuple(method for method, ok in offered.items() if ok)


def code_key(session: WebSession) -> str:
    return f"reauth:{session.token_hash}"


def prompt(
    parts: Components, request: Request, session: WebSession, user: User, method: str = PASSWORD
) -> AuthState:
    """The re-authentication state with ``method``'s proof form (sending or preparing it)."""
    methods = methods_of(parts, user)
    actions = [_proof_form(parts, request, session, user, method)]
    if method == EMAIL_OTP:
        actions.append(action("resendReauthenticationCode", "Resend Code"))
    others = tuple(m for m in methods if m != method)
    if others:
        actions.append(
            action("chooseReauthenticationMethod", "Use another method", field("method", pick_one_of(others)))
        )
    actions.append(action("signOut", "Sign Out"))
    return parts.replies.signed_in(user, actions)


def _proof_form(
    parts: Components, request: Request, session: WebSession, user: User, method: str
) -> AuthAction:
    chosen = hidden("method", method)
    if method == TOTP:
        return action("reauthenticate", "Enter Authenticator Code", chosen, field("code", "Code"))
    if method == EMAIL_OTP:
        assert user.email is not None  # methods_of offers EMAIL_OTP only with a verified address
        parts.send_code_within_budget(
            parts.subject(user.username, request),
            request.now,
            user=user,
            key_of=lambda _user_id: code_key(session),
            purpose="reauthentication",
            to=user.email,
        )
        label = f"Enter Email Code (sent to {mask_email(user.email)})"
        return action("reauthenticate", label, chosen, field("code", "Code"))
    if method == WEB_AUTHN:
        options_json, challenge = parts.passkeys.authentication_options(require_user_verification=True)
        expires = request.now + parts.settings.challenge_lifetime
        parts.web_sessions.set_pending(
            session, {"kind": PASSKEY_CEREMONY, "challenge": challenge, "expires": expires}
        )
        fields = (chosen, hidden("credentialRequestOptions", options_json), hidden("credential"))
        return action("reauthenticate", "Use Passkey", *fields, capability=WEBAUTHN_GET)
    return action("reauthenticate", "Confirm it's you", chosen, field("password", "Password", "password"))


def prompt_for_request(parts: Components, request: Request) -> AuthState | None:
    """The re-authentication state for the request's session, if it is signed in."""
    try:
        session, user = require_signed_in(parts, request)
    except AuthError:
        return None
    return prompt(parts, request, session, user)


Handler = Callable[[Components, Request, Params], Outcome]


def _stays_on_prompt(handler: Handler) -> Handler:
    """A refusal that ends the step (a spent budget) answers the prompt again, with the error.

    The generic error reply would be the signed-out base state; the person is still
    signed in and still wants the change, and must not lose the screen that leads to it.
    """

    @functools.wraps(handler)
    def answer(parts: Components, request: Request, params: Params) -> Outcome:
        try:
            return handler(parts, request, params)
        except AuthError as refused:
            if refused.retriable or refused.end_session:
                raise
            state = prompt_for_request(parts, request)
            if state is None:
                raise
            return Outcome(parts.replies.with_error(state, wording(refused, parts.settings.mode)))

    return answer


def _chosen(parts: Components, user: User, params: Params) -> str:
    method = params.stripped("method").upper()
    if not method:  # a client of the password-only form: a code alone is the authenticator's
        method = TOTP if params.stripped("code") and not params.text("password") else PASSWORD
    methods = methods_of(parts, user)
    if method not in methods:
        raise AuthError(Problem.INVALID_PARAMETER, f"Invalid method. {pick_one_of(methods)}", retriable=True)
    return method


@_stays_on_prompt
def choose_method(parts: Components, request: Request, params: Params) -> Outcome:
    """``chooseReauthenticationMethod``: the proof form of another method (an emailed code is sent)."""
    session, user = require_signed_in(parts, request)
    return Outcome(prompt(parts, request, session, user, _chosen(parts, user, params)))


@_stays_on_prompt
def resend_code(parts: Components, request: Request, params: Params) -> Outcome:
    """``resendReauthenticationCode``: a new emailed code (the old one stops working)."""
    session, user = require_signed_in(parts, request)
    if EMAIL_OTP not in methods_of(parts, user):
        raise AuthError(Problem.INVALID_PARAMETER, "This account has no email code to resend")
    return Outcome(prompt(parts, request, session, user, EMAIL_OTP))


@_stays_on_prompt
def reauthenticate(parts: Components, request: Request, params: Params) -> Outcome:
    """``reauthenticate``: prove it is the person, by ``method``, on this session."""
    session, user = require_signed_in(parts, request)
    method = _chosen(parts, user, params)
    # Paced like sign-in (backoff.py): with a stolen cookie, this is a password oracle too.
    attempt = parts.limiter.spend_attempt(parts.subject(user.username, request), request.now, paced=True)
    if method == WEB_AUTHN:
        try:
            _check_passkey(parts, request, session, user, params)
        except AuthError as refused:
            # A new challenge with the error: the old one was spent, and the person may try again.
            audit("reauthentication", "failure", user=user.username, address=request.address, method=method)
            state = prompt(parts, request, session, user, WEB_AUTHN)
            return Outcome(parts.replies.with_error(state, wording(refused, parts.settings.mode)))
    elif not _proven(parts, request, session, user, method, params):
        audit("reauthentication", "failure", user=user.username, address=request.address, method=method)
        problem = Problem.BAD_CREDENTIALS if method == PASSWORD else Problem.CODE_MISMATCH
        raise AuthError(problem, retriable=True)
    parts.limiter.refund(attempt)
    parts.web_sessions.mark_authenticated(session, request.now)
    audit("reauthentication", "success", user=user.username, address=request.address, method=method)
    return Outcome(parts.replies.signed_in(user))


def _proven(
    parts: Components, request: Request, session: WebSession, user: User, method: str, params: Params
) -> bool:
    if method == PASSWORD:
        return parts.hasher.verify(params.text("password"), user.password_hash)
    code = params.stripped("code")
    if method == TOTP:
        assert user.totp_secret is not None  # methods_of offers TOTP only when enrolled
        step = matching_step(user.totp_secret, code, request.now, user.totp_last_step)
        return step is not None and parts.users.use_totp_step(user.id, step)
    result = parts.codes.check(code_key(session), code, request.now)
    if result is CodeCheck.EXHAUSTED:
        raise AuthError(Problem.ATTEMPTS_EXHAUSTED, retriable=True)
    return result is CodeCheck.OK


def _check_passkey(
    parts: Components, request: Request, session: WebSession, user: User, params: Params
) -> None:
    """A user-verified assertion by one of *this* account's passkeys, against this session's challenge."""
    pending = pending_of(parts, request, session, PASSKEY_CEREMONY)
    if pending is None:
        raise AuthError(Problem.PASSKEY_REJECTED, "No passkey request in progress")
    parts.web_sessions.set_pending(session, None)  # one assertion per challenge
    parts.passkeys.authenticate(
        user_id=user.id,
        credential=parse_credential(params.text("credential")),
        challenge=str(pending["challenge"]),
        require_user_verification=True,
        now=request.now,
    )
