"""``setup_totp``: scan a QR code (or type the secret), then enter the first code.

The QR image is generated here from the otpauth URI the machine built (issuer
from the Authenticator, username it knows) and shown as an ``<img>`` of our
own SVG. The secret is shown as plain monospace text in blocks of four
(``64A4 CJN2 COYX …``, lines break only between blocks; authenticator apps
accept it typed with or without the spaces) and the copy button copies it
without spaces.
"""

from __future__ import annotations

from typing import Final

from nicegui import ui

from ....state_machine import Msg
from ..hooks import hook
from ..qr import qr_data_url
from .kit import (
    ScreenContext,
    back_to_account,
    banners,
    heading,
    hint,
    links,
    primary,
    secondary,
    signed_in_as,
)

_BLOCK: Final = 4


def compact_secret(secret: str) -> str:
    """The secret without any whitespace (some servers send it grouped already)."""
    return "".join(secret.split())


def grouped_secret(secret: str) -> str:
    """``64A4 CJN2 COYX …``: the secret in blocks of four, for reading and typing."""
    compact = compact_secret(secret)
    return " ".join(compact[i : i + _BLOCK] for i in range(0, len(compact), _BLOCK))


def _qr(ctx: ScreenContext, uri: str) -> None:
    with ui.element("div").classes("na-qr"):
        image = ui.element("img")
        image.props["src"] = qr_data_url(uri)
        image.props["alt"] = ctx.t(Msg("totp.qr_alt"))
        image.props["width"] = "200"
        image.props["height"] = "200"
        hook(image, "authenticator-totp-qr")


def _secret(ctx: ScreenContext, secret: str) -> None:
    ui.label(ctx.t(Msg("totp.secret_label"))).classes("na-section-title")
    compact = compact_secret(secret)
    with ui.element("div").classes("na-secret"):
        hook(ui.label(grouped_secret(compact)).classes("na-secret-text"), "authenticator-totp-secret")
        copy = ui.button(icon="content_copy", on_click=lambda: ctx.on_copy(compact))
        copy.props("flat round dense color=primary").tooltip(ctx.t(Msg("action.copy")))
        copy.props["aria-label"] = ctx.t(Msg("action.copy"))
        hook(copy, "authenticator-totp-copy")


def render(ctx: ScreenContext) -> None:
    screen = ctx.screen
    heading(ctx)
    signed_in_as(ctx)
    hint(ctx)
    banners(ctx)
    if screen.totp_uri:
        _qr(ctx, screen.totp_uri)
    if screen.totp_secret:
        _secret(ctx, screen.totp_secret)
    primary(ctx)
    secondary(ctx)
    links(ctx)
    back_to_account(ctx)
