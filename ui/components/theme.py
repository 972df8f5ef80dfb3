"""The Authenticator's look: one stylesheet, added once per page.

Styles live in ``assets/authenticator.css`` (class names prefixed ``na-``) so a
host app can restyle the card with ordinary CSS; Quasar props handle the rest.
Every colour there is a custom property with a light and a dark value (the
comment block at the top of the stylesheet lists them); :func:`brand_style`
and :func:`theme_style` set the two brand inputs from a colour a host chose,
after :func:`.palette.brand_palette` made them readable.
"""

from __future__ import annotations

import hashlib
import html
import logging
from importlib import resources
from typing import Final
from urllib.parse import quote

from nicegui import app, ui

from .palette import BrandPalette, brand_palette
from .theme_tokens import Theme

log = logging.getLogger(__name__)

_ASSET: Final = resources.files("nicegui_authenticator.assets") / "authenticator.css"
_ROUTE: Final = "/_nicegui_authenticator/authenticator.css"
_VERSION: Final = hashlib.sha256(_ASSET.read_bytes()).hexdigest()[:12]
_FLAG: Final = "nicegui_authenticator.css_added"


def ensure_styles() -> None:
    """Link the stylesheet from the current page unless an earlier element did.

    A ``<link>`` to a file served once (versioned, so browsers cache it), not
    the sheet inlined into every page: the HTML of each visit stays 14 KB
    smaller, which is 14 KB less for the server to build and gzip per visit
    (issue 15). The link sits in the head, so the card is never drawn unstyled.
    """
    storage = app.storage.client
    if storage.get(_FLAG):
        return
    storage[_FLAG] = True
    if not any(getattr(route, "path", None) == _ROUTE for route in app.routes):
        with resources.as_file(_ASSET) as path:
            app.add_static_file(local_file=path, url_path=_ROUTE)
    href = html.escape(f"{_path_prefix()}{_ROUTE}?v={_VERSION}")
    ui.add_head_html(f'<link rel="stylesheet" href="{href}">')


def _path_prefix() -> str:
    """The prefix NiceGUI puts before its own asset URLs on this page (behind a proxy, under a root path)."""
    request = ui.context.client.request
    if request is None:
        return ""
    # The same characters NiceGUI keeps when it reflects the prefix into its <script src>.
    forwarded = quote(request.headers.get("X-Forwarded-Prefix", ""), safe="/:@!$&'()*+,;=%")
    return forwarded + str(request.scope.get("root_path", ""))


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
