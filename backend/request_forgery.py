"""Refusing cross-site requests to the JSON-RPC endpoint (CSRF and login CSRF).

The session cookie rides along with any request a browser makes to the
backend, whoever's page made it. Two checks keep other sites' pages out:

* ``Content-Type`` must be ``application/json``. An HTML form cannot send it,
  and a script on another origin can only send it after a CORS preflight,
  which the backend answers only for the allowed origins.
* ``Origin`` (sent by browsers on every cross-origin and every POST request),
  when present, must be the endpoint's own origin or one of the allowed
  origins (the app's ``origins`` and the ``--cors-origin`` list). Without it,
  ``Sec-Fetch-Site`` must not say ``cross-site`` or ``same-site``: a sibling
  subdomain is a different site for the purpose of an account's security.

Clients that are not browsers (the in-process ``AuthClient``, curl) send
neither header and pass, as they cannot carry a victim's cookie anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final
from urllib.parse import urlsplit

JSON_TYPE: Final = "application/json"
FOREIGN_FETCH_SITES: Final = frozenset({"cross-site", "same-site"})


def _normalised(origin: str) -> str:
    parts = urlsplit(origin.strip())
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}".lower()


class ForgeryGuard:
    """Decides whether a request to the endpoint may act with the cookie it carries."""

    def __init__(self, allowed_origins: Iterable[str]) -> None:
        self._allowed = frozenset(_normalised(o) for o in allowed_origins)

    def refusal(self, headers: Mapping[str, str]) -> str | None:
        """Why the request is refused (for the log and the error), or None when it may go on."""
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type != JSON_TYPE:
            return "Content-Type must be application/json"
        origin = headers.get("origin")
        if origin is not None:
            if origin == "null" or not self._is_allowed(origin, headers.get("host", "")):
                return "cross-origin request refused"
            return None
        if headers.get("sec-fetch-site", "").lower() in FOREIGN_FETCH_SITES:
            return "cross-site request refused"
        return None

    def _is_allowed(self, origin: str, host: str) -> bool:
        try:
            normalised = _normalised(origin)
            own = urlsplit(origin).netloc.lower() == host.lower() and bool(host)
        except ValueError:  # a malformed port
            return False
        return own or normalised in self._allowed
