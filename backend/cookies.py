"""Set-Cookie headers for the session and auto sign-in cookies.

Attributes follow PROTOCOL.md: ``HttpOnly; SameSite=Lax; Path=/``, plus
``Secure`` whenever the request did not come to a loopback host (fixtures
README, point 9) or came over https. Plain-http loopback keeps working for
development and in-process tests.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Final

LOOPBACK_NAMES: Final = frozenset({"localhost", "localhost.localdomain"})


def host_name(host_header: str) -> str:
    """``[::1]:8000`` -> ``::1``; ``example.com:443`` -> ``example.com``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


@lru_cache(maxsize=256)  # a handful of distinct Host headers in practice
def is_loopback(host_header: str) -> bool:
    name = host_name(host_header)
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def set_cookie(name: str, value: str, max_age: int, *, secure: bool, cross_site: bool = False) -> str:
    """``cross_site``: PROTOCOL.md's cross-domain mode, for a login page and API on different
    sites. ``SameSite=None`` requires ``Secure``; ``Partitioned`` (CHIPS) keeps browsers that
    block third-party cookies from dropping it, at the price of one jar per top-level site."""
    same_site = "SameSite=None" if cross_site else "SameSite=Lax"
    parts = [f"{name}={value}", "HttpOnly", same_site, "Path=/", f"Max-Age={max_age}"]
    if secure or cross_site:
        parts.append("Secure")
    if cross_site:
        parts.append("Partitioned")
    return "; ".join(parts)


def clear_cookie(name: str, *, secure: bool, cross_site: bool = False) -> str:
    return set_cookie(name, "", 0, secure=secure, cross_site=cross_site)
