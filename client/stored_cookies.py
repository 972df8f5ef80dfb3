"""A cookie jar whose one source of truth is a JSON value in a mapping (``app.storage.user``).

A UI keeps each browser's jar in per-browser storage. Several objects may act
for the same browser at once (two tabs, an Authenticator and a page handler
calling the app's API), so no copy in memory may be trusted: this jar re-reads
the stored value before every use and writes it back after every change. Two
concurrent calls may still both refresh the session; the later write wins,
as with two tabs of a real browser.

With a ``seal`` (the hosted page's ``JarCipher``) the stored value is the
sealed jar, a string; a plain jar stored before is still read and sealed on
the next write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any, Protocol

from pydantic import JsonValue

from .cookies import Clock, CookieSession

logger = logging.getLogger(__name__)


class JarSeal(Protocol):
    """Encrypts a jar for storage and opens it again (None: it does not open)."""

    def seal(self, jar: Mapping[str, Any]) -> str: ...

    def open(self, sealed: str) -> dict[str, Any] | None: ...


class StoredCookieSession(CookieSession):
    """A :class:`CookieSession` kept as ``store[key]`` (the ``to_json`` form), never cached."""

    def __init__(
        self,
        store: MutableMapping[str, Any],
        key: str,
        *,
        clock: Clock = time.time,
        seal: JarSeal | None = None,
    ) -> None:
        super().__init__(clock=clock)
        self._store = store
        self._key = key
        self._seal = seal

    def _reload(self) -> None:
        raw = self._store.get(self._key)
        if isinstance(raw, str) and self._seal is not None:
            raw = self._seal.open(raw)
        fresh = CookieSession(clock=self._clock)
        if isinstance(raw, Mapping):
            try:
                fresh = CookieSession.from_json(raw, clock=self._clock)
            except ValueError:
                logger.warning("discarding an unreadable stored cookie jar")
        with self._lock:
            self._cookies = dict(fresh._cookies)

    def _save(self) -> None:
        jar = super().to_json()
        self._store[self._key] = jar if self._seal is None else self._seal.seal(jar)

    def store(self, url: str, set_cookie_headers: Iterable[str]) -> None:
        self._reload()
        super().store(url, set_cookie_headers)
        self._save()

    def header_for(self, url: str) -> str | None:
        self._reload()
        return super().header_for(url)

    def clear(self) -> None:
        super().clear()
        self._save()

    def names(self) -> list[str]:
        self._reload()
        return super().names()

    def __len__(self) -> int:
        self._reload()
        return super().__len__()

    def to_json(self) -> dict[str, JsonValue]:
        self._reload()
        return super().to_json()
