"""``confirm_sign_up``: the emailed code, Resend Code as a secondary button, back to sign in."""

from __future__ import annotations

from .kit import ScreenContext, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
