"""One-time codes: six digits from ``secrets``, short-lived, single use, few attempts.

A code lives under a key that says what it is for (``sign-up:<user id>``,
``reset:<user id>``, ``mfa:<challenge>``...). Issuing a new code for a key
replaces the old one, which is how "resend" invalidates the previous code.

A code is consumed only by a *successful* check. A wrong guess costs one
attempt and leaves the code usable until the attempts run out; a request that
fails for another reason (a weak new password, say) never touches the code.
The AWS Blocks mock burns the code on any attempt, see
``basic_reset_password.jsonl`` steps 3-4.
"""

from __future__ import annotations

import enum
import hmac
import re
import secrets
from collections.abc import Callable
from typing import Final

from .store import Store

CODE_PATTERN: Final = re.compile(r"\d{6}")


class CodeCheck(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXHAUSTED = "exhausted"  # this guess used the last attempt; the code is gone
    MISSING = "missing"  # no live code under the key


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def normalise(code: str) -> str:
    """People paste codes with spaces or dashes ("123 456"); compare digits only."""
    return re.sub(r"[\s-]", "", code)


class CodeBook:
    """Issues and checks codes stored hashed in the ``codes`` table."""

    def __init__(
        self, store: Store, lifetime: float, max_attempts: int, digest: Callable[[str], str]
    ) -> None:
        self._digest = digest  # keyed (HMAC with the server key, see at_rest): a copied table reveals nothing
        self._store = store
        self._lifetime = lifetime
        self._max_attempts = max_attempts

    def issue(self, key: str, now: float) -> str:
        code = new_code()
        with self._store.transaction() as db:
            db.execute("DELETE FROM codes WHERE expires_at <= ?", (now,))  # abandoned codes do not pile up
            db.execute(
                """INSERT INTO codes (key, code_hash, attempts, expires_at) VALUES (?, ?, 0, ?)
                   ON CONFLICT (key) DO UPDATE
                   SET code_hash = excluded.code_hash, attempts = 0, expires_at = excluded.expires_at""",
                (key, self._digest(code), now + self._lifetime),
            )
        return code

    def has_live_code(self, key: str, now: float) -> bool:
        with self._store.read() as db:
            row = db.execute("SELECT 1 FROM codes WHERE key = ? AND expires_at > ?", (key, now)).fetchone()
            return row is not None

    def check(self, key: str, code: str, now: float) -> CodeCheck:
        """Compare ``code`` in constant time; consume it on success, count a miss otherwise."""
        guess = normalise(code)
        with self._store.transaction() as db:
            # Counting the attempt first makes the check race-free: the UPDATE holds the row
            # until commit, so a concurrent check of the same code waits, then sees it gone.
            row = db.execute(
                """UPDATE codes SET attempts = attempts + 1 WHERE key = ?
                   RETURNING code_hash, attempts, expires_at""",
                (key,),
            ).fetchone()
            if row is None:
                return CodeCheck.MISSING
            if row["expires_at"] <= now:
                db.execute("DELETE FROM codes WHERE key = ?", (key,))
                return CodeCheck.MISSING
            if CODE_PATTERN.fullmatch(guess) and hmac.compare_digest(self._digest(guess), row["code_hash"]):
                db.execute("DELETE FROM codes WHERE key = ?", (key,))
                return CodeCheck.OK
            if int(row["attempts"]) >= self._max_attempts:
                db.execute("DELETE FROM codes WHERE key = ?", (key,))
                return CodeCheck.EXHAUSTED
            return CodeCheck.WRONG

    def discard(self, key: str) -> None:
        with self._store.transaction() as db:
            db.execute("DELETE FROM codes WHERE key = ?", (key,))
