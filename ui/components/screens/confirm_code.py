"""``confirm_code``: a one-time code (SMS, authenticator app or email; where it went)."""

from __future__ import annotations

from .kit import ScreenContext, back_to_account, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
    back_to_account(ctx)
