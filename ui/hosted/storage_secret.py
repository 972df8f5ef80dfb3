"""The secret that signs NiceGUI's session cookie, kept stable across restarts.

Each browser's backend session (its cookie jar) lives in ``app.storage.user``,
which NiceGUI finds through a signed session cookie. A secret regenerated on
every start would sign everybody out on every restart, and a secret baked into
the code would let anyone forge a session id. So: the environment wins
(``NICEGUI_AUTHENTICATOR_STORAGE_SECRET``, for deployments with a secret
store); otherwise a random secret is generated once and kept in a file only
the owner can read, next to the database it belongs with.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Final

ENV_VAR: Final = "NICEGUI_AUTHENTICATOR_STORAGE_SECRET"
FILE_NAME: Final = "storage-secret"

_log = logging.getLogger(__name__)


def _read(path: Path) -> str | None:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        _log.warning("%s is readable by other users; it should be mode 0600", path)
    return value or None


def load_storage_secret(directory: Path, environ: Mapping[str, str] | None = None) -> str:
    """The storage secret: from the environment, else from ``directory/storage-secret``.

    The file is created with mode 0600 (``O_EXCL``, so two servers starting at
    once agree on one secret) when it does not exist yet.
    """
    env = os.environ if environ is None else environ
    if from_env := env.get(ENV_VAR, "").strip():
        return from_env
    path = directory / FILE_NAME
    if existing := _read(path):
        return existing
    directory.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race, or an empty file was left behind
        if existing := _read(path):
            return existing
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(secret + "\n")
    return secret
