"""``sign_in``: tabs, username and password, a username-less passkey button, the ways off, providers.

When the server offers the username-less passkey sign-in, a "Sign in with a
passkey" button runs it (the browser shows its passkey picker); the same
passkeys are offered in the username field's autofill meanwhile
(:mod:`..passkey_autofill`). Servers without it keep the username flow, behind
the "Sign in with a passkey" link.
"""

from __future__ import annotations

from ....state_machine import LinkKind
from .. import svg_icons
from ..form_view import ButtonStyle
from .kit import ScreenContext, banners, heading, links, primary, providers, tabs


def render(ctx: ScreenContext) -> None:
    tabs(ctx)
    heading(ctx)
    banners(ctx)
    primary(ctx)
    passkey = ctx.screen.username_less_passkey
    if passkey is not None:
        ctx.form_view(passkey, ButtonStyle.SECONDARY, icon=svg_icons.KEY)  # no icon font on this screen
    links(ctx, LinkKind.NAVIGATE)
    providers(ctx)
