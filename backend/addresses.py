"""Email addresses, phone numbers and usernames: what is acceptable, and how to mask one.

Syntax checks are deliberately modest (one ``@``, a dotted domain; E.164 for
phones): the real proof of an address is the code that reaches it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from .errors import AuthError, Problem
from .settings import BackendSettings

EMAIL: Final = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
PHONE: Final = re.compile(r"\+[1-9]\d{6,14}")
MAX_USERNAME: Final = 128


def is_email(text: str) -> bool:
    """A plausible address, without NUL or other control characters (they split SMTP headers)."""
    return (
        len(text) <= 254
        and EMAIL.fullmatch(text) is not None
        and not any(unicodedata.category(c).startswith("C") for c in text)
    )


def is_phone(text: str) -> bool:
    return PHONE.fullmatch(text) is not None


def check_username(settings: BackendSettings, username: str) -> None:
    """Refuse usernames the configured sign-in identifiers cannot hold."""
    if not username or len(username) > MAX_USERNAME:
        raise AuthError(Problem.INVALID_PARAMETER, f"Username must be 1 to {MAX_USERNAME} characters")
    if any(unicodedata.category(c).startswith("C") for c in username):
        raise AuthError(Problem.INVALID_PARAMETER, "Username must not contain control characters")
    kinds = settings.identifiers
    if kinds == ("email",) and not is_email(username):
        raise AuthError(Problem.INVALID_PARAMETER, "Username must be an email address")
    if kinds == ("phone",) and not is_phone(username):
        raise AuthError(Problem.INVALID_PARAMETER, "Username must be a phone number like +14155550100")


def check_attribute(name: str, value: str) -> None:
    if name == "email" and not is_email(value):
        raise AuthError(Problem.INVALID_PARAMETER, "Invalid email address format")
    if name == "phone_number" and not is_phone(value):
        raise AuthError(Problem.INVALID_PARAMETER, "Invalid phone number format")
    if len(value) > 2048:
        raise AuthError(Problem.INVALID_PARAMETER, f"{name} is too long")


def mask_email(email: str) -> str:
    """``carol@example.com`` -> ``c***@e***.com``, the masking shown in PROTOCOL.md."""
    local, _, domain = email.partition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    return f"{local[:1]}***@{host[:1]}***{dot}{tld}"


def mask_phone(phone: str) -> str:
    """``+14155550100`` -> ``+*******0100``."""
    return "+" + "*" * max(len(phone) - 5, 0) + phone[-4:]
