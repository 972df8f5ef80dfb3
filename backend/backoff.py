"""Exponential delay after failed attempts: when the next attempt on a budget is accepted.

Why a delay on top of the budgets: a budget of ten guesses per window still
lets ten guesses through in the first second. After ``delay_after_failures``
failures in the window, each further failure doubles the wait before the next
attempt is accepted (1 s, 2 s, 4 s, ... up to ``delay_cap_seconds``), so an
online guesser gets a handful of tries per minute while a person who mistypes
twice never notices.

Why an answer, not a sleep: the server never waits on the attacker's behalf.
Sleeping in the handler would hold a worker thread (or, awaited, a connection
and a task) per refused request, and the attacker chooses how many requests
to send, so a server-side sleep turns throttling into a resource exhaustion.
Instead an early attempt is refused at once, before any hashing, with the
number of seconds to wait (``retryAfter`` on the wire); the refusal is not
counted, so hammering during the wait does not lengthen it. The honest client
shows the wait and the person retries.

Why it cannot lock the owner out: the delay follows the same keys as the
budgets (``rate_limit.RateLimiter``). A known device has a key, and so a delay,
of its own; the per-address budget (many accounts from one address) has none.
The account-wide delay starts only after more failures than one address may
make (``failures_per_username``), so a stranger at one address slows only
that address; only a guesser spread over many addresses slows the account
for browsers it does not know. A right password-reset code is accepted
whatever the delay says.

The state is the failure events the budgets already keep (key, time): the wait
is computed from their count and the latest one, in the same transaction and
under the same per-key lock as the budget check, so parallel attempts see each
other's failures and no schema change is needed.
"""

from __future__ import annotations

import math

from .settings import RateLimits
from .store import Database


def delay_after(failures: int, free: int, limits: RateLimits) -> float:
    """Seconds to wait after the ``failures``-th failure in the window before the next attempt.

    The first ``free`` failures cost no wait; the one that reaches ``free`` costs the base delay.
    """
    if limits.delay_base_seconds <= 0 or failures < free:
        return 0.0
    doublings = failures - free
    # The cap bounds the exponent too, so a long flood cannot overflow the float.
    if limits.delay_base_seconds * 2.0 ** min(doublings, 64) >= limits.delay_cap_seconds:
        return limits.delay_cap_seconds
    return float(limits.delay_base_seconds * 2.0**doublings)


def counted_failures_that_matter(free: int, limits: RateLimits) -> int:
    """How many failures to count at most: beyond it the delay is at its cap anyway."""
    if limits.delay_base_seconds <= 0:
        return 0
    ratio = max(limits.delay_cap_seconds / limits.delay_base_seconds, 1.0)
    return free + math.ceil(math.log2(ratio)) + 1


def seconds_to_wait(db: Database, key: str, free: int, now: float, limits: RateLimits) -> float:
    """How long until ``key`` accepts another attempt (0 when it does now).

    Two indexed reads on ``failures(key, ts)``: the count stops at the point where the
    delay saturates, and the latest failure is the index's last entry for the key.
    """
    most = counted_failures_that_matter(free, limits)
    if most == 0:
        return 0.0
    since = now - limits.window_seconds
    row = db.execute(
        "SELECT COUNT(*), MAX(ts) FROM (SELECT ts FROM failures WHERE key = ? AND ts > ? "
        "ORDER BY ts DESC LIMIT ?) AS recent",
        (key, since, most),
    ).fetchone()
    failures, latest = int(row[0]), row[1]
    if latest is None:
        return 0.0
    return max(0.0, float(latest) + delay_after(failures, free, limits) - now)
