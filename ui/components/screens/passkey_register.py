"""``passkey_register``: one button that runs ``navigator.credentials.create``."""

from __future__ import annotations

from .kit import ScreenContext, back_to_account, banners, heading, hint, primary, secondary, signed_in_as


def render(ctx: ScreenContext) -> None:
    heading(ctx)
    signed_in_as(ctx)
    hint(ctx)
    banners(ctx)
    primary(ctx, icon="fingerprint")
    secondary(ctx)
    back_to_account(ctx)
