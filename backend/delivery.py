"""Getting one-time codes to people: an outbox table, the log, or a callback.

There is no mail or SMS network here. ``outbox`` (the default) keeps messages
in the database, where the development page ``/dev/outbox``, the admin API and
tests read them; ``callback`` hands each message to the host application,
which may send real mail; ``log`` writes the code to the
``nicegui_authenticator.backend.delivery`` logger at WARNING level. That last
mode exists for quick experiments and is the one deliberate exception to "no
secret in any log line": it is the delivery channel the operator asked for.

``outbox_file`` additionally appends every message as a JSON line
``{to, purpose, code, ts, username}`` whatever the mode, so a test harness, a
shell ``tail -f`` or ``nicegui-authenticator check --codes-file`` can follow
codes of a standalone server (``username`` finds them when ``to`` is an address).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Final

from .code_message import CodeMessage
from .settings import BackendSettings
from .store import Store

OUTBOX_RETENTION_SECONDS: Final = 24 * 3600
_log = logging.getLogger(__name__)


class CodeDelivery:
    """Sends codes through the configured channel and answers outbox queries."""

    def __init__(self, settings: BackendSettings, store: Store) -> None:
        self._settings = settings
        self._store = store
        self._file_lock = threading.Lock()

    def send(self, message: CodeMessage) -> None:
        mode = self._settings.code_delivery
        if mode == "outbox":
            with self._store.transaction() as db:
                db.execute(
                    "INSERT INTO outbox (recipient, username, purpose, code, ts) VALUES (?, ?, ?, ?, ?)",
                    (message.to, message.username, message.purpose, message.code, message.ts),
                )
                db.execute("DELETE FROM outbox WHERE ts < ?", (message.ts - OUTBOX_RETENTION_SECONDS,))
        elif mode == "log":
            _log.warning("%s code for %s: %s", message.purpose, message.to, message.code)
        elif self._settings.code_callback is not None:
            try:
                self._settings.code_callback(message)
            except Exception as exc:  # the application's code; never let it break the flow
                _log.error("code delivery callback failed (%s)", type(exc).__name__)
        if self._settings.outbox_file:
            line = json.dumps({**message.record(), "username": message.username}, ensure_ascii=False)
            with self._file_lock, open(self._settings.outbox_file, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def outbox(self, limit: int = 200) -> list[dict[str, str]]:
        """Newest first, as ``{to, purpose, code, ts}`` records."""
        with self._store.read() as db:
            rows = db.execute(
                "SELECT recipient, username, purpose, code, ts FROM outbox ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [
            CodeMessage(row["recipient"], row["username"], row["purpose"], row["code"], row["ts"]).record()
            for row in rows
        ]

    def latest_code(self, recipient_or_username: str, purpose: str | None = None) -> str | None:
        """The newest code sent to an address or for a username (optionally of one purpose)."""
        query = "SELECT code FROM outbox WHERE (recipient = ? OR username = ?)"
        args: list[object] = [recipient_or_username, recipient_or_username]
        if purpose is not None:
            query += " AND purpose = ?"
            args.append(purpose)
        with self._store.read() as db:
            row = db.execute(query + " ORDER BY id DESC LIMIT 1", args).fetchone()
        return None if row is None else str(row["code"])
