"""``signed_in``: who is signed in, the account actions the server offers, Sign Out.

Actions without inputs (add a passkey, manage passkeys, set up an
authenticator app) are buttons; actions with inputs (set up email codes with
its address, the preferred MFA method) follow them as captioned, bordered
sub-forms, so an input never stands alone in the list.
"""

from __future__ import annotations

from nicegui import ui

from ....state_machine import Msg
from ..form_view import ButtonStyle
from .kit import ScreenContext, banners, heading, signed_in_as, subform


def render(ctx: ScreenContext) -> None:
    screen = ctx.screen
    heading(ctx)
    banners(ctx)
    signed_in_as(ctx)
    account = screen.secondary
    if account:
        ui.label(ctx.t(Msg("section.account"))).classes("na-section-title")
        for form in account:
            if not form.visible_fields:
                ctx.form_view(form, ButtonStyle.SECONDARY)
        for form in account:
            if form.visible_fields:
                subform(ctx, form)
    if screen.primary is not None:
        ctx.form_view(screen.primary, ButtonStyle.PRIMARY, icon="logout")
