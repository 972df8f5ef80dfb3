"""Recent authentication: a copied cookie alone must not change how the account is secured.

Theory of operation. A web session remembers when its owner last *proved*
who they are (``authenticated_at``): at sign-in, and again at each
``reauthenticate``. Sensitive actions (add or change the email, add or delete
a passkey, set up, change or turn off MFA) call :func:`require_recent_auth`,
which refuses them when that proof is older than ``recent_auth_window``
(5 minutes by default) with ``REAUTHENTICATION_REQUIRED``. The service answers
that with a signed-in state offering only ``reauthenticate`` (and sign-out),
which clients render as a screen of its own. Whoever stole the cookie does
not know the password or hold the second factor, so they stop there; the
owner types the password (or a current authenticator code) and goes on.

Wrong answers spend the same account budget as a wrong sign-in, so the
re-authentication step is no side door for guessing the password.
"""

from __future__ import annotations

from .audit import audit
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .sessions import WebSession
from .totp import matching_step
from .users import User


def require_signed_in(parts: Components, request: Request) -> tuple[WebSession, User]:
    """The live session the ``auth`` cookie names and its account; a stale cookie is cleared."""
    token = request.session_token
    session = parts.web_sessions.lookup(token, request.now) if token else None
    user = parts.users.by_id(session.user_id) if session is not None else None
    if session is None or user is None:
        raise AuthError(Problem.NOT_AUTHENTICATED, end_session=bool(token))
    return session, user


def require_recent_auth(parts: Components, request: Request) -> tuple[WebSession, User]:
    """The signed-in session and its account, if they proved who they are recently enough."""
    session, user = require_signed_in(parts, request)
    if request.now - session.authenticated_at > parts.settings.recent_auth_window:
        raise AuthError(Problem.REAUTHENTICATION_REQUIRED)
    return session, user


def reauthenticate(parts: Components, request: Request, params: Params) -> Outcome:
    """``reauthenticate``: the password (or a current authenticator code) again, on this session."""
    session, user = require_signed_in(parts, request)
    # Paced like sign-in (backoff.py): with a stolen cookie, this is a password oracle too.
    attempt = parts.limiter.spend_attempt(parts.subject(user.username, request), request.now, paced=True)
    password, code = params.text("password"), params.stripped("code")
    if password:
        proven = parts.hasher.verify(password, user.password_hash)
    elif code and user.totp_secret is not None:
        step = matching_step(user.totp_secret, code, request.now, user.totp_last_step)
        proven = step is not None and parts.users.use_totp_step(user.id, step)
    else:
        proven = False
    if not proven:
        audit("reauthentication", "failure", user=user.username, address=request.address)
        raise AuthError(Problem.BAD_CREDENTIALS, retriable=True)
    parts.limiter.refund(attempt)
    parts.web_sessions.mark_authenticated(session, request.now)
    audit("reauthentication", "success", user=user.username, address=request.address)
    return Outcome(parts.replies.signed_in(user))
