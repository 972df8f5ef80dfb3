"""One end user's cookie jar, kept as a browser keeps it, serializable to JSON.

The setAuthState protocol has no other notion of who is calling: the session is
an HttpOnly cookie (PROTOCOL.md, "Transport"). A UI that talks to the server on
behalf of many people must therefore hold one jar per person and send exactly
that jar on every call. :class:`CookieSession` is that jar. The caller owns it
and can park it in per-browser storage with :meth:`CookieSession.to_json`.

Why not ``http.cookiejar``: its clock is ``time.time()`` read in the middle of
private methods (no way to test expiry without patching the module), and it
implements Netscape-era rules where browsers follow RFC 6265: cookies without
``Domain`` leak to subdomains unless a flag is set, dotless hosts are rewritten
to ``host.local``, ``Secure`` cookies are accepted over plain http, and a
``Max-Age=0`` line deletes a cookie even when its ``Domain`` does not cover the
host that sent it. The RFC 6265 storage and retrieval model (sections 5.1 to
5.4) is short, so it is written out here against an injectable clock (line
parsing is in :mod:`.set_cookie`); ``tests/client/test_client_cookies.py``
checks it against ``http.cookiejar`` wherever the two agree.

Browser behaviour kept on purpose:

* ``Max-Age=0`` or an ``Expires`` in the past deletes the cookie (sign-out,
  fixtures ``*_signout*``); ``Max-Age`` wins over ``Expires``.
* No ``Domain``: host-only, sent to that exact host. ``Domain=example.com``:
  sent to it and its subdomains, accepted only from a host inside it.
* ``Path`` matching and the RFC's default path.
* ``Secure`` cookies are stored only from https and sent only over https
  (RFC 6265bis "strict secure cookies"); ``__Secure-``/``__Host-`` prefixes.
* Size limits: a cookie over 4096 bytes is dropped, at most 50 are kept.

Cookie values are secrets: they never appear in ``repr`` or in log records.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import urlsplit

from pydantic import JsonValue

from .set_cookie import MAX_LIFETIME, SetCookie, parse_set_cookie

logger = logging.getLogger(__name__)

Clock = Callable[[], float]

SERIAL_VERSION: Final = 1
MAX_COOKIE_BYTES: Final = 4096
MAX_COOKIES: Final = 50
_SECURE_SCHEMES: Final = frozenset({"https", "wss"})


@dataclass(frozen=True, slots=True)
class _Cookie:
    name: str
    value: str
    domain: str  # lower-case host or registrable domain, no leading dot
    host_only: bool
    path: str
    secure: bool
    http_only: bool
    expires: float | None  # None: a session cookie, kept until cleared
    created: float

    @property
    def key(self) -> tuple[str, str, bool, str]:
        # RFC 6265bis 5.7: a host-only cookie and a Domain cookie of the same name
        # and host are two cookies (browsers keep both).
        return (self.name, self.domain, self.host_only, self.path)

    def expired(self, now: float) -> bool:
        return self.expires is not None and self.expires <= now

    def matches(self, target: _Target) -> bool:
        if self.host_only:
            if target.host != self.domain:
                return False
        elif not _domain_match(target.host, self.domain):
            return False
        if self.secure and not target.secure:
            return False
        return _path_match(target.path, self.path)


@dataclass(frozen=True, slots=True)
class _Target:
    """The parts of a request URL that cookie rules look at."""

    host: str
    path: str
    secure: bool
    is_ip: bool


@functools.lru_cache(maxsize=256)
def _target(url: str) -> _Target:
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ValueError("a cookie URL needs a host")
    try:
        ipaddress.ip_address(host)
        is_ip = True
    except ValueError:
        is_ip = False
    return _Target(
        host=host, path=parts.path or "/", secure=parts.scheme.lower() in _SECURE_SCHEMES, is_ip=is_ip
    )


def _domain_match(host: str, domain: str) -> bool:
    """RFC 6265 5.1.3: identical, or ``host`` ends with ``.domain`` and is a name, not an IP."""
    if host == domain:
        return True
    if not host.endswith("." + domain):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def _path_match(request_path: str, cookie_path: str) -> bool:
    """RFC 6265 5.1.4: ``/docs`` matches ``/docs``, ``/docs/`` and ``/docs/web``, not ``/docsets``."""
    if request_path == cookie_path:
        return True
    return request_path.startswith(cookie_path) and (
        cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    )


def _default_path(request_path: str) -> str:
    """RFC 6265 5.1.4: the request path's "directory" (``/aws-blocks/api`` -> ``/aws-blocks``)."""
    if not request_path.startswith("/") or request_path.count("/") == 1:
        return "/"
    return request_path[: request_path.rindex("/")]


