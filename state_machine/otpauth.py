"""``otpauth://`` URIs for authenticator-app enrolment (the TOTP setup QR code).

The server hands out only the shared secret (hidden field ``sharedSecret`` of the
``totpSetup`` challenge); the client builds the URI an authenticator app scans,
from the issuer it is configured with and the username it already knows. Format:
https://github.com/google/google-authenticator/wiki/Key-Uri-Format
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def totp_uri(secret: str, username: str, issuer: str, *, digits: int = 6, period: int = 30) -> str:
    """``otpauth://totp/Issuer:user?secret=...&issuer=Issuer``, percent-encoded.

    The label's issuer prefix and the ``issuer`` parameter must agree; both are
    encoded so that a colon, space or non-ASCII character in either cannot break
    the label apart. The secret is normalised (spaces removed, upper case) because
    people and some servers group base32 in blocks.
    """
    clean_secret = "".join(secret.split()).upper().rstrip("=")
    # The separator colon stays literal; a colon inside the issuer or username must not.
    label = quote(username, safe="@")
    if issuer:
        label = quote(issuer, safe="") + ":" + label
    params: list[tuple[str, str]] = [("secret", clean_secret)]
    if issuer:
        params.append(("issuer", issuer))
    if digits != 6:
        params.append(("digits", str(digits)))
    if period != 30:
        params.append(("period", str(period)))
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"
