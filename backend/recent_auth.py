"""Recent authentication: a copied cookie alone must not change how the account is secured.

Theory of operation. A web session remembers when its owner last *proved*
who they are (``authenticated_at``): at sign-in, and again at each
``reauthenticate``. Sensitive actions (add or change the email, add or delete
a passkey, set up, change or turn off MFA) call :func:`require_recent_auth`,
which refuses them when that proof is older than ``recent_auth_window``
(5 minutes by default) with ``REAUTHENTICATION_REQUIRED``. The service answers
that with the re-authentication state (``reauthentication.py``: a password,
an authenticator or emailed code, or a passkey, whichever the account has),
which clients render as a screen of its own. Whoever stole the cookie does
not know the password or hold a factor, so they stop there; the owner proves
it is them and goes on.
"""

from __future__ import annotations

from .components import Components
from .context import Request
from .errors import AuthError, Problem
from .sessions import WebSession
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
