"""The Authenticator's look: one stylesheet, added once per page.

Styles live in ``assets/authenticator.css`` (class names prefixed ``na-``) so a
host app can restyle the card with ordinary CSS; Quasar props handle the rest.
Every colour there is a custom property with a light and a dark value (the
comment block at the top of the stylesheet lists them); :func:`brand_style`
and :func:`theme_style` set the two brand inputs from a colour a host chose,
after :func:`.palette.brand_palette` made them readable.
"""

from __future__ import annotations

import logging
from importlib import resources
from typing import Final

from nicegui import app, ui

from .palette import BrandPalette, brand_palette
from .theme_tokens import Theme

log = logging.getLogger(__name__)

_CSS: Final = (resources.files("nicegui_authenticator.assets") / "authenticator.css").read_text()
_FLAG: Final = "nicegui_authenticator.css_added"


def ensure_styles() -> None:
    """Add the stylesheet to the current page unless an earlier element did."""
    storage = app.storage.client
    if storage.get(_FLAG):
        return
    storage[_FLAG] = True
    ui.add_css(_CSS)


def brand_style(color: str) -> str:
    """Inline style setting ``--na-brand-color`` and ``--na-brand-color-dark`` from ``color``.

    A colour with too little contrast is adjusted and the change logged as a
    warning, once per call (a host's page function calls it once per visit;
    ``serve`` checks its colour once at start and passes the adjusted one).
    """
    palette = brand_palette(color)
    _report(palette)
    return f"--na-brand-color: {palette.light}; --na-brand-color-dark: {palette.dark}"


def theme_style(theme: Theme) -> str:
    """Inline style setting ``theme``'s tokens, its brand made readable like :func:`brand_style`'s."""
    palette = theme.palette()
    if palette is not None:
        _report(palette)
    return theme.css_declarations()


def _report(palette: BrandPalette) -> None:
    for warning in palette.warnings:
        log.warning("%s", warning)
