"""Passkeys: stored credentials and the two WebAuthn ceremonies, verified by py_webauthn.

Options travel to the browser as JSON in hidden fields (``credentialCreationOptions``
/ ``credentialRequestOptions``), and the browser's ``PublicKeyCredential.toJSON()``
comes back JSON-encoded in ``credential``. The challenge that counts is the one
kept on the server (in the web session row or the challenge session), never the
copy the client echoes; py_webauthn then checks challenge, origin, RP id,
signature and (on sign-in) the signature counter.

Sign-in options never list the account's credentials (``allowCredentials`` is
empty, so the browser offers the passkeys it holds for this site): listing
them would tell anyone who types a username whether that account exists and
has passkeys. The asserted credential must then belong to the named account.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

# py_webauthn (and the cryptography it pulls in) is imported by the ceremonies
# that use it, not here: every `serve` start paid for it, most never need it.
if TYPE_CHECKING:
    from webauthn.helpers.cose import COSEAlgorithmIdentifier

from .errors import AuthError, Problem
from .passkey_challenges import b64url
from .settings import BackendSettings
from .store import Store

CHALLENGE_BYTES: Final = 32
TIMEOUT_MS: Final = 60_000


def _algorithms() -> list[COSEAlgorithmIdentifier]:
    from webauthn.helpers.cose import COSEAlgorithmIdentifier

    return [
        COSEAlgorithmIdentifier.ECDSA_SHA_256,
        COSEAlgorithmIdentifier.EDDSA,
        COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,
    ]


@dataclass(frozen=True)
class Passkey:
    credential_id: str  # base64url, as the browser reports ``id``
    user_id: int
    public_key: bytes
    sign_count: int
    aaguid: str | None = None  # the authenticator model (names the provider, passkey_names.py)
    name: str | None = None  # the person's own name for it (renamePasskey)
    created_at: float = 0.0
    last_used_at: float | None = None


def _passkey(r: Any) -> Passkey:
    last_used = r["last_used_at"]
    return Passkey(
        r["credential_id"],
        int(r["user_id"]),
        bytes(r["public_key"]),
        int(r["sign_count"]),
        aaguid=r["aaguid"],
        name=r["name"],
        created_at=float(r["created_at"]),
        last_used_at=None if last_used is None else float(last_used),
    )


def parse_credential(raw: str) -> dict[str, Any]:
    """The ``credential`` field as a JSON object with a string ``id``."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise AuthError(Problem.INVALID_PARAMETER, "credential must be JSON") from None
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise AuthError(Problem.INVALID_PARAMETER, "credential must be a JSON object with an id")
    return value


