"""Server-side rows behind the three bearer tokens the backend hands out.

* Web sessions: the ``auth`` cookie holds ``secrets.token_urlsafe(32)``; the
  row (keyed by its sha256) says who is signed in until when, and may hold a
  pending ceremony (passkey registration challenge, MFA set-up secret). Sign-out
  deletes the row, so a copied cookie dies with it, unlike the JWT cookie of
  ``basic_signout_does_not_revoke_jwt.jsonl``.
* Challenge sessions: the hidden ``session`` field of ``confirmSignIn``. Each
  step mints a new one; a session is single use, lives three minutes and
  survives a few wrong answers (``max_code_attempts``) so the person can retry.
* Auto sign-in bridges: the ``autosignin`` cookie set by ``signUp``. It becomes
  usable only once ``confirmSignUp`` succeeded, then for a short time, once.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Final

from .at_rest import Sealer
from .store import Store, Sweeps

WEB_TOKEN_BYTES: Final = 32
CHALLENGE_TOKEN_BYTES: Final = 16


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Unsettled(enum.Enum):
    """A read-only lookup's "cannot say without writing" (see ``lookup_without_writing``)."""

    UNSETTLED = "unsettled"


UNSETTLED: Final = Unsettled.UNSETTLED


@dataclass(frozen=True)
class WebSession:
    token_hash: str
    user_id: int
    pending: dict[str, Any] | None
    authenticated_at: float = 0.0  # when a password or second factor was last proven on it


class WebSessions:
    """Sessions end ``lifetime`` after sign-in (absolute) or ``idle`` after their last use."""

    def __init__(self, store: Store, sealer: Sealer, lifetime: float, idle: float | None = None) -> None:
        self._store = store
        self._sealer = sealer  # pending ceremonies (a TOTP secret being set up) are sealed at rest
        self.lifetime = lifetime
        self.idle = lifetime if idle is None else idle
        self._sweeps = Sweeps("web_sessions")

    def create(self, user_id: int, now: float, *, replacing: str | None = None) -> str:
        """A new session; ``replacing`` (the caller's old cookie) is revoked, against fixation."""
        token = secrets.token_urlsafe(WEB_TOKEN_BYTES)
        with self._store.transaction() as db:
            if replacing:
                db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (token_hash(replacing),))
            self._sweeps.sweep(db, now)
            db.execute(
                """INSERT INTO web_sessions
                   (token_hash, user_id, created_at, expires_at, authenticated_at, last_seen_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (token_hash(token), user_id, now, now + self.lifetime, now, now),
            )
        return token

    def lookup(self, token: str, now: float) -> WebSession | None:
        """The live session behind ``token``; using it pushes its idle deadline back."""
        row = self._row(token)
        if row is None:
            return None
        if self._expired(row, now):
            with self._store.transaction() as db:
                db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (row["token_hash"],))
            return None
        if self._due_a_touch(row, now):  # at most one write a minute per session
            with self._store.transaction() as db:
                db.execute(
                    "UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?", (now, row["token_hash"])
                )
        return self._session(row)

    def lookup_without_writing(self, token: str, now: float) -> WebSession | Unsettled | None:
        """:meth:`lookup` when it needs no write; ``UNSETTLED`` when it would write (expiry, idle touch).

        For callers on the event loop: a read of a WAL database never waits,
        a write may, so anything that must write is left to :meth:`lookup` in a worker thread.
        The checks are the very ones :meth:`lookup` makes.
        """
        row = self._row(token)
        if row is None:
            return None
        if self.needs_write(row, now):
            return UNSETTLED
        return self._session(row)

    def needs_write(self, row: Any, now: float) -> bool:
        """Whether :meth:`lookup` would write for this session ``row`` (expired, or due a touch)."""
        return self._expired(row, now) or self._due_a_touch(row, now)

    def _session(self, row: Any) -> WebSession:
        pending = self._sealer.open_record(row["pending"]) if row["pending"] else None
        return WebSession(row["token_hash"], int(row["user_id"]), pending, float(row["authenticated_at"]))

    def _row(self, token: str) -> Any:
        with self._store.read() as db:
            return db.execute(
                """SELECT token_hash, user_id, expires_at, pending, authenticated_at, last_seen_at
                   FROM web_sessions WHERE token_hash = ?""",
                (token_hash(token),),
            ).fetchone()

    @staticmethod
    def _last_seen(row: Any) -> float:
        # A session from before the idle timeout existed counts from its last proof of identity.
        return max(float(row["last_seen_at"]), float(row["authenticated_at"]))

    def _expired(self, row: Any, now: float) -> bool:
        last_seen = self._last_seen(row)
        return bool(row["expires_at"] <= now or (last_seen and last_seen + self.idle <= now))

    def _due_a_touch(self, row: Any, now: float) -> bool:
        return now - self._last_seen(row) > 60

    def mark_authenticated(self, session: WebSession, now: float) -> None:
        """The person just proved who they are again (password or second factor) on this session."""
        with self._store.transaction() as db:
            db.execute(
                "UPDATE web_sessions SET authenticated_at = ?, last_seen_at = ? WHERE token_hash = ?",
                (now, now, session.token_hash),
            )

    def set_pending(self, session: WebSession, pending: dict[str, Any] | None) -> None:
        with self._store.transaction() as db:
            db.execute(
                "UPDATE web_sessions SET pending = ? WHERE token_hash = ?",
                (None if pending is None else self._sealer.seal_record(pending), session.token_hash),
            )

    def revoke(self, token: str) -> None:
        with self._store.transaction() as db:
            db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (token_hash(token),))

    def revoke_others(self, user_id: int, *, keep: str) -> None:
        """End every session of the account but the one hashed ``keep`` (after a password change)."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM web_sessions WHERE user_id = ? AND token_hash != ?", (user_id, keep))

    def revoke_all(self, user_id: int) -> int:
        """Sign the account out everywhere (password reset, "sign out everywhere"); how many ended."""
        with self._store.transaction() as db:
            cursor = db.execute("DELETE FROM web_sessions WHERE user_id = ?", (user_id,))
            return int(cursor.rowcount)


