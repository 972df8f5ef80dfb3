"""Forgotten passwords: ``resetPassword`` sends a code, ``confirmResetPassword`` uses it.

Both answer the same for unknown accounts as for known ones (PROTOCOL.md:
"no account enumeration"); only the outbox differs. The new password is
checked against the policy *before* the code, so a weak password does not
spend the code (the recorded mock burns it, ``basic_reset_password.jsonl``
steps 3-4). A successful reset signs the account out everywhere and forgets
the preferred MFA type, as the recorded block does
(``cognito_opt_reset_password.jsonl`` step 4 asks to choose again).

An account whose sign-up was never confirmed gets a reset code too: the code
reaching its address confirms the account as it sets the new password, so a
person who lost the confirm screen is not stuck (issue 12: no dead ends).
"""

from __future__ import annotations

from .addresses import is_email, is_phone, mask_email, mask_phone
from .audit import audit
from .codes import CodeCheck
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .notices import tell_owner
from .passwords import policy_message, policy_violations
from .rate_limit import Attempt


def reset_code_key(user_id: int) -> str:
    return f"reset:{user_id}"


def _passkey_choice(params: Params) -> str:
    """The reset asks which passkeys go (``removePasskeys``: ``recent``, the default, ``all``, ``none``).

    Whoever resets the password may be recovering from a stolen cookie; a passkey the
    thief added would otherwise outlive the new password.
    """
    choice = params.stripped("removePasskeys").lower() or "recent"
    if choice not in ("recent", "all", "none"):
        raise AuthError(Problem.INVALID_PARAMETER, "removePasskeys must be recent, all or none")
    return choice


def _remove_passkeys(parts: Components, request: Request, choice: str, user_id: int) -> int:
    window = parts.settings.reset_removes_passkeys_within
    if choice == "all":
        return parts.passkeys.delete_added_since(user_id, float("-inf"))
    if choice == "recent" and window > 0:
        return parts.passkeys.delete_added_since(user_id, request.now - window)
    return 0


def reset_password(parts: Components, request: Request, params: Params) -> Outcome:
    identifier = params.stripped("username")
    if not identifier:
        raise AuthError(Problem.INVALID_PARAMETER, "username is required")
    user = parts.users.find(identifier, parts.settings.identifiers)
    audit(
        "password_reset.requested",
        "success",
        user=None if user is None else user.username,
        address=request.address,
    )
    parts.send_code_within_budget(
        parts.subject(identifier, request),
        request.now,
        user=user,
        key_of=reset_code_key,
        purpose="password-reset",
    )
    return Outcome(parts.replies.confirming_reset(identifier, typed_destination(identifier)))


def resend_password_reset_code(parts: Components, request: Request, params: Params) -> Outcome:
    """``resendPasswordResetCode`` (additive): ``resetPassword`` again, from the code screen.

    The same send budget, the same answer for unknown accounts (a phantom code
    nobody receives), and the same rule for the old code: issuing a new one
    replaces it, so only the latest code resets the password.
    """
    return reset_password(parts, request, params)


def typed_destination(identifier: str) -> str | None:
    """Where a reset code goes, masked, when the person typed the address itself.

    Only what was typed is shown: the account's own address would tell anyone
    who types a username the address behind it (account enumeration).
    """
    if is_email(identifier):
        return mask_email(identifier)
    return mask_phone(identifier) if is_phone(identifier) else None


def confirm_reset_password(parts: Components, request: Request, params: Params) -> Outcome:
    identifier = params.stripped("username")
    new_password = params.text("newPassword")
    passkey_choice = _passkey_choice(params)
    missing = policy_violations(new_password, parts.settings.policy)
    if missing:
        raise AuthError(Problem.WEAK_PASSWORD, policy_message(missing))
    subject = parts.subject(identifier, request)
    try:
        attempt: Attempt | None = parts.limiter.spend_attempt(subject, request.now)
    except AuthError as spent:
        # Over budget, the right code still works: strangers' failures must not keep the owner
        # out. Guessing gains nothing: each code allows only max_code_attempts tries.
        attempt, over_budget = None, spent
    user = parts.users.find(identifier, parts.settings.identifiers) if identifier else None
    key = reset_code_key(user.id) if user is not None else parts.phantom_code_key("password-reset", subject)
    result = parts.codes.check(key, params.text("code"), request.now)
    if result is not CodeCheck.OK or user is None:
        audit(
            "password_reset.completed",
            "failure",
            user=None if user is None else user.username,
            address=request.address,
        )
        if attempt is None:
            raise over_budget
        raise AuthError(
            Problem.ATTEMPTS_EXHAUSTED if result is CodeCheck.EXHAUSTED else Problem.CODE_MISMATCH
        )
    if attempt is not None:
        parts.limiter.refund(attempt)
    if user.status == "UNCONFIRMED":
        # The code reached the sign-up address: that confirms the account too.
        user = parts.users.confirm(user.id, enable_email_mfa=parts.settings.enrols_email_mfa_on_sign_up)
        audit(
            "sign_up.confirmed", "success", user=user.username, address=request.address, by="password_reset"
        )
    parts.users.set_password(user.id, parts.hasher.hash(new_password), clear_preferred_mfa=True)
    parts.web_sessions.revoke_all(user.id)
    removed = _remove_passkeys(parts, request, passkey_choice, user.id)
    parts.known_devices.forget_all(user.id)
    parts.limiter.clear_failures(subject)
    audit(
        "password_reset.completed",
        "success",
        user=user.username,
        address=request.address,
        passkeys_removed=removed,
    )
    tell_owner(parts, user, "password-was-reset", request.now)
    return Outcome(parts.replies.signed_out, end_session=request.session_token is not None)