class Passkeys:
    """The ``passkeys`` table and the ceremonies around it."""

    def __init__(self, store: Store, settings: BackendSettings) -> None:
        self._store = store
        self._settings = settings

    # -- storage ----------------------------------------------------------------------

    def for_user(self, user_id: int) -> list[Passkey]:
        with self._store.read() as db:
            rows = db.execute(
                "SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, credential_id", (user_id,)
            ).fetchall()
        return [_passkey(r) for r in rows]

    def get(self, credential_id: str) -> Passkey | None:
        with self._store.read() as db:
            r = db.execute("SELECT * FROM passkeys WHERE credential_id = ?", (credential_id,)).fetchone()
        return None if r is None else _passkey(r)

    def delete(self, user_id: int, credential_id: str) -> bool:
        with self._store.transaction() as db:
            cursor = db.execute(
                "DELETE FROM passkeys WHERE user_id = ? AND credential_id = ?", (user_id, credential_id)
            )
            return cursor.rowcount == 1

    def rename(self, user_id: int, credential_id: str, name: str) -> bool:
        """Give ``user_id``'s passkey a name; False when no such passkey is theirs."""
        with self._store.transaction() as db:
            cursor = db.execute(
                "UPDATE passkeys SET name = ? WHERE user_id = ? AND credential_id = ?",
                (name, user_id, credential_id),
            )
            return cursor.rowcount == 1

    def delete_added_since(self, user_id: int, since: float) -> int:
        """Remove the passkeys added at or after ``since`` (a password reset); how many went."""
        with self._store.transaction() as db:
            cursor = db.execute(
                "DELETE FROM passkeys WHERE user_id = ? AND created_at >= ?", (user_id, since)
            )
            return int(cursor.rowcount)

    # -- registration -----------------------------------------------------------------

    def registration_options(
        self, *, user_sub: str, username: str, existing: list[Passkey]
    ) -> tuple[str, str]:
        """``(options JSON, challenge base64url)`` for ``navigator.credentials.create``."""
        from webauthn import generate_registration_options, options_to_json
        from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
        from webauthn.helpers.structs import (
            AuthenticatorSelectionCriteria,
            PublicKeyCredentialDescriptor,
            ResidentKeyRequirement,
            UserVerificationRequirement,
        )

        challenge = secrets.token_bytes(CHALLENGE_BYTES)
        options = generate_registration_options(
            rp_id=self._settings.rp_id,
            rp_name=self._settings.rp_name,
            user_name=username,
            user_id=user_sub.encode("utf-8"),
            user_display_name=username,
            challenge=challenge,
            timeout=TIMEOUT_MS,
            authenticator_selection=AuthenticatorSelectionCriteria(
                # A discoverable credential (a passkey the browser can offer without a
                # username, signInWithDiscoverablePasskey); "required" would refuse
                # security keys that cannot store one, which still work with a username.
                resident_key=ResidentKeyRequirement.PREFERRED,
                user_verification=UserVerificationRequirement.PREFERRED,
            ),
            exclude_credentials=[
                PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in existing
            ],
            supported_pub_key_algs=_algorithms(),
        )
        return options_to_json(options), bytes_to_base64url(challenge)

    def register(self, *, user_id: int, credential: dict[str, Any], challenge: str, now: float) -> Passkey:
        """Verify an attestation against the server-held ``challenge`` and store the key."""
        from webauthn import verify_registration_response
        from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
        from webauthn.helpers.exceptions import WebAuthnException

        try:
            verified = verify_registration_response(
                credential=credential,
                expected_challenge=base64url_to_bytes(challenge),
                expected_rp_id=self._settings.rp_id,
                expected_origin=list(self._settings.origins),
                supported_pub_key_algs=_algorithms(),
            )
        except (WebAuthnException, ValueError, KeyError, TypeError):
            raise AuthError(Problem.PASSKEY_REJECTED, "Passkey registration could not be verified") from None
        credential_id = bytes_to_base64url(verified.credential_id)
        transports = credential.get("response", {}).get("transports", [])
        with self._store.transaction() as db:
            if db.execute("SELECT 1 FROM passkeys WHERE credential_id = ?", (credential_id,)).fetchone():
                raise AuthError(Problem.INVALID_PARAMETER, "This passkey is already registered")
            db.execute(
                """INSERT INTO passkeys
                   (credential_id, user_id, public_key, sign_count, transports, created_at, aaguid)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    credential_id,
                    user_id,
                    verified.credential_public_key,
                    verified.sign_count,
                    json.dumps(
                        [t for t in transports if isinstance(t, str)] if isinstance(transports, list) else []
                    ),
                    now,
                    verified.aaguid,
                ),
            )
        return Passkey(
            credential_id,
            user_id,
            verified.credential_public_key,
            verified.sign_count,
            aaguid=verified.aaguid,
            created_at=now,
        )

    # -- authentication ---------------------------------------------------------------

    def authentication_options(self, *, require_user_verification: bool) -> tuple[str, str]:
        """``(options JSON, challenge base64url)`` for ``navigator.credentials.get``."""
        from webauthn import generate_authentication_options, options_to_json
        from webauthn.helpers import bytes_to_base64url
        from webauthn.helpers.structs import UserVerificationRequirement

        challenge = secrets.token_bytes(CHALLENGE_BYTES)
        options = generate_authentication_options(
            rp_id=self._settings.rp_id,
            challenge=challenge,
            timeout=TIMEOUT_MS,
            allow_credentials=[],
            user_verification=(
                UserVerificationRequirement.REQUIRED
                if require_user_verification
                else UserVerificationRequirement.PREFERRED
            ),
        )
        return options_to_json(options), bytes_to_base64url(challenge)

    def discoverable_options(self, challenge: bytes, *, require_user_verification: bool) -> str:
        """Options JSON for a username-less ``navigator.credentials.get`` (modal or autofill).

        Written out rather than built by py_webauthn: they go out with every
        signedOut reply, and a login page should not pay for importing the
        verification library before anyone signs in. ``allowCredentials`` is
        empty, so the browser offers every passkey it holds for this site.
        """
        return json.dumps(
            {
                "challenge": b64url(challenge),
                "timeout": TIMEOUT_MS,
                "rpId": self._settings.rp_id,
                "allowCredentials": [],
                "userVerification": "required" if require_user_verification else "preferred",
            },
            separators=(",", ":"),
        )

    def authenticate(
        self,
        *,
        user_id: int | None,
        credential: dict[str, Any],
        challenge: str,
        require_user_verification: bool,
        now: float,
    ) -> bool:
        """Verify an assertion by ``user_id``'s passkey and advance its signature counter.

        True when the authenticator also verified the person (PIN, biometric): only then
        does the passkey count as two factors.
        """
        from webauthn import verify_authentication_response
        from webauthn.helpers import base64url_to_bytes
        from webauthn.helpers.exceptions import WebAuthnException

        passkey = self.get(credential["id"])
        if passkey is None or user_id is None or passkey.user_id != user_id:
            raise AuthError(Problem.UNKNOWN_PASSKEY)
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=base64url_to_bytes(challenge),
                expected_rp_id=self._settings.rp_id,
                expected_origin=list(self._settings.origins),
                credential_public_key=passkey.public_key,
                credential_current_sign_count=passkey.sign_count,
                require_user_verification=require_user_verification,
            )
        except (WebAuthnException, ValueError, KeyError, TypeError):
            raise AuthError(Problem.PASSKEY_REJECTED) from None
        with self._store.transaction() as db:
            db.execute(
                "UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE credential_id = ?",
                (verified.new_sign_count, now, passkey.credential_id),
            )
        return bool(verified.user_verified)
