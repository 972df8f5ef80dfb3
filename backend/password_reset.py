"""Forgotten passwords: ``resetPassword`` sends a code, ``confirmResetPassword`` uses it.

Both answer the same for unknown accounts as for known ones (PROTOCOL.md:
"no account enumeration"); only the outbox differs. The new password is
checked against the policy *before* the code, so a weak password does not
spend the code (the recorded mock burns it, ``basic_reset_password.jsonl``
steps 3-4). A successful reset signs the account out everywhere and forgets
the preferred MFA type, as the recorded block does
(``cognito_opt_reset_password.jsonl`` step 4 asks to choose again).
"""

from __future__ import annotations

import logging

from .codes import CodeCheck
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .passwords import policy_message, policy_violations

_log = logging.getLogger(__name__)


def reset_code_key(user_id: int) -> str:
    return f"reset:{user_id}"


def reset_password(parts: Components, request: Request, params: Params) -> Outcome:
    identifier = params.stripped("username")
    if not identifier:
        raise AuthError(Problem.INVALID_PARAMETER, "username is required")
    user = parts.users.find(identifier, parts.settings.identifiers)
    parts.send_code_within_budget(
        parts.subject(identifier, request.address),
        request.now,
        user=user if user is not None and user.status != "UNCONFIRMED" else None,
        key_of=reset_code_key,
        purpose="password-reset",
    )
    return Outcome(parts.replies.confirming_reset(identifier))


def confirm_reset_password(parts: Components, request: Request, params: Params) -> Outcome:
    identifier = params.stripped("username")
    new_password = params.text("newPassword")
    missing = policy_violations(new_password, parts.settings.policy)
    if missing:
        raise AuthError(Problem.WEAK_PASSWORD, policy_message(missing))
    subject = parts.subject(identifier, request.address)
    attempt = parts.limiter.spend_attempt(subject, request.now)
    user = parts.users.find(identifier, parts.settings.identifiers) if identifier else None
    result = CodeCheck.MISSING
    if user is not None:
        result = parts.codes.check(reset_code_key(user.id), params.text("code"), request.now)
    if result is not CodeCheck.OK or user is None:
        raise AuthError(
            Problem.ATTEMPTS_EXHAUSTED if result is CodeCheck.EXHAUSTED else Problem.CODE_MISMATCH
        )
    parts.limiter.refund(attempt)
    parts.users.set_password(user.id, parts.hasher.hash(new_password), clear_preferred_mfa=True)
    parts.web_sessions.revoke_all(user.id)
    parts.limiter.clear_failures(user.username_key)
    _log.info("password of %s reset", user.username)
    return Outcome(parts.replies.signed_out, end_session=request.session_token is not None)
