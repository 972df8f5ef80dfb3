"""``confirm_reset_password``: the reset code and the new password (rules live, confirmation)."""

from __future__ import annotations

from .kit import ScreenContext, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
