"""Where the hosted login page may send a person after sign-in (no open redirect).

The login page honours ``?redirect=<target>`` so that a protected page can send
a signed-out visitor here and get them back afterwards. Taken at face value
that parameter is an open redirect: a phishing link to the real login page
that bounces the freshly signed-in person to ``https://evil.example``. So a
target is accepted only when it is

- a path on this site: starts with exactly one ``/`` (``//host`` and ``/\\host``
  are protocol-relative URLs to another host in every browser), or
- an absolute ``http``/``https`` URL whose host the operator allowed with
  ``--allow-redirect`` (or that names this very site).

Browsers quietly drop tabs and newlines inside URLs and treat ``\\`` like
``/`` (WHATWG URL standard), so ``/\\tevil.com`` or ``/\\\\evil.com`` become
``//evil.com`` by the time they are followed. Rather than modelling every
normalisation, any target containing a backslash, whitespace or a control
character is refused outright; a legitimate target never needs one unescaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

_SAFE_SCHEMES = frozenset({"http", "https"})
_MAX_LENGTH = 2048


def _has_forbidden_character(target: str) -> bool:
    return any(ch == "\\" or ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)


def _host_key(entry: str) -> tuple[str, int | None]:
    """``example.com``, ``example.com:8443`` or ``https://example.com`` -> (host, port or None)."""
    text = entry.strip()
    parts = urlsplit(text if "://" in text else "//" + text)
    try:
        port = parts.port
    except ValueError as error:
        raise ValueError(f"not a host name: {entry!r}") from error
    if not parts.hostname or parts.username is not None or parts.path not in ("", "/") or parts.query:
        raise ValueError(f"not a host name: {entry!r}")
    return parts.hostname.lower().rstrip("."), port


@dataclass(frozen=True)
class RedirectPolicy:
    """The operator's allow-list of hosts an absolute redirect target may name.

    An entry without a port allows every port of that host; ``host:port``
    allows only that port.
    """

    allowed_hosts: tuple[str, ...] = ()

    @classmethod
    def allowing(cls, hosts: Iterable[str]) -> RedirectPolicy:
        """A policy from ``--allow-redirect`` values; raises ValueError on a malformed one."""
        cleaned = tuple(h.strip() for h in hosts if h.strip())
        for host in cleaned:
            _host_key(host)
        return cls(cleaned)

    def _allows_host(self, hostname: str, port: int | None, own_host: str | None) -> bool:
        host = hostname.lower().rstrip(".")
        for entry in self.allowed_hosts:
            allowed_host, allowed_port = _host_key(entry)
            if allowed_host == host and allowed_port in (None, port):
                return True
        if own_host:
            return _host_key(own_host) == (host, port)
        return False

    def resolve(self, target: str | None, *, own_host: str | None = None) -> str | None:
        """The target to navigate to, or None when it is missing or not allowed.

        ``own_host`` is this site's ``Host`` header (``127.0.0.1:8080``): an
        absolute URL back to the same host and port is as safe as a path.
        """
        if not target or len(target) > _MAX_LENGTH or _has_forbidden_character(target):
            return None
        if target.startswith("/"):
            return None if target.startswith("//") else target
        try:
            parts = urlsplit(target)
            port = parts.port
        except ValueError:  # a malformed port or IPv6 literal
            return None
        if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.hostname:
            return None
        if parts.username is not None or parts.password is not None:
            return None  # https://allowed.com@evil.com tricks people reading the link
        return target if self._allows_host(parts.hostname, port, own_host) else None
