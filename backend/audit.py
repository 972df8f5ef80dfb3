"""The audit channel: one named logger for every security event, one JSON line each.

Why one channel: an operator who wants to know who signed in, who failed, who
was throttled and what changed on an account should point one handler at one
logger (``nicegui_authenticator.audit``), or pass ``--audit-log PATH``, and
get all of it, and nothing else. Module loggers stay for diagnostics.

Why JSON: fields an attacker types (a username) could otherwise forge a line
(a newline in a name); ``json.dumps`` escapes them, and a log shipper reads
the fields without a parser of ours. The record's ``audit`` attribute carries
the same fields for handlers that want them unformatted.

What a line never holds: passwords, codes, secrets, tokens or cookies. The
events take only names, outcomes, the account's username, the client address
and small details chosen here; there is no parameter a secret could travel in
by accident (``audit`` refuses any detail that is not a short plain value).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from pathlib import Path
from typing import Final, Literal

AUDIT_LOGGER: Final = "nicegui_authenticator.audit"
Outcome = Literal["success", "failure", "refused"]

_log = logging.getLogger(AUDIT_LOGGER)
_MAX_DETAIL: Final = 200


def audit(
    event: str,
    outcome: Outcome,
    *,
    address: str | None = None,
    user: str | None = None,
    **details: str | int | bool | None,
) -> None:
    """Log one security event on the audit channel (INFO for success, WARNING otherwise)."""
    record: dict[str, str | int | bool | None] = {"event": event, "outcome": outcome}
    if user is not None:
        record["user"] = user
    if address is not None:
        record["address"] = address
    for name, value in details.items():
        if isinstance(value, str) and len(value) > _MAX_DETAIL:
            value = value[:_MAX_DETAIL] + "…"
        record[name] = value
    level = logging.INFO if outcome == "success" else logging.WARNING
    _log.log(level, "%s", json.dumps(record, ensure_ascii=False), extra={"audit": record})


def log_audit_to_file(path: str | Path) -> logging.Handler:
    """Append the audit channel to ``path`` (created 0600), reopened when rotated away.

    ``WatchedFileHandler`` notices logrotate moving the file and opens a new one,
    so no signal or restart is needed. Returns the handler (tests remove it).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    handler = logging.handlers.WatchedFileHandler(target, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    _log.addHandler(handler)
    _log.setLevel(logging.INFO)
    return handler
