"""``auto_sign_in``: transient; the machine submits the lone ``autoSignIn`` at once.

Only a second lone ``autoSignIn`` in a row stays on screen, as a Continue button.
"""

from __future__ import annotations

from nicegui import ui

from .kit import ScreenContext, banners, heading, links, primary


def render(ctx: ScreenContext) -> None:
    heading(ctx)
    banners(ctx)
    if ctx.screen.pending:
        with ui.element("div").classes("na-loading"):
            ui.spinner(size="lg")
    primary(ctx)
    links(ctx)
