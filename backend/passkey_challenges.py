"""Challenges for the username-less passkey sign-in, proven by a MAC instead of a stored row.

The ``signInWithDiscoverablePasskey`` action rides on every ``signedOut``
reply (the browser needs its options before the person does anything, to offer
passkeys in the username field's autofill), so its challenge cannot cost a
database write: every visit to a login page would add a row. Instead the
challenge carries its own proof: 16 random bytes, an expiry, and an HMAC of
both under a subkey of the server key (:mod:`.at_rest`). Only this server can
make one, and it can check one without remembering it.

What a stored row gave for free, single use, is kept where it matters: when
an assertion over a challenge succeeds, the challenge is recorded as spent
(until it expires) and a second assertion over it is refused, so a captured
assertion cannot be replayed even by an authenticator that keeps no counter.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import struct
from typing import Any, Final

from .store import Store

NONCE_BYTES: Final = 16
MAC_BYTES: Final = 16
# Long enough for a person who leaves the sign-in page open while fetching a coffee; an expired
# challenge is answered with a fresh signedOut state, whose options the client uses next.
LIFETIME_SECONDS: Final = 10 * 60
_EXPIRY: Final = struct.Struct(">Q")
_LENGTH: Final = NONCE_BYTES + _EXPIRY.size + MAC_BYTES
_SPENT_PREFIX: Final = "spent-passkey-challenge:"  # never a token hash (those are bare hex)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def asserted_challenge(credential: dict[str, Any]) -> bytes | None:
    """The challenge an assertion signed (from its ``clientDataJSON``); None when unreadable.

    Read before verification only to find which challenge to verify against:
    py_webauthn then checks it, with the signature over it, like any other.
    """
    response = credential.get("response")
    client_data = response.get("clientDataJSON") if isinstance(response, dict) else None
    if not isinstance(client_data, str):
        return None
    try:
        parsed = json.loads(from_b64url(client_data))
        challenge = parsed.get("challenge") if isinstance(parsed, dict) else None
        return from_b64url(challenge) if isinstance(challenge, str) else None
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None


class SignedChallenges:
    """Issues and checks MAC-proven challenges; records the spent ones in the ``challenges`` table."""

    def __init__(self, key: bytes, store: Store, lifetime: float = LIFETIME_SECONDS) -> None:
        self._key = key
        self._store = store
        self._lifetime = lifetime

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:MAC_BYTES]

    def issue(self, now: float) -> bytes:
        body = secrets.token_bytes(NONCE_BYTES) + _EXPIRY.pack(int(now + self._lifetime))
        return body + self._mac(body)

    def is_valid(self, challenge: bytes, now: float) -> bool:
        """This server made ``challenge`` and it has not expired (spent or not)."""
        if len(challenge) != _LENGTH:
            return False
        body, mac = challenge[:-MAC_BYTES], challenge[-MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(body)):
            return False
        (expires,) = _EXPIRY.unpack(body[NONCE_BYTES:])
        return bool(expires > now)

    def spend(self, challenge: bytes, now: float) -> bool:
        """Record ``challenge`` as used; False when it was used before (a replay)."""
        (expires,) = _EXPIRY.unpack(challenge[NONCE_BYTES : NONCE_BYTES + _EXPIRY.size])
        key = _SPENT_PREFIX + hashlib.sha256(challenge).hexdigest()
        with self._store.transaction() as db:
            cursor = db.execute(
                """INSERT INTO challenges (token_hash, data, attempts, expires_at)
                   VALUES (?, '{"kind": "spent"}', 0, ?) ON CONFLICT (token_hash) DO NOTHING""",
                (key, float(expires)),
            )
            return cursor.rowcount == 1
