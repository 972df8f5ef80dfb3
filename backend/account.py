"""Signed-in actions of the recorded vocabulary: sign-out and passkey management.

Everything here needs the ``auth`` cookie to name a live server-side session;
without one the answer is ``NotAuthenticatedException`` ("Authentication
required", ``cognito_opt_errors.jsonl`` step 3) and a stale cookie is cleared.
Sign-out deletes the session row, so the cookie is dead even if copied.
"""

from __future__ import annotations

from .audit import audit
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .notices import tell_owner
from .passkeys import parse_credential
from .recent_auth import require_recent_auth, require_signed_in
from .sessions import WebSession
from .users import User


def pending_of(
    parts: Components, request: Request, session: WebSession, kind: str
) -> dict[str, object] | None:
    """The unexpired ceremony of ``kind`` waiting on this session, if any."""
    pending = session.pending
    if not pending or pending.get("kind") != kind:
        return None
    expires = pending.get("expires")
    if not isinstance(expires, int | float) or expires <= request.now:
        parts.web_sessions.set_pending(session, None)
        return None
    return pending


def sign_out(parts: Components, request: Request, params: Params) -> Outcome:
    if request.session_token:
        parts.web_sessions.revoke(request.session_token)
        audit("sign_out", "success", address=request.address)
    # Cleared even without a cookie, as recorded (basic_errors_and_protocol_edges.jsonl step 8).
    return Outcome(parts.replies.signed_out, end_session=True)


def sign_out_everywhere(parts: Components, request: Request, params: Params) -> Outcome:
    """End every session of the account, this one included (a lost or stolen device)."""
    _, user = require_signed_in(parts, request)
    ended = parts.web_sessions.revoke_all(user.id)
    audit("sessions.revoked", "success", user=user.username, address=request.address, sessions=ended)
    return Outcome(parts.replies.signed_out, end_session=True)


def _require_passkeys(
    parts: Components, request: Request, *, sensitive: bool = True
) -> tuple[WebSession, User]:
    signed_in = (require_recent_auth if sensitive else require_signed_in)(parts, request)
    if not parts.settings.passkeys_enabled:
        raise AuthError(Problem.INVALID_PARAMETER, "Passkeys are not enabled")
    return signed_in


def start_passkey_registration(parts: Components, request: Request, params: Params) -> Outcome:
    session, user = _require_passkeys(parts, request)
    existing = parts.passkeys.for_user(user.id)
    options_json, challenge = parts.passkeys.registration_options(
        user_sub=user.sub, username=user.username, existing=existing
    )
    pending = {
        "kind": "passkey",
        "challenge": challenge,
        "expires": request.now + parts.settings.challenge_lifetime,
    }
    parts.web_sessions.set_pending(session, pending)
    return Outcome(parts.replies.passkey_registration(user, options_json))


def complete_passkey_registration(parts: Components, request: Request, params: Params) -> Outcome:
    # Recent authentication was checked when the ceremony started; it is bound to this session.
    session, user = _require_passkeys(parts, request, sensitive=False)
    credential = parse_credential(params.text("credential"))
    pending = pending_of(parts, request, session, "passkey")
    if pending is None:
        raise AuthError(Problem.INVALID_PARAMETER, "No passkey registration in progress")
    parts.web_sessions.set_pending(session, None)  # one attempt per challenge
    parts.passkeys.register(
        user_id=user.id, credential=credential, challenge=str(pending["challenge"]), now=request.now
    )
    audit("passkey.added", "success", user=user.username, address=request.address)
    tell_owner(parts, user, "passkey-added", request.now)
    return Outcome(parts.replies.passkey_list(user, parts.passkeys.for_user(user.id)))


def list_passkeys(parts: Components, request: Request, params: Params) -> Outcome:
    _, user = _require_passkeys(parts, request, sensitive=False)
    return Outcome(parts.replies.passkey_list(user, parts.passkeys.for_user(user.id)))


def delete_passkey(parts: Components, request: Request, params: Params) -> Outcome:
    _, user = _require_passkeys(parts, request)
    if not parts.passkeys.delete(user.id, params.text("credentialId")):
        raise AuthError(Problem.PASSKEY_NOT_FOUND)
    audit("passkey.removed", "success", user=user.username, address=request.address)
    tell_owner(parts, user, "passkey-deleted", request.now)
    return Outcome(parts.replies.passkey_list(user, parts.passkeys.for_user(user.id)))