class CookieSession:
    """The cookies of one end user, as their browser would hold them.

    ``clock`` returns seconds since the epoch; tests pass a fake one to check
    expiry. Methods are safe to call from several threads.
    """

    def __init__(self, *, clock: Clock = time.time) -> None:
        self._clock = clock
        self._cookies: dict[tuple[str, str, bool, str], _Cookie] = {}
        self._lock = threading.Lock()

    # -- what a browser does on a response and on a request ------------------

    def store(self, url: str, set_cookie_headers: Iterable[str]) -> None:
        """Apply a response's ``Set-Cookie`` header lines, received from ``url``."""
        target = _target(url)
        with self._lock:
            now = self._clock()
            for line in set_cookie_headers:
                self._store_one(target, line, now)

    def header_for(self, url: str) -> str | None:
        """The ``Cookie`` header a browser would send to ``url`` (None when there is nothing to send)."""
        target = _target(url)
        with self._lock:
            if not self._cookies:
                return None
            now = self._clock()
            self._drop_expired(now)
            chosen = [c for c in self._cookies.values() if c.matches(target)]
        if not chosen:
            return None
        # Longer paths first, then older first: the order browsers use (RFC 6265 5.4).
        chosen.sort(key=lambda c: (-len(c.path), c.created))
        return "; ".join(f"{c.name}={c.value}" for c in chosen)

    def clear(self) -> None:
        """Forget every cookie (the person closed their browser for good)."""
        with self._lock:
            self._cookies.clear()

    def names(self) -> list[str]:
        """Names of the live cookies, sorted (values are secrets and are not offered here)."""
        with self._lock:
            self._drop_expired(self._clock())
            return sorted({c.name for c in self._cookies.values()})

    def __len__(self) -> int:
        with self._lock:
            self._drop_expired(self._clock())
            return len(self._cookies)

    def __repr__(self) -> str:
        return f"CookieSession(names={self.names()!r})"

    # -- persistence ----------------------------------------------------------

    def to_json(self) -> dict[str, JsonValue]:
        """A plain JSON-able snapshot (for ``app.storage.user``); expired cookies are left out."""
        with self._lock:
            self._drop_expired(self._clock())
            cookies: list[JsonValue] = [
                {
                    "name": c.name,
                    "value": c.value,
                    "domain": c.domain,
                    "hostOnly": c.host_only,
                    "path": c.path,
                    "secure": c.secure,
                    "httpOnly": c.http_only,
                    "expires": c.expires,
                    "created": c.created,
                }
                for c in self._cookies.values()
            ]
        return {"version": SERIAL_VERSION, "cookies": cookies}

    @classmethod
    def from_json(cls, data: Mapping[str, object], *, clock: Clock = time.time) -> CookieSession:
        """Rebuild a session from :meth:`to_json` output; raises ValueError on anything else."""
        if not isinstance(data, Mapping) or data.get("version") != SERIAL_VERSION:
            raise ValueError(f"not a serialized CookieSession (version {SERIAL_VERSION} expected)")
        entries = data.get("cookies")
        if not isinstance(entries, list):
            raise ValueError("serialized CookieSession: 'cookies' must be a list")
        if len(entries) > MAX_COOKIES:
            raise ValueError(f"serialized CookieSession: more than {MAX_COOKIES} cookies")
        session = cls(clock=clock)
        for index, entry in enumerate(entries):
            cookie = _cookie_from_json(entry, index)
            session._cookies[cookie.key] = cookie
        with session._lock:
            session._drop_expired(clock())
        return session

    # -- RFC 6265 5.3, the storage model ---------------------------------------

    def _store_one(self, target: _Target, line: str, now: float) -> None:
        parsed = parse_set_cookie(line)
        if parsed is None:
            logger.debug("ignored a Set-Cookie line without a name=value pair")
            return
        if len(parsed.name) + len(parsed.value) > MAX_COOKIE_BYTES:
            logger.debug("ignored cookie %r: larger than %d bytes", parsed.name, MAX_COOKIE_BYTES)
            return
        if parsed.domain is None:
            domain, host_only = target.host, True
        elif parsed.domain == target.host:
            # ``Domain=<the host>`` widens the cookie to subdomains, except for an IP
            # address, which has none (browsers keep such a cookie host-only).
            domain, host_only = target.host, target.is_ip
        elif target.is_ip or "." not in parsed.domain or not _domain_match(target.host, parsed.domain):
            # "." guards against Domain=com; there is no public-suffix list here.
            logger.debug("ignored cookie %r: Domain does not cover host %s", parsed.name, target.host)
            return
        else:
            domain, host_only = parsed.domain, False
        if parsed.secure and not target.secure:
            logger.warning(
                "ignored cookie %r: the server marked it Secure but the endpoint is plain http "
                "(browsers ignore it too; use an https endpoint)",
                parsed.name,
            )
            return
        if not _prefix_allows(parsed, host_only):
            logger.debug("ignored cookie %r: its __Secure-/__Host- prefix rules are not met", parsed.name)
            return
        expires = now + parsed.max_age if parsed.max_age is not None else parsed.expires
        if expires is not None:
            expires = min(expires, now + MAX_LIFETIME)
        cookie = _Cookie(
            name=parsed.name,
            value=parsed.value,
            domain=domain,
            host_only=host_only,
            path=parsed.path or _default_path(target.path),
            secure=parsed.secure,
            http_only=parsed.http_only,
            expires=expires,
            created=now,
        )
        old = self._cookies.pop(cookie.key, None)
        if cookie.expired(now):
            return  # an expiry in the past is the server's way to delete it
        if old is not None:
            cookie = replace(cookie, created=old.created)  # replacing keeps the original creation time
        self._cookies[cookie.key] = cookie
        if len(self._cookies) > MAX_COOKIES:
            self._drop_expired(now)
            while len(self._cookies) > MAX_COOKIES:
                oldest = min(self._cookies.values(), key=lambda c: c.created)
                del self._cookies[oldest.key]

    def _drop_expired(self, now: float) -> None:
        for key in [k for k, c in self._cookies.items() if c.expired(now)]:
            del self._cookies[key]


