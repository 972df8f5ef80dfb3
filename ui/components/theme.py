"""The Authenticator's look: one stylesheet, added once per page.

Styles live in ``assets/authenticator.css`` (class names prefixed ``na-``) so a
host app can restyle the card with ordinary CSS; Quasar props handle the rest.
"""

from __future__ import annotations

from importlib import resources
from typing import Final

from nicegui import app, ui

_CSS: Final = (resources.files("nicegui_authenticator.assets") / "authenticator.css").read_text()
_FLAG: Final = "nicegui_authenticator.css_added"


def ensure_styles() -> None:
    """Add the stylesheet to the current page unless an earlier element did."""
    storage = app.storage.client
    if storage.get(_FLAG):
        return
    storage[_FLAG] = True
    ui.add_css(_CSS)
