"""The one throw-away account a check run creates, and the person who drives it.

Everything about it is generated: a unique username (``conformance-<random>``),
an address under ``example.com`` (reserved for documentation, so no stranger
gets mail), and passwords long and varied enough for any composition policy.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field

import pyotp

from .software_passkey import SoftwarePasskey


def strong_password() -> str:
    """Upper, lower, digit and symbol, 20 characters of randomness: passes any common policy."""
    return f"Ck9!{secrets.token_urlsafe(15)}"


@dataclass
class Account:
    """What the checker knows about its account, updated as flows change it."""

    username: str
    password: str
    email: str
    phone: str = "+15555550123"  # the 555-01xx range is reserved for fiction
    totp_secret: str | None = None
    last_totp_step: int = 0
    enrolled_totp_here: bool = False
    passkey: SoftwarePasskey | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def generate(cls, identifier_type: str) -> Account:
        tag = secrets.token_hex(4)
        email = f"conformance-{tag}@example.com"
        phone = f"+155555501{secrets.randbelow(100):02d}"
        username = {"email": email, "tel": phone}.get(identifier_type, f"conformance-{tag}")
        return cls(username=username, password=strong_password(), email=email, phone=phone)

    async def totp_code(self, secret: str | None = None) -> str:
        """An authenticator-app code for a time step not used yet.

        Servers refuse a code (or an older one) a second time, and accept one
        step of clock drift, so a quick run uses the next step early and, when
        that is used too, waits for the clock (at most one step, 30 seconds).
        """
        totp = pyotp.TOTP(secret or self.totp_secret or "")
        step = max(int(time.time() // totp.interval), self.last_totp_step + 1)
        while step > int(time.time() // totp.interval) + 1:
            await asyncio.sleep(0.5)
        self.last_totp_step = step
        return totp.at(step * totp.interval)

    @property
    def recipients(self) -> list[str]:
        """Who a code for this account may be addressed to (outbox lines name one of them)."""
        return [self.username, self.email, self.phone]

    def sign_up_values(self, field_names: list[str]) -> dict[str, str]:
        """The sign-up form filled in: identifier, password, and every attribute it asks for."""
        values = {"username": self.username, "password": self.password, "confirmPassword": self.password}
        for name in field_names:
            if name in values:
                continue
            if "email" in name:
                values[name] = self.email
            elif "phone" in name:
                values[name] = self.phone
            else:
                values[name] = "Conformance"
        return values
