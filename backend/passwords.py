"""Password hashing (scrypt), and the server's wording of the password policy.

Hashes are self-describing, ``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (base64url),
so the cost can be raised later: old hashes still verify with the parameters
they were made with, and :meth:`PasswordHasher.needs_rehash` tells the sign-in
code to upgrade them once the plain password is at hand.

Hashing is deliberately slow (tens of milliseconds at the default cost), so
callers run it in a worker thread, never on the event loop: the backend is
mounted inside NiceGUI's process and a blocked loop freezes every page. Every
scrypt goes through a :class:`~.hashing.HashingGate` (at most one per core at
once, on threads of lower priority than the event loop), so a burst of sign-ins
queues instead of taking 32 MiB and a thread each, and never holds up a page.

Unknown users are verified against a dummy hash of the same cost, so a
sign-in for an account that does not exist takes as long as one that does.
The dummy's digest is random bytes, not the hash of anything: checking it
costs one scrypt like any other, it can never match, and making it costs no
hash at start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Final

from ..state_machine.password_policy import (
    MAX_PASSWORD_LENGTH,
    PasswordPolicy,
    Requirement,
    unmet_requirements,
)
from .hashing import HashingGate
from .settings import ScryptCost

SALT_BYTES: Final = 16
HASH_BYTES: Final = 32


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PasswordHasher:
    """scrypt with a per-password salt, parameters stored beside the hash."""

    def __init__(self, cost: ScryptCost, gate: HashingGate | None = None) -> None:
        self._cost = cost
        self._gate = gate if gate is not None else HashingGate()
        salt, digest = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(HASH_BYTES)
        self._dummy_hash = f"scrypt${cost.n}${cost.r}${cost.p}${_b64(salt)}${_b64(digest)}"

    def hash(self, password: str) -> str:
        salt = secrets.token_bytes(SALT_BYTES)
        digest = self._gated_derive(password, salt, self._cost.n, self._cost.r, self._cost.p)
        return f"scrypt${self._cost.n}${self._cost.r}${self._cost.p}${_b64(salt)}${_b64(digest)}"

    def verify(self, password: str, encoded: str | None) -> bool:
        """True when ``password`` matches ``encoded``; ``None`` burns the same time and fails."""
        if encoded is None:
            self.verify(password, self._dummy_hash)
            return False
        try:
            scheme, n, r, p, salt, digest = encoded.split("$")
            if scheme != "scrypt":
                return False
            expected = _unb64(digest)
            actual = self._gated_derive(password, _unb64(salt), int(n), int(r), int(p))
        except ValueError:
            return False
        return hmac.compare_digest(actual, expected)

    def close(self) -> None:
        """Let the hashing threads end (a hash in progress finishes first)."""
        self._gate.close()

    def needs_rehash(self, encoded: str) -> bool:
        """True when ``encoded`` was made with other parameters than the current cost."""
        parts = encoded.split("$")
        current = [str(self._cost.n), str(self._cost.r), str(self._cost.p)]
        return len(parts) != 6 or parts[0] != "scrypt" or parts[1:4] != current

    def _gated_derive(self, password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        return self._gate.run(lambda: self._derive(password, salt, n, r, p))

    @staticmethod
    def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        # maxmem must exceed 128*n*r*p; OpenSSL's default ceiling (32 MiB) is too tight.
        maxmem = 128 * n * r * p + 1024 * 1024
        return hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=HASH_BYTES
        )


# How the server words each requirement, after "Password must contain ...".
_PHRASES: Final[Mapping[Requirement, str]] = {
    Requirement.LOWERCASE: "a lowercase letter",
    Requirement.UPPERCASE: "an uppercase letter",
    Requirement.DIGIT: "a digit",
    Requirement.SYMBOL: "a symbol",
    Requirement.NOT_COMMON: "no commonly used password",
    Requirement.MAX_LENGTH: f"at most {MAX_PASSWORD_LENGTH} characters",
    Requirement.NOT_BLANK: "a character other than a space",
}


def policy_violations(password: str, policy: PasswordPolicy) -> list[str]:
    """What ``password`` lacks, phrased to follow "Password must contain ...".

    The verdict is the core's :func:`unmet_requirements`, the very function the
    client's checklist and form validation call; only the wording is ours.
    """
    return [
        f"at least {policy.min_length} characters"
        if requirement is Requirement.MIN_LENGTH
        else _PHRASES[requirement]
        for requirement in unmet_requirements(password, policy)
    ]


def policy_message(missing: list[str]) -> str:
    """The recorded wording: ``Password must contain an uppercase letter, a digit, a symbol``.

    A common password gets a sentence of its own: ``Password must not be a
    commonly used password``.
    """
    common = _PHRASES[Requirement.NOT_COMMON]
    sentences = []
    contained = [phrase for phrase in missing if phrase != common]
    if contained:
        sentences.append("Password must contain " + ", ".join(contained))
    if common in missing:
        sentences.append("Password must not be a commonly used password")
    return ". ".join(sentences)
