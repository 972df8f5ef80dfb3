"""Who the current browser is signed in as: asked of the server, remembered per browser.

Why remember: :class:`~..components.authenticated_content.AuthenticatedContent` decides
*while the page is being built*, synchronously, whether its children may reach
the browser at all. NiceGUI sends every element that exists when the page
function returns, hidden or not, so "build it hidden and show it after the
server answers" would leak signed-in content into a signed-out browser's DOM.
The server's answer is therefore remembered in ``app.storage.user`` (the same
per-browser store as the cookie jar) and consulted before any call.

Why it cannot go stale silently: an entry is stamped with a fingerprint of the
browser's cookie jar for that endpoint (its cookies' names and values). Every
sign-in and sign-out, from any element of any tab, changes that jar (the server
sets or clears its session cookie), so the entry no longer matches and counts
as unknown. What remains is a session the server ended on its own (expiry,
revocation), which the next :meth:`BrowserAuth.verify` corrects; every
consumer verifies after rendering. (A server that rotates its session token on
every call makes every entry unknown: always correct, just never fast.)
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Final

from ...client import AuthClient, AuthStateApi
from ...client.headless import HeadlessAuthenticator
from ...state_machine import AuthUser, Screen, ScreenName
from ...state_machine.protocol import SIGN_OUT
from .browser_session import browser_api, current_cipher, storage_key, stored_jar, user_storage

_CACHE_PREFIX: Final = "nicegui_authenticator.known_user."


class Unknown(enum.Enum):
    """Not known without asking the server (or the server could not be asked)."""

    UNKNOWN = "unknown"


UNKNOWN: Final = Unknown.UNKNOWN

KnownUser = AuthUser | None | Unknown
"""A signed-in user, None for "signed out", or :data:`UNKNOWN`."""


def _jar_fingerprint(jar: object) -> str:
    """A digest of the session a stored jar carries: each cookie's name, value, domain and path.

    Expiry is left out on purpose: a server that extends its session cookie on
    every call (a sliding session) does not thereby forget who is signed in.
    """
    cookies = jar.get("cookies") if isinstance(jar, dict) else None
    identity = sorted(
        tuple(str(cookie.get(key, "")) for key in ("name", "value", "domain", "path"))
        for cookie in (cookies if isinstance(cookies, list) else [])
        if isinstance(cookie, dict)
    )
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class BrowserAuth:
    """One setAuthState endpoint as seen from the current browser.

    Build it with :meth:`current` while a page is being built (or in an event
    handler of that page): it captures the browser's storage then, so later
    background work still reads and writes the right browser's entries.
    """

    api: AuthStateApi
    store: MutableMapping[str, Any] | None
    cache_key: str
    jar_key: str | None

    @classmethod
    def current(cls, api: AuthStateApi | AuthClient) -> BrowserAuth:
        store = user_storage()
        if isinstance(api, AuthClient):
            jar_key = storage_key(api)
            return cls(browser_api(api), store, _CACHE_PREFIX + jar_key, jar_key)
        # A plain AuthStateApi has no jar of ours to watch; key the entry by the object.
        return cls(api, store, f"{_CACHE_PREFIX}api-{id(api)}", None)

    def _jar_fingerprint(self) -> str | None:
        if self.store is None or self.jar_key is None:
            return None
        return _jar_fingerprint(stored_jar(self.store, self.jar_key, current_cipher()))

    def remembered(self) -> KnownUser:
        """The last verified answer, if the cookie jar has not changed since."""
        if self.store is None:
            return UNKNOWN
        entry = self.store.get(self.cache_key)
        if not isinstance(entry, dict) or entry.get("jar") != self._jar_fingerprint():
            return UNKNOWN
        user = entry.get("user")
        if user is None:
            return None
        try:
            return AuthUser.model_validate(user)
        except ValueError:
            return UNKNOWN

    def remember(self, user: AuthUser | None) -> None:
        if self.store is None:
            return
        self.store[self.cache_key] = {
            "jar": self._jar_fingerprint(),
            "user": None if user is None else user.model_dump(mode="json", by_alias=True),
        }

    async def verify(self) -> KnownUser:
        """Ask the server (one ``getAuthState``) and remember the answer.

        Returns :data:`UNKNOWN` when the server could not be reached or did not
        answer sensibly; that is never remembered.
        """
        return self._settle(await HeadlessAuthenticator(self.api).start())

    async def sign_out(self) -> KnownUser:
        """Sign out through the state machine (as the Sign Out button would) and remember it."""
        headless = HeadlessAuthenticator(self.api)
        screen = await headless.start()
        if screen.user is not None and screen.form(SIGN_OUT) is not None:
            screen = await headless.submit(action=SIGN_OUT)
        return self._settle(screen)

    def _settle(self, screen: Screen) -> KnownUser:
        """Remember what a screen says about the user, unless its last call failed."""
        if screen.can_retry or (screen.user is None and screen.name is ScreenName.LOADING):
            return UNKNOWN
        self.remember(screen.user)
        return screen.user
