"""The visitor's address, signed for the backend (the page's half of ``backend/visitor_hop.py``).

A page server calls the backend for all its visitors. With a secret shared
with the backend, it tells the backend each visitor's address in
``X-Visitor-Address``: ``<address>;<unix seconds>;<base64url HMAC-SHA256 of
"<address>;<unix seconds>">``. The backend believes it only when the
signature checks out and the time is within a minute, so the header is worth
nothing to anyone without the secret, and little to anyone who captures one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final

HEADER: Final = "X-Visitor-Address"


def sign_visitor(secret: str, address: str, now: float) -> str:
    """The header value telling the backend that ``address`` is the visitor's."""
    message = f"{address};{int(now)}"
    digest = hmac.new(secret.encode("utf-8"), message.encode("ascii", "replace"), hashlib.sha256).digest()
    return f"{message};{base64.urlsafe_b64encode(digest).rstrip(b'=').decode('ascii')}"
