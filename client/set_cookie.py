"""Read one Set-Cookie header line the way browsers do (RFC 6265 5.2).

Attribute parsing is forgiving by design: an attribute a browser would not
understand is skipped, never fatal, and the last attribute of a kind wins.
Only a line without a ``name=value`` pair is dropped as a whole. Where the
cookie goes and whether it is kept is :mod:`.cookies`' business.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from .cookie_date import parse_cookie_date

# Browsers cap a cookie's lifetime at 400 days (RFC 6265bis 5.5); the Cognito
# block asks for exactly that (Max-Age=34560000).
MAX_LIFETIME: Final = 400 * 24 * 3600.0
# A date before any clock: what a non-positive Max-Age means (RFC 6265 5.2.2).
EXPIRED: Final = float("-inf")


@dataclass(frozen=True, slots=True)
class SetCookie:
    """One Set-Cookie line, parsed as RFC 6265 5.2 says (last attribute of a kind wins)."""

    name: str
    value: str
    expires: float | None = None
    max_age: float | None = None  # seconds; -inf when the cookie is to be deleted
    domain: str | None = None
    path: str | None = None
    secure: bool = False
    http_only: bool = False


def parse_set_cookie(line: str) -> SetCookie | None:
    """The cookie a Set-Cookie line sets, or None when browsers ignore the line."""
    pair, _, unparsed = line.partition(";")
    if "=" not in pair:
        return None
    name, _, value = pair.partition("=")
    name, value = name.strip(" \t"), value.strip(" \t")
    if not name:
        return None
    cookie = SetCookie(name=name, value=value)
    for attribute in unparsed.split(";"):
        key, _, raw = attribute.partition("=")
        key, raw = key.strip(" \t").lower(), raw.strip(" \t")
        if key == "expires":
            expires = parse_cookie_date(raw)
            if expires is not None:
                cookie = replace(cookie, expires=expires)
        elif key == "max-age":
            digits = raw[1:] if raw.startswith("-") else raw
            if digits.isascii() and digits.isdigit():
                significant = digits.lstrip("0")
                if raw.startswith("-") or not significant:
                    cookie = replace(cookie, max_age=EXPIRED)
                else:
                    # Long digit strings are capped as text: int() refuses over 4300 digits.
                    seconds = MAX_LIFETIME if len(significant) > 12 else float(int(significant))
                    cookie = replace(cookie, max_age=min(seconds, MAX_LIFETIME))
        elif key == "domain":
            if raw:
                cookie = replace(cookie, domain=raw.lstrip(".").lower())
        elif key == "path":
            cookie = replace(cookie, path=raw if raw.startswith("/") else None)
        elif key == "secure":
            cookie = replace(cookie, secure=True)
        elif key == "httponly":
            cookie = replace(cookie, http_only=True)
    return cookie
