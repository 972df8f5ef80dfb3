"""A software passkey (ES256, ``none`` attestation), so the checker can run passkey ceremonies.

It answers ``navigator.credentials.create`` and ``.get`` the way a browser's
``PublicKeyCredential.toJSON()`` would, for the one origin the person running
the checker names (``--origin``; a server accepts passkeys only from origins it
trusts). The key lives in memory for one run and is never stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from typing import Any, Final, Literal

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

_USER_PRESENT: Final = 0x01
_USER_VERIFIED: Final = 0x04
_ATTESTED_DATA: Final = 0x40
_COSE_ES256: Final = {1: 2, 3: -7, -1: 1}  # kty EC2, alg ES256, curve P-256


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftwarePasskey:
    """One credential: created by :meth:`create`, then used by :meth:`get`."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._credential_id = secrets.token_bytes(32)
        self._user_handle = b""
        self._sign_count = 0

    @property
    def credential_id(self) -> str:
        return b64url(self._credential_id)

    async def __call__(self, kind: Literal["create", "get"], options_json: str) -> str:
        """The ``webauthn=`` callback of :class:`HeadlessAuthenticator`."""
        return self.create(options_json) if kind == "create" else self.get(options_json)

    def create(self, options_json: str) -> str:
        options = json.loads(options_json)
        rp_id = options.get("rp", {}).get("id") or _host(self.origin)
        self._user_handle = unb64url(options["user"]["id"])
        client_data = self._client_data("webauthn.create", options["challenge"])
        numbers = self._key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {**_COSE_ES256, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )
        attested = bytes(16) + struct.pack(">H", len(self._credential_id)) + self._credential_id + cose_key
        auth_data = self._auth_data(rp_id, _ATTESTED_DATA) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        response = {
            "clientDataJSON": b64url(client_data),
            "attestationObject": b64url(attestation),
            "transports": ["internal"],
        }
        return self._credential(response)

    def get(self, options_json: str) -> str:
        options = json.loads(options_json)
        rp_id = options.get("rpId") or _host(self.origin)
        self._sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = self._auth_data(rp_id)
        signature = self._key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        response = {
            "clientDataJSON": b64url(client_data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(signature),
            "userHandle": b64url(self._user_handle),
        }
        return self._credential(response)

    def _auth_data(self, rp_id: str, extra_flags: int = 0) -> bytes:
        flags = _USER_PRESENT | _USER_VERIFIED | extra_flags
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self._sign_count)

    def _client_data(self, kind: str, challenge: str) -> bytes:
        payload = {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        return json.dumps(payload, separators=(",", ":")).encode()

    def _credential(self, response: dict[str, Any]) -> str:
        return json.dumps(
            {
                "id": self.credential_id,
                "rawId": self.credential_id,
                "type": "public-key",
                "response": response,
                "clientExtensionResults": {},
                "authenticatorAttachment": "platform",
            }
        )


def _host(origin: str) -> str:
    return origin.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
