"""``sign_up``: tabs, the sign-up fields with password rules and confirmation, providers."""

from __future__ import annotations

from .kit import ScreenContext, banners, heading, primary, providers, tabs


def render(ctx: ScreenContext) -> None:
    tabs(ctx)
    heading(ctx)
    banners(ctx)
    primary(ctx)
    providers(ctx)
