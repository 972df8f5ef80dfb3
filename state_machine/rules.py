"""Validation rules as data, and the checks that apply them.

Rules live on form fields so every shell (NiceGUI, headless, tests) validates
the same way, and a renderer can show password requirements live as the person
types (:meth:`PasswordPolicy.checklist`). Client-side checks only save a round
trip; the server stays the authority and its error is shown when it disagrees.
The password policy itself lives in :mod:`.password_policy`, shared with the
reference backend so that the two never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .messages import Msg, msg
from .password_policy import PasswordPolicy

# An address is at most 254 characters (RFC 5321). Checked before any shape
# test: the machine runs on the NiceGUI server, and the checks must stay cheap
# whatever a person pastes.
_MAX_EMAIL: Final = 254
# E.164: a plus, then 7 to 15 digits (Cognito's phone_number format).
_PHONE: Final = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True)
class Required:
    pass


@dataclass(frozen=True)
class EmailShape:
    pass


@dataclass(frozen=True)
class PhoneShape:
    pass


@dataclass(frozen=True)
class CodeShape:
    """Digits only, ``length`` to ``max_length`` of them.

    The recorded servers send 6-digit codes; Cognito's passwordless email and
    SMS codes have 8. A client check must never refuse a code the server would
    take, so both fit; the message names the usual 6.
    """

    length: int = 6
    max_length: int = 8


@dataclass(frozen=True)
class MatchesField:
    """Equal to another field's value (password confirmation)."""

    other: str


@dataclass(frozen=True)
class MeetsPolicy:
    policy: PasswordPolicy


@dataclass(frozen=True)
class OneOf:
    options: tuple[str, ...]


Rule = Required | EmailShape | PhoneShape | CodeShape | MatchesField | MeetsPolicy | OneOf


def check(rule: Rule, value: str, values: Mapping[str, str]) -> Msg | None:
    """The message for ``value`` breaking ``rule``, or None.

    Shape rules pass on empty input: emptiness is :class:`Required`'s business,
    so an optional email left blank is fine.
    """
    if isinstance(rule, Required):
        return msg("validation.required") if not value.strip() else None
    if not value:
        return None
    if isinstance(rule, EmailShape):
        return None if _email_shaped(value) else msg("validation.email")
    if isinstance(rule, PhoneShape):
        return None if _PHONE.match(value) else msg("validation.phone")
    if isinstance(rule, CodeShape):
        if not value.isdigit():
            return msg("validation.code_digits")
        fits = rule.length <= len(value) <= max(rule.length, rule.max_length)
        return None if fits else msg("validation.code", count=str(rule.length))
    if isinstance(rule, MatchesField):
        return None if value == values.get(rule.other, "") else msg("validation.passwords_mismatch")
    if isinstance(rule, MeetsPolicy):
        unmet = rule.policy.unmet(value)
        return unmet[0] if unmet else None
    return None if value in rule.options else msg("validation.choice")


def _email_shaped(value: str) -> bool:
    """A pragmatic address shape: ``something@something.tld``, no spaces.

    Full RFC 5322 belongs to the server; this catches typos like a missing "@".
    Written without a regular expression: the obvious pattern backtracks
    quadratically on inputs like ``a@....@``.
    """
    if len(value) > _MAX_EMAIL or any(c.isspace() for c in value):
        return False
    local, at, domain = value.partition("@")
    return bool(local) and bool(at) and "@" not in domain and "." in domain[1:-1]


def normalize_code(value: str) -> str:
    """A pasted ``123 456`` or ``123-456`` becomes ``123456``; other text is kept."""
    compact = re.sub(r"[\s\-]", "", value)
    return compact if compact.isdigit() else value.strip()
