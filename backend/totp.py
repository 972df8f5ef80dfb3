"""TOTP (RFC 6238) verification with one step of clock drift and no replays.

pyotp computes the codes; this module adds what pyotp leaves to the caller:
which time step matched, so the account can remember the last step used and
refuse the same code (or an older one) a second time. The AWS Blocks mock
accepts any six digits (``cognito_opt_totp_enroll_and_signin.jsonl`` step 11).

pyotp is imported on first use, not at the page server's start (issue 15).
"""

from __future__ import annotations

import hmac
from typing import Final

from .codes import CODE_PATTERN, normalise

STEP_SECONDS: Final = 30
DRIFT_STEPS: Final = 1


def new_secret() -> str:
    """A 160-bit base32 secret (32 characters), what authenticator apps expect."""
    import pyotp

    return pyotp.random_base32()


def matching_step(secret: str, code: str, now: float, after_step: int = 0) -> int | None:
    """The time step ``code`` is valid for (within one step of ``now``), if later than ``after_step``."""
    guess = normalise(code)
    if not CODE_PATTERN.fullmatch(guess):
        return None
    import pyotp

    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now // STEP_SECONDS)
    found: int | None = None
    # Check every candidate step (no early exit) so timing does not tell which one matched.
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), guess) and step > after_step:
            found = step
    return found
