"""The visitor's address, told by the page to the backend over a hop only they can sign (backend half).

Why: the hosted page calls the backend for every visitor, so without this
the backend sees one address (the page's) for all of them, and one
attacker's failed sign-ins spend every visitor's per-address budget. The page
knows each visitor's address; it sends it in ``X-Visitor-Address`` with an
HMAC under a secret it shares with the backend. The backend believes the
header only when the signature is right and recent, so nobody else can pick
their address by sending the header.

Value: ``<address>;<unix seconds>;<base64url HMAC-SHA256 of "<address>;<unix seconds>">``.
The timestamp bounds replay of a captured header to ``MAX_AGE_SECONDS``.

The page's half is ``client/visitor_hop.py`` (each side owns its end of the
wire, as with the JSON-RPC envelope); the client tests drive one against the
other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
from typing import Final

HEADER: Final = "X-Visitor-Address"
MAX_AGE_SECONDS: Final = 60


def _mac(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), message.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verified_visitor(secret: str, value: str, now: float) -> str | None:
    """The address in ``value`` if the signature is right and at most a minute old, else None."""
    address, _, rest = value.strip().partition(";")
    stamp, _, signature = rest.partition(";")
    if not (stamp.isascii() and stamp.isdigit() and signature.isascii()):
        return None  # headers arrive as latin-1 text: anything else is not ours
    if abs(now - int(stamp)) > MAX_AGE_SECONDS:
        return None
    try:
        ipaddress.ip_address(address)
        expected = _mac(secret, f"{address};{stamp}")
    except (ValueError, UnicodeEncodeError):
        return None
    return address if hmac.compare_digest(expected, signature) else None
