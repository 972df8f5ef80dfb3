"""A one-time code on its way to a person, as the settings' callback receives it.

Its own module because both ends need it: :mod:`.settings` types the host
application's ``code_callback`` with it and :mod:`.delivery` sends it, and
delivery already reads the settings (one import direction, no cycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

Purpose = Literal["sign-up", "password-reset", "sign-in", "mfa-setup", "reauthentication"]


@dataclass(frozen=True)
class CodeMessage:
    """One code on its way to a person. ``to`` is an email, a phone number or the username."""

    to: str
    username: str
    purpose: Purpose
    code: str
    ts: float

    def record(self) -> dict[str, str]:
        """The public outbox shape ``{to, purpose, code, ts}``."""
        return {"to": self.to, "purpose": self.purpose, "code": self.code, "ts": iso_timestamp(self.ts)}


def iso_timestamp(ts: float) -> str:
    """JavaScript's ``toISOString()`` form, as the AWS Blocks servers print dates."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
