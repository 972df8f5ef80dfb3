"""``passkey_sign_in``: the username whose passkey to use; the ceremony follows."""

from __future__ import annotations

from .kit import ScreenContext, banners, heading, hint, links, primary


def render(ctx: ScreenContext) -> None:
    heading(ctx)
    hint(ctx)
    banners(ctx)
    primary(ctx, icon="fingerprint")
    links(ctx)
