"""The Resend cooldown counts down with the shell's clock (issue 12, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nicegui_authenticator.ui.components.resend_cooldown import ResendCooldown, is_resend
from nicegui_authenticator.ui.hosted.cli import build_parser
from nicegui_authenticator.ui.hosted.command import UsageError, plan_from_args


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_sent_code_makes_resend_wait_thirty_seconds_by_default() -> None:
    clock = Clock()
    cooldown = ResendCooldown(clock=clock)
    assert cooldown.remaining() == 0
    cooldown.start()
    assert cooldown.remaining() == 30
    clock.now += 29.2
    assert cooldown.remaining() == 1
    clock.now += 1
    assert cooldown.remaining() == 0


def test_only_resend_rows_of_the_action_table_wait() -> None:
    assert is_resend("resendSignUpCode")
    assert not is_resend("confirmSignUp") and not is_resend("signIn")


def test_every_resend_the_servers_offer_waits() -> None:
    for action in ("resendPasswordResetCode", "resendSignInCode", "resendEmailMfaSetupCode"):
        assert is_resend(action)
    assert not is_resend("useAnotherMfaMethod")


def test_serve_takes_the_wait_from_the_command_line(tmp_path: Path) -> None:
    def options(*args: str) -> dict[str, object]:
        ns = build_parser().parse_args(["serve", "--data-dir", str(tmp_path), *args])
        return dict(plan_from_args(ns).config.authenticator_options)

    assert "resend_cooldown" not in options()  # the Authenticator's default, 30 s
    assert options("--resend-cooldown", "5")["resend_cooldown"] == 5.0
    with pytest.raises(UsageError, match="--resend-cooldown"):
        options("--resend-cooldown", "-1")
