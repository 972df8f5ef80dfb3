"""The signed-in person, from page code: their session for the app's API, and who they are.

A dashboard whose setAuthState server also serves its API (``api.getProfile``
next to ``authApi``) calls that API *as the person*::

    @ui.page("/")
    async def dashboard() -> None:
        profile = await user_session(auth).call("api.getProfile")

:func:`user_session` is the app's :class:`AuthClient` bound to this browser's
cookie jar, the same jar the Authenticator signs in with (kept in
``app.storage.user``, read before and written after every call). When the
server answers such a call with "not signed in" (the session expired or was
revoked), every Authenticator, AccountMenu and AuthenticatedContent of this
browser is told (the cross-tab auth event), re-asks the server and shows the
signed-out state, instead of the stale "signed in" they were showing.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from nicegui import app

from ...client import AuthClient, NotSignedIn
from ...client.stored_cookies import StoredCookieSession
from ...state_machine import AuthUser
from .auth_events import current_browser_id, notify_auth_changed
from .browser_session import current_cipher, storage_key, visitor_address
from .known_user import BrowserAuth

logger = logging.getLogger(__name__)


def user_session(client: AuthClient) -> AuthClient:
    """``client`` acting for the person in front of the current browser (page or event handler).

    Without a ``storage_secret`` in ``ui.run`` there is no per-browser jar: the
    returned client then holds a jar of its own, signed out, and a warning says so.
    """
    store = _user_storage()
    if store is None:
        logger.warning(
            "app.storage.user is not available (pass storage_secret to ui.run): calls are signed out"
        )
        store = {}
    browser_id = current_browser_id()

    def signed_out_on_the_server(_: NotSignedIn) -> None:
        notify_auth_changed(None, browser_id=browser_id)

    session = StoredCookieSession(store, storage_key(client), seal=current_cipher())
    return client.for_session(
        session, on_not_signed_in=signed_out_on_the_server, visitor_address=visitor_address()
    )


async def current_user(client: AuthClient) -> AuthUser | None:
    """Who this browser is signed in as, asked of the server now (None: signed out or unreachable)."""
    known = await BrowserAuth.current(client).verify()
    return known if isinstance(known, AuthUser) else None


def _user_storage() -> MutableMapping[str, Any] | None:
    try:
        return app.storage.user
    except (RuntimeError, AssertionError, KeyError):
        return None
