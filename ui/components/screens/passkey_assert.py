"""``passkey_assert``: one button that runs ``navigator.credentials.get``; back to sign in."""

from __future__ import annotations

from .kit import ScreenContext, banners, heading, hint, links, primary, secondary


def render(ctx: ScreenContext) -> None:
    heading(ctx)
    hint(ctx)
    banners(ctx)
    primary(ctx, icon="fingerprint")
    secondary(ctx)
    links(ctx)
