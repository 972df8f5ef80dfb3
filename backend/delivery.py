"""Getting one-time codes to people: SMTP, a command or webhook, or (for development) an outbox.

Real channels: ``--smtp-url`` sends email (``smtp_channel``), and
``--code-delivery command:PATH|webhook:URL`` hands messages to anything else,
SMS included (``hook_channel``). An email address goes by SMTP when it is
configured; every other recipient (and email, without SMTP) goes to the hook.
A ``callback`` lets the host application send instead.

Without a real channel: ``outbox`` (the default) keeps messages in the
database, where the development page ``/dev/outbox``, the admin API and
tests read them; ``log`` writes the code to the
``nicegui_authenticator.backend.delivery`` logger at WARNING level. That last
mode exists for quick experiments and is the one deliberate exception to "no
secret in any log line": it is the delivery channel the operator asked for.

A failed delivery is never silent: it is logged (purpose, masked recipient,
why; never the code) and raised as ``DeliveryFailedError``, which the
handlers answer with a retriable error so the person can simply try again.

``outbox_file`` additionally appends every message as a JSON line
``{to, purpose, code, ts, username}`` whatever the mode, so a test harness, a
shell ``tail -f`` or ``nicegui-authenticator check --codes-file`` can follow
codes of a standalone server (``username`` finds them when ``to`` is an address).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Final

from .addresses import is_email, is_phone, mask_email, mask_phone
from .code_message import CodeMessage, Purpose
from .hook_channel import DeliveryHook, HookFailedError, parse_hook
from .mail_templates import MessagePurpose, NoticePurpose, render
from .settings import BackendSettings
from .smtp_channel import SmtpServer, compose, parse_smtp_url
from .smtp_channel import send as smtp_send
from .store import Store

__all__ = ["CodeDelivery", "CodeMessage", "DeliveryFailedError", "Purpose"]

OUTBOX_RETENTION_SECONDS: Final = 3600  # plain codes, for development only: kept one hour
_log = logging.getLogger(__name__)


class DeliveryFailedError(Exception):
    """A message did not reach its channel; already logged, without any code."""


def masked(recipient: str) -> str:
    """A recipient fit for a log line: enough to recognise, not enough to harvest."""
    if is_email(recipient):
        return mask_email(recipient)
    if is_phone(recipient):
        return mask_phone(recipient)
    return recipient[:1] + "***"


class CodeDelivery:
    """Sends codes through the configured channel and answers outbox queries."""

    def __init__(self, settings: BackendSettings, store: Store) -> None:
        self._settings = settings
        self._store = store
        self._file_lock = threading.Lock()
        self._smtp: SmtpServer | None = parse_smtp_url(settings.smtp_url) if settings.smtp_url else None
        self._hook: DeliveryHook | None = (
            parse_hook(settings.delivery_hook) if settings.delivery_hook else None
        )

    def send(self, message: CodeMessage) -> None:
        """Deliver ``message`` or raise ``DeliveryFailedError``."""
        mode = self._settings.code_delivery
        if self._smtp is not None or self._hook is not None:
            self._send_for_real(message.to, message.username, message.purpose, message.code)
        elif mode == "outbox":
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
            except Exception as exc:  # the application's code: report, never pretend it was sent
                self._failed(message.purpose, message.to, f"callback raised {type(exc).__name__}")
        if self._settings.outbox_file:
            line = json.dumps({**message.record(), "username": message.username}, ensure_ascii=False)
            with self._file_lock, open(self._settings.outbox_file, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def notify(self, to: str, username: str, purpose: NoticePurpose, changed_at: float | None = None) -> bool:
        """Send a security notice (no code; when ``changed_at``) through the real channels; False if failed.

        A notice is best effort: the change it reports has already happened.
        Without a real channel there is nobody to tell, and nothing is sent.
        """
        if self._smtp is None and self._hook is None:
            return False
        try:
            self._send_for_real(to, username, purpose, None, changed_at)
        except DeliveryFailedError:
            return False
        return True

    def _send_for_real(
        self,
        to: str,
        username: str,
        purpose: MessagePurpose,
        code: str | None,
        changed_at: float | None = None,
    ) -> None:
        settings = self._settings
        content = render(
            purpose,
            title=settings.title,
            username=username,
            code=code,
            lifetime_seconds=settings.code_lifetime,
            changed_at=changed_at,
        )
        try:
            if self._smtp is not None and is_email(to):
                assert settings.mail_from is not None  # required with smtp_url (settings)
                smtp_send(self._smtp, compose(settings.mail_from, to, content))
            elif self._hook is not None:
                payload: dict[str, Any] = {
                    "channel": "email" if is_email(to) else "sms" if is_phone(to) else "other",
                    "to": to,
                    "username": username,
                    "purpose": purpose,
                    "code": code,
                    "expiresInSeconds": int(settings.code_lifetime),
                    "app": settings.title,
                    "subject": content.subject,
                    "text": content.text,
                    "html": content.html,
                }
                if changed_at is not None:
                    payload["changedAt"] = changed_at
                self._hook.deliver(payload)
            else:
                self._failed(purpose, to, "no channel for this kind of address (configure --code-delivery)")
        except DeliveryFailedError:
            raise
        except Exception as exc:  # SMTP errors, OSError, timeouts, a failing hook
            self._failed(purpose, to, _reason(exc))

    def _failed(self, purpose: str, to: str, reason: str) -> None:
        _log.error("could not deliver the %s message to %s: %s", purpose, masked(to), reason)
        raise DeliveryFailedError(purpose)

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


def _reason(exc: Exception) -> str:
    """Why a send failed, from the exception's type and the server's status; never its arguments."""
    code = getattr(exc, "code", None)
    detail = str(exc) if isinstance(exc, HookFailedError) else ""
    parts = [type(exc).__name__, f"status {code}" if isinstance(code, int) else "", detail]
    return " ".join(p for p in parts if p)