@dataclass(frozen=True)
class Challenge:
    token: str
    data: dict[str, Any]
    attempts: int

    @property
    def kind(self) -> str:
        return str(self.data["kind"])


class Challenges:
    """Challenge rows; their data (a TOTP secret being set up, say) is sealed at rest."""

    def __init__(self, store: Store, sealer: Sealer, lifetime: float, max_attempts: int) -> None:
        self._store = store
        self._sealer = sealer
        self._lifetime = lifetime
        self._max_attempts = max_attempts
        self._sweeps = Sweeps("challenges")

    def create(self, data: dict[str, Any], now: float) -> str:
        token = secrets.token_urlsafe(CHALLENGE_TOKEN_BYTES)
        with self._store.transaction() as db:
            self._sweeps.sweep(db, now)
            db.execute(
                "INSERT INTO challenges (token_hash, data, attempts, expires_at) VALUES (?, ?, 0, ?)",
                (token_hash(token), self._sealer.seal_record(data), now + self._lifetime),
            )
        return token

    def get(self, token: str, now: float) -> Challenge | None:
        with self._store.read() as db:
            row = db.execute(
                "SELECT data, attempts, expires_at FROM challenges WHERE token_hash = ?", (token_hash(token),)
            ).fetchone()
        if row is None or row["expires_at"] <= now:
            return None
        return Challenge(token, self._sealer.open_record(row["data"]), int(row["attempts"]))

    def consume(self, challenge: Challenge) -> bool:
        """Delete the session; False when a concurrent request consumed it first."""
        with self._store.transaction() as db:
            cursor = db.execute("DELETE FROM challenges WHERE token_hash = ?", (token_hash(challenge.token),))
            return cursor.rowcount == 1

    def fail(self, challenge: Challenge) -> bool:
        """Count a wrong answer; True while the session may still be retried."""
        key = token_hash(challenge.token)
        with self._store.transaction() as db:
            row = db.execute(
                "UPDATE challenges SET attempts = attempts + 1 WHERE token_hash = ? RETURNING attempts",
                (key,),
            ).fetchone()
            if row is None or int(row["attempts"]) >= self._max_attempts:
                db.execute("DELETE FROM challenges WHERE token_hash = ?", (key,))
                return False
            return True


class AutoSignInBridges:
    def __init__(self, store: Store, lifetime: float, after_confirm: float) -> None:
        self._store = store
        self.lifetime = lifetime
        self._after_confirm = after_confirm

    def create(self, user_id: int, now: float) -> str:
        token = secrets.token_urlsafe(WEB_TOKEN_BYTES)
        with self._store.transaction() as db:
            db.execute("DELETE FROM auto_sign_in WHERE expires_at <= ?", (now,))
            db.execute(
                "INSERT INTO auto_sign_in (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (token_hash(token), user_id, now + self.lifetime),
            )
        return token

    def arm(self, token: str, user_id: int, now: float) -> bool:
        """After confirmation: make the bridge usable, briefly. False when it is not this user's."""
        with self._store.transaction() as db:
            cursor = db.execute(
                """UPDATE auto_sign_in SET confirmed = 1, expires_at = ?
                   WHERE token_hash = ? AND user_id = ? AND expires_at > ?""",
                (now + self._after_confirm, token_hash(token), user_id, now),
            )
            return cursor.rowcount == 1

    def redeem(self, token: str, now: float) -> int | None:
        """Consume an armed bridge; the user id it was for, or None."""
        with self._store.transaction() as db:
            # One statement reads and consumes, so two redeemers cannot both get the bridge.
            row = db.execute(
                "DELETE FROM auto_sign_in WHERE token_hash = ? RETURNING user_id, confirmed, expires_at",
                (token_hash(token),),
            ).fetchone()
            if row is None:
                return None
            if not row["confirmed"] or row["expires_at"] <= now:
                return None
            return int(row["user_id"])
