"""``enter_password``: the password leg of choice-based sign-in."""

from __future__ import annotations

from .kit import ScreenContext, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
