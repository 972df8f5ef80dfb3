"""One backend session per browser, kept server-side and surviving reloads.

The setAuthState server knows its user by an HttpOnly cookie only (PROTOCOL.md,
"Transport"). In a NiceGUI app the calls come from the Python process, not the
browser, so the process must hold a cookie jar for each browser: never one
shared jar (two browsers would share a sign-in), never one per page load (a
reload would sign the person out). :func:`browser_api` keeps the jar in
``app.storage.user``, NiceGUI's per-browser server-side store, sealed with a
key derived from the storage secret (``jar_cipher``).

The stored jar is the single source of truth: it is read before every call and
written back after it, so two tabs of one browser always use the latest
cookies (one tab signs in, the other's next ``getAuthState`` sees it).

Every call also names the browser's address (as this server saw it; behind a
trusted proxy, as the proxy saw it), which the client signs for the backend
when it shares a ``visitor_hop_secret`` with it: the backend's per-address
limits then apply per visitor, not to this server as a whole.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, MutableMapping
from typing import Any

from nicegui import app, context
from nicegui.storage import Storage
from pydantic import JsonValue

from ...client import AuthClient, AuthStateApi, CookieSession
from ...state_machine import AuthState
from .jar_cipher import JarCipher, cipher_for

logger = logging.getLogger(__name__)

STORAGE_PREFIX = "nicegui_authenticator.cookies."


def storage_key(client: AuthClient) -> str:
    """The ``app.storage.user`` key of this endpoint's jar (one per endpoint, so
    two Authenticators for two backends never mix their cookies)."""
    digest = hashlib.sha256(client.endpoint.encode()).hexdigest()[:16]
    return STORAGE_PREFIX + digest


class BrowserSessionApi:
    """An :class:`AuthStateApi` that runs each call with the browser's stored cookie jar."""

    def __init__(
        self,
        client: AuthClient,
        store: MutableMapping[str, Any],
        key: str,
        visitor_address: str | None = None,
        cipher: JarCipher | None = None,
    ) -> None:
        self._client = client
        self._store = store
        self._key = key
        self._visitor_address = visitor_address
        self._cipher = cipher

    def _load(self) -> CookieSession:
        raw = stored_jar(self._store, self._key, self._cipher)
        if raw is not None:
            try:
                return CookieSession.from_json(raw)
            except ValueError:
                logger.warning("discarding an unreadable stored cookie jar")
        return CookieSession()

    def _save(self, session: CookieSession) -> None:
        jar = session.to_json()
        if jar.get("cookies"):
            self._store[self._key] = jar if self._cipher is None else self._cipher.seal(jar)
        else:
            # No cookie, nothing to keep: a visitor who never signed in leaves no storage file.
            self._store.pop(self._key, None)

    async def get_auth_state(self) -> AuthState:
        session = self._load()
        try:
            return await self._client.for_session(
                session, visitor_address=self._visitor_address
            ).get_auth_state()
        finally:
            self._save(session)

    async def set_auth_state(self, payload: Mapping[str, JsonValue]) -> AuthState:
        session = self._load()
        try:
            return await self._client.for_session(
                session, visitor_address=self._visitor_address
            ).set_auth_state(payload)
        finally:
            self._save(session)


def stored_jar(
    store: Mapping[str, Any], key: str, cipher: JarCipher | None = None
) -> Mapping[str, Any] | None:
    """The jar stored under ``key``: opened when sealed, None when absent or unreadable.

    A plain jar (written before encryption, or without a storage secret) is
    still read; the next write seals it.
    """
    raw: object = store.get(key)
    if isinstance(raw, str):
        if cipher is None:
            return None
        opened = cipher.open(raw)
        if opened is None:
            logger.warning("discarding a stored cookie jar that does not open with the storage secret")
        return opened
    return raw if isinstance(raw, Mapping) else None


def current_cipher() -> JarCipher | None:
    """The jar cipher for the storage secret given to ``ui.run`` (None without one)."""
    return cipher_for(Storage.secret)


def user_storage() -> MutableMapping[str, Any] | None:
    """The current browser's ``app.storage.user``, or None where there is none
    (no ``storage_secret`` in ``ui.run``, or called outside a page)."""
    try:
        return app.storage.user
    except (RuntimeError, AssertionError, KeyError):
        return None


def visitor_address() -> str | None:
    """The current browser's address, as uvicorn saw it (a trusted proxy's ``X-Forwarded-For`` applied)."""
    try:
        request = context.client.request
    except (RuntimeError, AttributeError):  # outside a page
        return None
    peer = getattr(request, "client", None)
    return peer.host if peer is not None else None


def browser_api(client: AuthClient) -> AuthStateApi:
    """The ``client`` bound to the current browser's cookie jar.

    Call it while building a page (or in one of its event handlers). Without a
    ``storage_secret`` in ``ui.run`` there is no per-browser storage; the jar
    then lives as long as this page only, and a warning says so.
    """
    store = user_storage()
    if store is None:
        logger.warning(
            "app.storage.user is not available (pass storage_secret to ui.run): "
            "the sign-in will not survive a page reload"
        )
        store = {}
    return BrowserSessionApi(client, store, storage_key(client), visitor_address(), current_cipher())
