"""The one password policy: what a new password must be, and what it still lacks.

Why one module: the client shows a live checklist and refuses a weak password
before any round trip, and the reference backend refuses it again. Two
implementations drifted apart (``'Abcdefg1 x'`` passed the client and failed
the server, ``'Abcdefg1€'`` the other way round), so both sides now call
:func:`unmet_requirements` with the same :class:`PasswordPolicy` value, and the
policy travels between them as the ``passwordPolicy`` wire object
(:func:`.protocol.password_policy_wire`). They cannot disagree any more, and
``tests/backend/test_password_policy_agreement.py`` runs both real paths to
prove it.

What counts as what (one definition, for every script):

- A password's length is its number of Unicode code points (``len``), as NIST
  SP 800-63B 5.1.1.2 asks; nothing is normalised or stripped, because the
  server hashes exactly what the client sends.
- **lowercase**: a cased lowercase letter, Unicode category ``Ll`` (``a``,
  ``é``, ``ß``, ``я``).
- **uppercase**: category ``Lu`` or titlecase ``Lt`` (``A``, ``É``, ``Я``,
  ``ǅ``).
- **digit**: a decimal digit of any script, category ``Nd`` (``0``-``9``,
  ``٣``, ``७``); superscripts and fractions (``²``, ``½``) are not digits.
- **symbol**: punctuation (``P*``), a symbol (``S*``: ``€``, ``+``, emoji) or
  a space separator (``Zs``: the space, the no-break space).

Amazon Cognito, whose block the reference backend mirrors, counts Basic Latin
letters and digits and a fixed ASCII special set ``^ $ * . [ ] { } ( ) ? " ! @
# % & / \\ , > < ' : ; | _ ~ ` = + -`` plus the space. Every one of those
characters falls in the same class here (the ASCII specials are all ``P*`` or
``S*``, the space is ``Zs``), so a client configured like a Cognito pool never
refuses a password Cognito would take; we only go further where Cognito says
nothing, so that a person typing ``É`` or ``€`` gets the credit a reader would
expect. Letters without case (``中``, ``ـ``), combining marks, other numbers and
control characters count toward the length only.

With ``reject_common`` the password must also not be one of the 100,000 most
common passwords, compared without case and without the symbols people add at
either end (:mod:`.common_passwords`); the list ships with the package, so the
client's checklist and the server consult the very same data.

Two limits hold whatever the policy: at most :data:`MAX_PASSWORD_LENGTH` code
points (Cognito's limit; it also bounds the hashing work), and not blank (a
password of spaces only is refused on both sides, where the client's
"required" check would otherwise disagree with a server counting characters).
They are not checklist rows: nobody needs to be told them until they break one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .common_passwords import is_common
from .messages import Msg, msg
from .protocol import password_policy_wire

MAX_PASSWORD_LENGTH: Final = 256
DEFAULT_MIN_LENGTH: Final = 8


class Requirement(StrEnum):
    """One thing a password can lack; the order is the order people see them in."""

    MIN_LENGTH = "min_length"
    LOWERCASE = "lowercase"
    UPPERCASE = "uppercase"
    DIGIT = "digit"
    SYMBOL = "symbol"
    NOT_COMMON = "not_common"
    MAX_LENGTH = "max_length"
    NOT_BLANK = "not_blank"


def is_lowercase(char: str) -> bool:
    return unicodedata.category(char) == "Ll"


def is_uppercase(char: str) -> bool:
    return unicodedata.category(char) in ("Lu", "Lt")


def is_digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def is_symbol(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in ("P", "S") or category == "Zs"


@dataclass(frozen=True)
class PasswordPolicy:
    """What a new password must be. Defaults to "at least 8 characters".

    Backends can describe theirs in a field's ``passwordPolicy`` extra key
    (``{"minLength": 8, "requireLowercase": true, ..., "rejectCommon": true}``);
    the reference backend does, AWS Blocks servers do not, in which case this
    default applies. It is deliberately lenient (8 characters is the shortest
    minimum a Cognito pool is usually given): a client must never refuse a
    password its server would take, and a server that says nothing about common
    passwords may well accept ``Passw0rd!`` (the recorded ones do). The
    reference backend's default adds ``reject_common``.
    """

    min_length: int = DEFAULT_MIN_LENGTH
    require_lowercase: bool = False
    require_uppercase: bool = False
    require_digits: bool = False
    require_symbols: bool = False
    reject_common: bool = False  # refuse the most common passwords (see .common_passwords)

    def __post_init__(self) -> None:
        if not 1 <= self.min_length <= MAX_PASSWORD_LENGTH:
            raise ValueError(f"password min_length must be between 1 and {MAX_PASSWORD_LENGTH}")

    @classmethod
    def from_wire(cls, value: object) -> PasswordPolicy | None:
        """Read a ``passwordPolicy`` object; None when absent or unusable."""
        if not isinstance(value, Mapping):
            return None
        length = value.get("minLength", DEFAULT_MIN_LENGTH)
        usable = isinstance(length, int) and not isinstance(length, bool)
        return cls(
            min_length=length if usable and 0 < length <= MAX_PASSWORD_LENGTH else DEFAULT_MIN_LENGTH,
            require_lowercase=value.get("requireLowercase") is True,
            require_uppercase=value.get("requireUppercase") is True,
            require_digits=value.get("requireDigits") is True,
            require_symbols=value.get("requireSymbols") is True,
            reject_common=value.get("rejectCommon") is True,
        )

    def to_wire(self) -> dict[str, int | bool]:
        return password_policy_wire(
            min_length=self.min_length,
            require_lowercase=self.require_lowercase,
            require_uppercase=self.require_uppercase,
            require_digits=self.require_digits,
            require_symbols=self.require_symbols,
            reject_common=self.reject_common,
        )

    def shown(self) -> tuple[Requirement, ...]:
        """The requirements a checklist lists, in display order (fixed for a policy)."""
        wanted = (
            (Requirement.LOWERCASE, self.require_lowercase),
            (Requirement.UPPERCASE, self.require_uppercase),
            (Requirement.DIGIT, self.require_digits),
            (Requirement.SYMBOL, self.require_symbols),
        )
        common = (Requirement.NOT_COMMON,) if self.reject_common else ()
        return (Requirement.MIN_LENGTH, *(r for r, on in wanted if on), *common)

    def checklist(self, password: str) -> tuple[tuple[Msg, bool], ...]:
        """Each shown requirement with whether ``password`` meets it, in display order."""
        unmet = set(unmet_requirements(password, self))
        return tuple((self.message(r), r not in unmet) for r in self.shown())

    def unmet(self, password: str) -> tuple[Msg, ...]:
        """What ``password`` lacks, as messages, most basic first (limits last)."""
        return tuple(self.message(r) for r in unmet_requirements(password, self))

    def message(self, requirement: Requirement) -> Msg:
        """The catalog entry naming ``requirement`` (a checklist row, or a field's error).

        Literal keys on purpose: ``test_messages`` finds every ``msg("...")`` in
        the core and checks that the catalog has it.
        """
        match requirement:
            case Requirement.MIN_LENGTH:
                return msg("policy.min_length", count=str(self.min_length))
            case Requirement.LOWERCASE:
                return msg("policy.lowercase")
            case Requirement.UPPERCASE:
                return msg("policy.uppercase")
            case Requirement.DIGIT:
                return msg("policy.digit")
            case Requirement.SYMBOL:
                return msg("policy.symbol")
            case Requirement.NOT_COMMON:
                return msg("policy.not_common")
            case Requirement.MAX_LENGTH:
                return msg("policy.max_length", count=str(MAX_PASSWORD_LENGTH))
            case Requirement.NOT_BLANK:
                return msg("validation.required")  # what the client's "required" check says too


def unmet_requirements(password: str, policy: PasswordPolicy) -> tuple[Requirement, ...]:
    """Every requirement of ``policy`` (and the fixed limits) that ``password`` fails.

    The single verdict of the project: empty means accepted, on the client and
    on the server alike.
    """
    unmet: list[Requirement] = []
    if len(password) < policy.min_length:
        unmet.append(Requirement.MIN_LENGTH)
    # Only the first MAX+1 characters are scanned: anything longer is refused for its
    # length anyway, and the work stays bounded whatever a person pastes.
    sample = password[: MAX_PASSWORD_LENGTH + 1]
    classes = (
        (Requirement.LOWERCASE, policy.require_lowercase, is_lowercase),
        (Requirement.UPPERCASE, policy.require_uppercase, is_uppercase),
        (Requirement.DIGIT, policy.require_digits, is_digit),
        (Requirement.SYMBOL, policy.require_symbols, is_symbol),
    )
    unmet.extend(r for r, required, test in classes if required and not any(map(test, sample)))
    if policy.reject_common and is_common(sample):
        unmet.append(Requirement.NOT_COMMON)
    if len(password) > MAX_PASSWORD_LENGTH:
        unmet.append(Requirement.MAX_LENGTH)
    if password and password.isspace():
        unmet.append(Requirement.NOT_BLANK)
    return tuple(unmet)
