"""``sign_in``: tabs, username and password, the ways off (forgot password, passkey), providers."""

from __future__ import annotations

from ....state_machine import LinkKind
from .kit import ScreenContext, banners, heading, links, primary, providers, tabs


def render(ctx: ScreenContext) -> None:
    tabs(ctx)
    heading(ctx)
    banners(ctx)
    primary(ctx)
    links(ctx, LinkKind.NAVIGATE)
    providers(ctx)
