"""``loading``: nothing is known yet; the first getAuthState is in flight."""

from __future__ import annotations

from nicegui import ui

from .kit import ScreenContext, banners, heading


def render(ctx: ScreenContext) -> None:
    heading(ctx)
    banners(ctx)
    if ctx.screen.pending or ctx.screen.error is None:
        with ui.element("div").classes("na-loading"):
            ui.spinner(size="lg")
