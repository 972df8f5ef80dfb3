"""What the state machine costs per reply, next to what parsing that reply costs.

For each representative recorded reply this prints, in µs per operation
(median of several timeit repeats, measured in the same run):

* parse:   ``json.loads`` + ``AuthState.model_validate`` of the reply's JSON text,
           the least any client must do with a reply;
* machine: ``classify_screen`` + one transition (``ServerReplied`` on a machine
           waiting for that reply) + building the screen the shell renders;

and the ratio machine / parse. Run: ``python bench/machine.py`` (a few seconds).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nicegui_authenticator.state_machine import (
    AuthMachine,
    AuthState,
    ServerReplied,
    Start,
    Submit,
    classify_screen,
)

FIXTURES = Path(
    os.environ.get(
        "NICEGUI_AUTH_FIXTURES", Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "aws-blocks"
    )
)
REPEATS = 9
TARGET_SECONDS = 0.05  # per side and repeat

# (label, fixture file, step, how the machine got to wait for it)
CASES = [
    ("signedOut base (4 forms)", "cognito_req_totp_setup_signin.jsonl", 1, "start"),
    ("confirmSignIn email code", "cognito_opt_signup_autosignin_email_mfa.jsonl", 7, "start"),
    ("totpSetup challenge", "cognito_req_totp_setup_signin.jsonl", 5, "start"),
    ("passkey list (signedIn)", "cognito_req_passkey_register_list_delete.jsonl", 4, "start"),
    ("signIn error -> signedOut", "cognito_opt_signup_autosignin_email_mfa.jsonl", 15, "sign_in"),
]


def _result(file: str, step: int) -> dict[str, Any]:
    for line in (FIXTURES / file).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["step"] == step:
            result = record["response"]["body"]["result"]
            assert isinstance(result, dict)
            return result
    raise KeyError((file, step))


def _waiting(how: str, base: AuthState) -> AuthMachine:
    """A machine with one call pending, ready for the reply."""
    machine, _ = AuthMachine().handle(Start())
    if how == "sign_in":
        machine, _ = machine.handle(ServerReplied(base))
        machine, _ = machine.handle(Submit({"username": "carol", "password": "Wrong-Passw0rd!"}))
    return machine


def _paired_us(first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float, float]:
    """Median µs/op of each, and the median of their per-repeat ratios.

    The two are timed alternately within every repeat, so a neighbour stealing
    the CPU for a moment slows both sides of the ratio alike.
    """
    timers = timeit.Timer(first), timeit.Timer(second)
    numbers = []
    for timer in timers:
        calibration = timer.timeit(number=50) / 50
        numbers.append(max(1, int(TARGET_SECONDS / max(calibration, 1e-9))))
    first_us: list[float] = []
    second_us: list[float] = []
    for _ in range(REPEATS):
        first_us.append(timers[0].timeit(number=numbers[0]) / numbers[0] * 1e6)
        second_us.append(timers[1].timeit(number=numbers[1]) / numbers[1] * 1e6)
    ratios = [b / a for a, b in zip(first_us, second_us, strict=True)]
    return statistics.median(first_us), statistics.median(second_us), statistics.median(ratios)


def main() -> int:
    base = AuthState.model_validate(_result("cognito_opt_signup_autosignin_email_mfa.jsonl", 1))
    rows = []
    for label, file, step, how in CASES:
        text = json.dumps(_result(file, step))
        state = AuthState.model_validate(json.loads(text))
        waiting = _waiting(how, base)
        event = ServerReplied(state)

        def parse(text: str = text) -> AuthState:
            return AuthState.model_validate(json.loads(text))

        def machine_op(
            waiting: AuthMachine = waiting, event: ServerReplied = event, state: AuthState = state
        ) -> object:
            classify_screen(state)
            machine, _ = waiting.handle(event)
            return machine.screen

        parse_us, machine_us, ratio = _paired_us(parse, machine_op)
        rows.append((label, len(text), parse_us, machine_us, ratio))

    print(f"{'reply':28} {'bytes':>6} {'parse µs':>9} {'machine µs':>11} {'ratio':>6}")
    for label, size, parse_us, machine_us, ratio in rows:
        print(f"{label:28} {size:6d} {parse_us:9.1f} {machine_us:11.1f} {ratio:6.2f}")
    ratios = [row[4] for row in rows]
    print(f"median ratio machine/parse: {statistics.median(ratios):.2f} (max {max(ratios):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
