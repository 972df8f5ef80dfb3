"""Per-browser cookie jars encrypted at rest, with a key derived from the storage secret.

Why: each browser's jar holds its backend session cookie, a bearer credential.
In NiceGUI's storage (JSON files, or Redis shared by every ``serve``
process) a plain jar is a session anyone with read access can replay. Sealed
with Fernet (AES-128-CBC + HMAC-SHA256), a copied storage file or a Redis
dump holds no usable session.

The key is derived (HKDF-SHA256) from the storage secret the processes
already share, so there is no second secret to distribute. Rotation: set the
new secret and list the old ones in ``NICEGUI_AUTHENTICATOR_STORAGE_SECRET_PREVIOUS``
(comma separated); jars sealed under an old key still open, and every write
seals under the new one. A jar that does not open (tampered, or sealed under
a secret no longer listed) reads as empty: that browser is signed out.

``cryptography`` is imported, and the keys derived, on the first jar sealed
or opened: a visitor who never signed in has no jar, and the page server's
start no longer pays for the import (issue 15).
"""

from __future__ import annotations

import base64
import functools
import json
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from cryptography.fernet import Fernet, MultiFernet

PREVIOUS_SECRETS_ENV: Final = "NICEGUI_AUTHENTICATOR_STORAGE_SECRET_PREVIOUS"
_INFO: Final = b"nicegui-authenticator browser cookie jar v1"


@functools.lru_cache(maxsize=16)  # one HKDF per secret and process, not one per page visit
def _fernet(secret: str) -> Fernet:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


class JarCipher:
    """Seals jars under ``secret``; opens jars sealed under it or any of ``previous``."""

    def __init__(self, secret: str, previous: Sequence[str] = ()) -> None:
        if not secret:
            raise ValueError("a jar cipher needs a non-empty secret")
        self._secrets = (secret, *(old for old in previous if old))

    @functools.cached_property
    def _keys(self) -> MultiFernet:
        from cryptography.fernet import MultiFernet

        return MultiFernet([_fernet(secret) for secret in self._secrets])

    def seal(self, jar: Mapping[str, Any]) -> str:
        return self._keys.encrypt(json.dumps(jar, separators=(",", ":")).encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> dict[str, Any] | None:
        """The jar, or None when ``sealed`` does not open under any known key."""
        from cryptography.fernet import InvalidToken

        try:
            jar = json.loads(self._keys.decrypt(sealed.encode("ascii")))
        except (InvalidToken, ValueError, UnicodeEncodeError):
            return None
        return jar if isinstance(jar, dict) else None


def cipher_for(secret: str | None, environ: Mapping[str, str] | None = None) -> JarCipher | None:
    """The cipher for the current storage secret (None without one: nothing to derive a key from)."""
    if not secret:
        return None
    env = os.environ if environ is None else environ
    previous = [part.strip() for part in env.get(PREVIOUS_SECRETS_ENV, "").split(",") if part.strip()]
    return JarCipher(secret, previous)
