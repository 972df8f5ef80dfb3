"""``generic``: a state we do not know. Every action as a plain form, never a dead end."""

from __future__ import annotations

from nicegui import ui

from ....state_machine import FormRole
from ..form_view import ButtonStyle
from .kit import ScreenContext, banners, heading, links, signed_in_as

_STYLES = {
    FormRole.PRIMARY: ButtonStyle.PRIMARY,
    FormRole.SECONDARY: ButtonStyle.SECONDARY,
    FormRole.EXTERNAL: ButtonStyle.PROVIDER,
}


def render(ctx: ScreenContext) -> None:
    heading(ctx)
    signed_in_as(ctx)
    banners(ctx)
    for index, form in enumerate(ctx.screen.forms):
        with ui.element("div").classes("na-generic-action"):
            ctx.form_view(form, _STYLES[form.role], autofocus=index == 0)
    links(ctx)
