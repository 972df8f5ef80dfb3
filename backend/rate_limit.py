"""Sliding-window budgets per username and per client address.

Two kinds of events are counted: *failures* (a wrong password, a wrong code)
and *sends* (a code mailed out: sign-up, resend, reset, email MFA). Each has a
budget per username and per client address within ``window_seconds``. The
check happens before the expensive or abusable work (hashing, sending), so an
attacker who is over budget costs the server one indexed COUNT.

Keys are counted whether or not the account exists, so a limit reached is
no hint about existence. Events live in SQLite: budgets hold across worker
threads, processes and restarts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import AuthError, Problem
from .settings import RateLimits
from .store import Store


@dataclass(frozen=True)
class Subject:
    """Who is asking: the username as typed (normalised) and the client address."""

    username_key: str
    address: str


class RateLimiter:
    def __init__(self, store: Store, limits: RateLimits) -> None:
        self._store = store
        self._limits = limits
        self._last_sweep = 0.0

    def check_failures(self, subject: Subject, now: float) -> None:
        """Raise when either budget of failures is spent."""
        self._check(
            (
                (
                    f"fail:user:{subject.username_key}",
                    self._limits.failures_per_username,
                    Problem.TOO_MANY_FAILURES,
                ),
                (
                    f"fail:addr:{subject.address}",
                    self._limits.failures_per_address,
                    Problem.TOO_MANY_REQUESTS,
                ),
            ),
            now,
        )

    def check_sends(self, subject: Subject, now: float) -> None:
        self._check(
            (
                (
                    f"send:user:{subject.username_key}",
                    self._limits.sends_per_username,
                    Problem.TOO_MANY_FAILURES,
                ),
                (f"send:addr:{subject.address}", self._limits.sends_per_address, Problem.TOO_MANY_REQUESTS),
            ),
            now,
        )

    def record_failure(self, subject: Subject, now: float) -> None:
        self._record((f"fail:user:{subject.username_key}", f"fail:addr:{subject.address}"), now)

    def record_send(self, subject: Subject, now: float) -> None:
        self._record((f"send:user:{subject.username_key}", f"send:addr:{subject.address}"), now)

    def clear_failures(self, username_key: str) -> None:
        """A successful sign-in forgives the username's failures (not the address's)."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM failures WHERE key = ?", (f"fail:user:{username_key}",))

    def _check(self, budgets: Iterable[tuple[str, int, Problem]], now: float) -> None:
        since = now - self._limits.window_seconds
        with self._store.read() as db:
            for key, limit, problem in budgets:
                # Counting stops at the limit, so a flood costs at most `limit` index steps.
                (count,) = db.execute(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM failures WHERE key = ? AND ts > ? LIMIT ?)",
                    (key, since, limit),
                ).fetchone()
                if count >= limit:
                    raise AuthError(problem)

    def _record(self, keys: Iterable[str], now: float) -> None:
        since = now - self._limits.window_seconds
        with self._store.transaction() as db:
            if now - self._last_sweep > self._limits.window_seconds:
                # Once per window, drop every expired event (keys that never come back included).
                self._last_sweep = now
                db.execute("DELETE FROM failures WHERE ts <= ?", (since,))
            for key in keys:
                db.execute("DELETE FROM failures WHERE key = ? AND ts <= ?", (key, since))
                db.execute("INSERT INTO failures (key, ts) VALUES (?, ?)", (key, now))
