"""Does ``signUp`` take as long for a taken or pending name as for a new one? (issue 11, finding 4)

Run: ``python bench/sign_up_timing.py`` (about 10 seconds). The reference
backend at its default scrypt cost answers ``signUp`` in-process (the HTTP
layer adds the same to every case), for three kinds of name, interleaved
round by round so a slow moment of the shared machine hits all three:

* ``new``: a name nobody has (the baseline): one scrypt hash, the account
  row, its code, the outbox entry;
* ``taken``: a confirmed account's name (answered UsernameExistsException);
* ``pending``: an unconfirmed sign-up with a live code, probed with another
  password (answered UsernameExistsException).

Printed per case: scrypt derivations per request (counted, the quantity the
fix equalises), median milliseconds, and the median per-round ratio to
``new``. The remaining gap is the row insert and the code a new name gets.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.context import Request
from nicegui_authenticator.backend.passwords import PasswordHasher
from nicegui_authenticator.backend.settings import BackendSettings, RateLimits

ROUNDS = 15
PASSWORD = "Tangerine-Kite-7"
PROBE = "Another-Kite-8"
UNLIMITED = RateLimits(sends_per_username=10**6, sends_per_address=10**6)

derivations: Counter[str] = Counter()
_derive = PasswordHasher._derive


def _counted_derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    derivations["now"] += 1
    return _derive(password, salt, n, r, p)


def _sign_up(backend: ReferenceBackend, username: str, password: str) -> tuple[float, int, Any]:
    """Seconds, derivations and error name of one signUp."""
    request = Request(session_token=None, bridge_token=None, address="203.0.113.9", now=time.time())
    fields = {"username": username, "password": password, "email": "probe@example.com"}
    derivations.clear()
    start = time.perf_counter()
    outcome = backend._service.set_auth_state(request, "signUp", fields)
    return time.perf_counter() - start, derivations["now"], outcome.state.error_name


def main() -> None:
    PasswordHasher._derive = staticmethod(_counted_derive)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as folder:
        settings = BackendSettings(
            db_path=str(Path(folder) / "bench.sqlite3"),
            mfa="off",
            sign_in_with=("username",),
            rate_limits=UNLIMITED,
        )
        backend = ReferenceBackend(settings)
        try:
            backend.add_user("taken", PASSWORD, temporary=False)
            _sign_up(backend, "pending", PASSWORD)
            samples: dict[str, list[float]] = {"new": [], "taken": [], "pending": []}
            counts: dict[str, set[int]] = {name: set() for name in samples}
            answers: dict[str, set[Any]] = {name: set() for name in samples}
            ratios: dict[str, list[float]] = {"taken": [], "pending": []}
            for round_number in range(ROUNDS + 1):
                measured = {
                    "new": _sign_up(backend, f"new{round_number}", PROBE),
                    "taken": _sign_up(backend, "taken", PROBE),
                    "pending": _sign_up(backend, "pending", PROBE),
                }
                if round_number == 0:
                    continue  # warm-up
                for name, (seconds, count, answer) in measured.items():
                    samples[name].append(seconds)
                    counts[name].add(count)
                    answers[name].add(answer)
                for name in ratios:
                    ratios[name].append(measured[name][0] / measured["new"][0])
        finally:
            backend.close()
    print(f"signUp at the default scrypt cost, {ROUNDS} interleaved rounds (python {sys.version.split()[0]})")
    print(f"{'case':<9}{'scrypt/request':>16}{'median ms':>12}{'ratio to new':>14}  answer")
    for name, values in samples.items():
        ratio = statistics.median(ratios[name]) if name in ratios else 1.0
        count = ",".join(str(c) for c in sorted(counts[name]))
        answer = ",".join(str(a) for a in answers[name])
        print(f"{name:<9}{count:>16}{statistics.median(values) * 1000:>12.1f}{ratio:>14.2f}  {answer}")


if __name__ == "__main__":
    main()
