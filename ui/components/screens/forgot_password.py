"""``forgot_password``: ask for the username, send a reset code; back to sign in."""

from __future__ import annotations

from .kit import ScreenContext, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
