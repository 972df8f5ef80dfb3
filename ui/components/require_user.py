"""``require_user``: guard FastAPI routes (NiceGUI is FastAPI) with the browser's sign-in.

Usage::

    @app.get("/api/report")
    async def report(user: AuthUser = Depends(require_user(auth, groups=["finance"]))) -> dict:
        return {"for": user.username}

The browser's session is asked of the server on every request (one
``getAuthState`` with the browser's cookie jar): a route is the last line of
defence, so a session revoked a second ago must already be refused. Answers
are JSON, as the rest of a FastAPI API: 401 when signed out, 403 when the
person is in none of ``groups``, 503 when the sign-in server cannot be asked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from fastapi import HTTPException

from ...client import AuthClient
from ...state_machine import AuthUser
from ..session.known_user import UNKNOWN, BrowserAuth


def require_user(
    client: AuthClient, groups: Iterable[str] | None = None
) -> Callable[[], Awaitable[AuthUser]]:
    """A FastAPI dependency answering the signed-in :class:`AuthUser` (in one of ``groups``, if given).

    :param client: the same :class:`AuthClient` the app's Authenticator uses
    :param groups: any one of these groups admits the person (as ``user.groups`` reports them)
    """
    wanted = None if groups is None else frozenset(groups)
    if wanted is not None and not wanted:
        raise ValueError("groups=[] would admit nobody; pass None for any signed-in person")

    async def signed_in_user() -> AuthUser:
        known = await BrowserAuth.current(client).verify()
        if known is UNKNOWN:
            raise HTTPException(status_code=503, detail="The sign-in service cannot be reached")
        if known is None:
            raise HTTPException(status_code=401, detail="Not signed in")
        if not in_groups(known, wanted):
            raise HTTPException(status_code=403, detail="Not allowed")
        return known

    return signed_in_user


def in_groups(user: AuthUser, groups: Iterable[str] | None) -> bool:
    """True when ``groups`` is None or ``user`` is in any one of them."""
    return groups is None or not frozenset(groups).isdisjoint(user.groups)
