"""``new_password``: an admin-created user picks a password (rules live, confirmation)."""

from __future__ import annotations

from .kit import ScreenContext, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
