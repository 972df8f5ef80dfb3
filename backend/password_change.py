"""``changePassword``: a signed-in person replaces their password (issue 11, finding 8).

An additive action of the signed-in state (docs/protocol.md): ``currentPassword``
proves it is the person and not just their cookie, ``newPassword`` carries the
``passwordPolicy`` like every other new-password field. A wrong current
password is a failed sign-in as far as the attempt budget is concerned (same
subject, same limit), so a stolen cookie cannot be used to guess the password
faster than the sign-in form allows. Success keeps this session and ends
every other one: whoever else held a session (perhaps the reason for the
change) is signed out.
"""

from __future__ import annotations

from .audit import audit
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .notices import tell_owner
from .passwords import policy_message, policy_violations
from .recent_auth import require_signed_in
from .users import User


def change_password(parts: Components, request: Request, params: Params) -> Outcome:
    session, user = require_signed_in(parts, request)
    new_password = params.text("newPassword")
    missing = policy_violations(new_password, parts.settings.policy)
    if missing:
        raise AuthError(Problem.WEAK_PASSWORD, policy_message(missing), retriable=True)
    subject = parts.subject(user.username, request)
    # Spent before the hash and refunded when right (rate_limit.py): a check and a
    # record in two steps let 20 parallel guesses from one stolen session all through.
    # Paced like sign-in (backoff.py): it is a password oracle too.
    attempt = parts.limiter.spend_attempt(subject, request.now, paced=True)
    if not parts.hasher.verify(params.text("currentPassword"), user.password_hash):
        audit("password.changed", "failure", user=user.username, address=request.address)
        raise AuthError(Problem.BAD_CREDENTIALS, "Incorrect password", retriable=True)
    parts.limiter.refund(attempt)
    parts.users.set_password(user.id, parts.hasher.hash(new_password))
    parts.web_sessions.revoke_others(user.id, keep=session.token_hash)
    parts.limiter.clear_failures(subject)
    notify_password_changed(parts, request, user)
    refreshed = parts.users.by_id(user.id) or user
    return Outcome(parts.replies.signed_in(refreshed))


def notify_password_changed(parts: Components, request: Request, user: User) -> None:
    """Tell the account's owner, at their verified address, that the password changed."""
    audit("password.changed", "success", user=user.username, address=request.address)
    tell_owner(parts, user, "password-changed", request.now)