def _prefix_allows(cookie: SetCookie, host_only: bool) -> bool:
    """RFC 6265bis 4.1.3: ``__Secure-`` needs Secure; ``__Host-`` also host-only and ``Path=/``."""
    if cookie.name.startswith("__Secure-"):
        return cookie.secure
    if cookie.name.startswith("__Host-"):
        return cookie.secure and host_only and cookie.path == "/"
    return True


def _cookie_from_json(entry: object, index: int) -> _Cookie:
    where = f"serialized CookieSession: cookie #{index}"
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where} is not an object")
    text_keys = ("name", "value", "domain", "path")
    flag_keys = ("hostOnly", "secure", "httpOnly")
    for key in text_keys:
        if not isinstance(entry.get(key), str):
            raise ValueError(f"{where}: {key!r} must be a string")
    for key in flag_keys:
        if not isinstance(entry.get(key), bool):
            raise ValueError(f"{where}: {key!r} must be a boolean")
    expires, created = entry.get("expires"), entry.get("created")
    if expires is not None and (isinstance(expires, bool) or not isinstance(expires, int | float)):
        raise ValueError(f"{where}: 'expires' must be a number or null")
    if isinstance(created, bool) or not isinstance(created, int | float):
        raise ValueError(f"{where}: 'created' must be a number")
    if not entry["name"] or not entry["domain"] or not str(entry["path"]).startswith("/"):
        raise ValueError(f"{where}: name, domain and an absolute path are required")
    return _Cookie(
        name=entry["name"],
        value=entry["value"],
        domain=entry["domain"],
        host_only=entry["hostOnly"],
        path=entry["path"],
        secure=entry["secure"],
        http_only=entry["httpOnly"],
        expires=None if expires is None else float(expires),
        created=float(created),
    )
