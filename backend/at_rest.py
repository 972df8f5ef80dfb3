"""Secrets at rest: a key kept apart from the database seals what a copied file must not give.

A copied database file (a backup, a stolen disk) must not hand over the
authenticator secrets of every account, nor let anyone turn a stored one-time
code digest back into the code (SHA-256 of six digits falls to 10^6 tries).
So the backend holds a 32-byte key *outside* the database:

* TOTP secrets are stored sealed with AES-GCM (``v1:`` + base64 of nonce and
  ciphertext); a value without the prefix is a secret from before sealing,
  still read, and sealed the next time it is written.
* One-time code digests are HMAC-SHA256 under the key, so the digest is
  useless without it.
* Ceremony records (a challenge row's data, a web session's pending set-up)
  are sealed whole under their own subkey: a TOTP secret waiting for its
  first code is as good as an enrolled one, and sealing the record rather
  than picking fields keeps whatever a later step adds there covered too.

The key comes from ``NICEGUI_AUTHENTICATOR_SECRET_KEY`` (64 hex digits) or
from a key file (``key_path``, default ``<database>.key``), created 0600 with
fresh random bytes on first start. An in-memory database gets a key that
lives as long as the process, like the database.

``cryptography`` is imported when the first secret is sealed or opened, not
with this module: the page server's start and a signed-out visitor need no
AES-GCM, and the import was a measurable part of the start (issue 15).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
SEALED_PREFIX: Final = "v1:"


def key_file_for(db_path: str) -> str | None:
    """Where the key lives by default: next to the database file (None for in-memory URIs)."""
    if db_path == ":memory:" or db_path.startswith("file:") or "://" in db_path:
        return None
    return str(Path(db_path).expanduser()) + ".key"


def load_key(secret_key: str | None, key_path: str | None, *, shared: bool = False) -> bytes:
    """The key from the setting, else the key file (created 0600 when missing), else a fresh one."""
    if secret_key:
        raw = bytes.fromhex(secret_key)
        if len(raw) != KEY_BYTES:
            raise ValueError("secret_key must be 64 hex digits (32 bytes): `openssl rand -hex 32`")
        return raw
    if key_path is None:
        if shared:
            # Workers on one PostgreSQL database must share the key, so none can be made up here.
            raise ValueError("a database server needs secret_key or key_path (the key sealing secrets)")
        return secrets.token_bytes(KEY_BYTES)
    path = Path(key_path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raw = path.read_bytes()
        if len(raw) != KEY_BYTES:
            raise ValueError(f"the key file {key_path} does not hold a {KEY_BYTES}-byte key") from None
        os.chmod(path, 0o600)
        return raw
    raw = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
    return raw


class Sealer:
    """Seals TOTP secrets and keys code digests with subkeys of one server key."""

    def __init__(self, key: bytes) -> None:
        self._secret_key = subkey(key, b"totp-secret")
        self._record_key = subkey(key, b"ceremony-record")
        self._code_key = subkey(key, b"code-digest")

    @cached_property
    def _aead(self) -> AESGCM:
        return _aead_for(self._secret_key)

    @cached_property
    def _records(self) -> AESGCM:
        return _aead_for(self._record_key)

    def seal(self, text: str) -> str:
        return _seal(self._aead, text)

    def open(self, stored: str) -> str:
        """The secret; a value stored before sealing existed is returned as it is."""
        return stored if not stored.startswith(SEALED_PREFIX) else _open(self._aead, stored)

    def seal_record(self, record: Mapping[str, Any]) -> str:
        """``record`` as sealed JSON (a challenge's data, a session's pending ceremony)."""
        return _seal(self._records, json.dumps(record))

    def open_record(self, stored: str) -> dict[str, Any]:
        """The record; one stored before sealing existed (plain JSON) is read as it is."""
        text = stored if not stored.startswith(SEALED_PREFIX) else _open(self._records, stored)
        record: dict[str, Any] = json.loads(text)
        return record

    def code_digest(self, code: str) -> str:
        return hmac.new(self._code_key, code.encode("ascii"), hashlib.sha256).hexdigest()


def _aead_for(key: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def _seal(aead: AESGCM, text: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = aead.encrypt(nonce, text.encode("utf-8"), SEALED_PREFIX.encode("ascii"))
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _open(aead: AESGCM, stored: str) -> str:
    blob = base64.urlsafe_b64decode(stored[len(SEALED_PREFIX) :])
    plain = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], SEALED_PREFIX.encode("ascii"))
    return plain.decode("utf-8")


def subkey(key: bytes, label: bytes) -> bytes:
    """One key per use, so the same bytes never serve two purposes."""
    return hmac.new(key, label, hashlib.sha256).digest()
