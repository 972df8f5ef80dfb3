"""The Resend cooldown counts down with the shell's clock (issue 12, item 7)."""

from __future__ import annotations

from nicegui_authenticator.ui.components.resend_cooldown import ResendCooldown, is_resend


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
