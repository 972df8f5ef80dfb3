"""Sliding-window budgets per username and per client address.

Two kinds of events are counted: *failures* (a wrong password, a wrong code)
and *sends* (a code mailed out: sign-up, resend, reset, email MFA). Each has a
budget per username and per client address within ``window_seconds``. The
check happens before the expensive or abusable work (hashing, sending), so an
attacker who is over budget costs the server one indexed COUNT.

Checking and counting are one transaction (``spend_attempt``): an attempt is
counted as a failure *before* the password or code is verified, and refunded
when it turns out right. Checking first and recording after the verification
let 20 parallel wrong passwords through a budget of 10, because all 20
checked before any was recorded. The transaction takes per-key locks
(``Store.lock_keys``), so the same holds across worker threads and
processes, on SQLite and on PostgreSQL.

On top of the budgets, the account+address, account and known-device keys
pace attempts with an exponential delay (``backoff``): an early attempt is
refused at once with the seconds to wait, checked in the same transaction.

Keys are counted whether or not the account exists, so a limit reached is
no hint about existence. Events live in the database: budgets hold across
worker threads, processes and restarts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .audit import audit
from .backoff import seconds_to_wait
from .errors import AuthError, Problem
from .settings import RateLimits
from .store import Database, Store


@dataclass(frozen=True)
class Subject:
    """Who is asking about which account.

    ``username_key`` is the account's own key when the identifier names one (a username and
    its email alias share one budget), else the identifier as typed (normalised).
    ``device`` is set when the request comes from one of the account's known devices.
    ``account`` names a real account only; a typed identifier that names none (perhaps a
    password typed into the wrong field) never reaches the audit log.
    """

    username_key: str
    address: str
    device: str | None = None
    account: str | None = None  # the account's username when the identifier names one (for the audit log)


class Budget(NamedTuple):
    """One key's allowance: ``limit`` events per window; after ``delay_after`` failures (None:
    never) each further failure delays the next paced attempt (``backoff``)."""

    key: str
    limit: int
    problem: Problem
    delay_after: int | None = None


@dataclass(frozen=True)
class Attempt:
    """An attempt counted against the failure budgets: the events to remove if it succeeds."""

    event_ids: tuple[int, ...]


class RateLimiter:
    def __init__(self, store: Store, limits: RateLimits) -> None:
        self._store = store
        self._limits = limits
        # Only paces the sweep of expired events; budgets themselves live in the database.
        self._last_sweep = 0.0

    def _failure_budgets(self, subject: Subject) -> tuple[Budget, ...]:
        """A known device has a budget (and a delay) of its own; anyone else spends three.

        Per account and address (a stranger elsewhere spends only their own), per account
        (guesses spread over many addresses), per address (one address guessing many accounts;
        no delay there, or one guesser would slow everyone behind a shared address).
        """
        limits = self._limits
        tired, free = Problem.TOO_MANY_FAILURES, limits.delay_after_failures
        if subject.device is not None:
            return (Budget(f"fail:device:{subject.device}", limits.failures_per_username, tired, free),)
        # The account-wide delay starts beyond what one address may fail: one stranger never slows
        # the owner elsewhere; a guesser spread over many addresses does (known devices aside).
        spread = max(free, limits.failures_per_username)
        pair = f"fail:pair:{subject.username_key}|{subject.address}"
        return (
            Budget(pair, limits.failures_per_username, tired, free),
            Budget(f"fail:user:{subject.username_key}", limits.failures_per_account, tired, spread),
            Budget(f"fail:addr:{subject.address}", limits.failures_per_address, Problem.TOO_MANY_REQUESTS),
        )

    def check_failures(self, subject: Subject, now: float) -> None:
        """Raise when either budget of failures is spent (for steps that verify nothing)."""
        since = now - self._limits.window_seconds
        with self._store.read() as db:
            for key, limit, problem, _ in self._failure_budgets(subject):
                if self._count(db, key, since, limit) >= limit:
                    raise AuthError(problem)

    def spend_attempt(self, subject: Subject, now: float, *, paced: bool = False) -> Attempt:
        """Count an attempt as a failure, or raise when a budget is spent: one atomic step.

        Call before verifying; call ``refund`` when the password or code was right.
        ``paced``: also refuse the attempt while the exponential delay of an earlier
        failure runs (password guesses; a one-time code has its own few attempts).
        """
        return Attempt(self._spend(subject, self._failure_budgets(subject), now, paced=paced))

    def refund(self, attempt: Attempt) -> None:
        """The attempt succeeded: it was no failure after all."""
        with self._store.transaction() as db:
            for event_id in attempt.event_ids:
                db.execute("DELETE FROM failures WHERE id = ?", (event_id,))

    def record_failure(self, subject: Subject, now: float) -> None:
        """Count a failure that no ``spend_attempt`` counted (a wrong choice, a second wrong answer)."""
        self._record((budget.key for budget in self._failure_budgets(subject)), now)

    def spend_send(self, subject: Subject, now: float) -> None:
        """Count a code about to be sent, or raise when a send budget is spent."""
        self._spend(
            subject,
            (
                Budget(
                    f"send:user:{subject.username_key}",
                    self._limits.sends_per_username,
                    Problem.TOO_MANY_FAILURES,
                ),
                Budget(
                    f"send:addr:{subject.address}", self._limits.sends_per_address, Problem.TOO_MANY_REQUESTS
                ),
            ),
            now,
        )

    def clear_failures(self, subject: Subject) -> None:
        """A successful sign-in forgives its own budget's failures (not the address's, not others').

        That also ends the delay: the wait is computed from these failures.
        """
        keys = [b.key for b in self._failure_budgets(subject) if not b.key.startswith("fail:addr:")]
        with self._store.transaction() as db:
            for key in keys:
                db.execute("DELETE FROM failures WHERE key = ?", (key,))

    def _spend(
        self, subject: Subject, budgets: Iterable[Budget], now: float, *, paced: bool = False
    ) -> tuple[int, ...]:
        budgets = tuple(budgets)
        since = now - self._limits.window_seconds
        with self._store.transaction() as db:
            self._store.lock_keys(db, (budget.key for budget in budgets))
            for key, limit, problem, _ in budgets:
                if self._count(db, key, since, limit) >= limit:
                    _audit_throttle(subject, key)
                    raise AuthError(problem)  # rolls back: nothing is counted
            paced_keys = [(b.key, b.delay_after) for b in budgets if paced and b.delay_after is not None]
            wait = max(
                (seconds_to_wait(db, key, free, now, self._limits) for key, free in paced_keys), default=0.0
            )
            if wait > 0:
                _audit_throttle(subject, "delay", retry_after=math.ceil(wait))
                raise too_early(wait)  # not counted either: waiting out the delay is enough
            return self._record((budget.key for budget in budgets), now)

    @staticmethod
    def _count(db: Database, key: str, since: float, limit: int) -> int:
        # Counting stops at the limit, so a flood costs at most `limit` index steps.
        row = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM failures WHERE key = ? AND ts > ? LIMIT ?) AS recent",
            (key, since, limit),
        ).fetchone()
        return int(row[0])

    def _record(self, keys: Iterable[str], now: float) -> tuple[int, ...]:
        since = now - self._limits.window_seconds
        ids: list[int] = []
        with self._store.transaction() as db:
            if now - self._last_sweep > self._limits.window_seconds:
                # Once per window, drop every expired event (keys that never come back included).
                self._last_sweep = now
                db.execute("DELETE FROM failures WHERE ts <= ?", (since,))
            for key in keys:
                db.execute("DELETE FROM failures WHERE key = ? AND ts <= ?", (key, since))
                row = db.execute(
                    "INSERT INTO failures (key, ts) VALUES (?, ?) RETURNING id", (key, now)
                ).fetchone()
                ids.append(int(row[0]))
        return tuple(ids)


def too_early(wait: float) -> AuthError:
    """The refusal of an attempt made before its delay ran out: retriable, with whole seconds."""
    seconds = max(1, math.ceil(wait))
    return AuthError(
        Problem.TOO_MANY_FAILURES,
        f"Too many failed attempts, please wait {seconds} s and try again",
        retriable=True,
        retry_after=seconds,
    )


def _audit_throttle(subject: Subject, key: str, retry_after: int | None = None) -> None:
    """A refused attempt: which budget (pair, user, device, addr, delay), never the key itself."""
    budget = ".".join(key.split(":")[:2])  # "fail.pair", "send.user", ... or "delay"
    audit(
        "throttle",
        "refused",
        user=subject.account,
        address=subject.address,
        budget=budget,
        retry_after=retry_after,
    )
