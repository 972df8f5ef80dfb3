"""How the hosted login page looks and where it may send people (no NiceGUI import).

Kept apart from :mod:`.pages` so the command line can check its options and
build the configuration before NiceGUI is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..components.theme_tokens import Theme
from .redirects import RedirectPolicy

# A CSS colour Quasar can take as its brand colour: hex, or a plain colour name.
# Anything else is refused: the value is written into the page's CSS.
_COLOR: Final = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z]{3,20}")


def check_brand_color(value: str) -> str:
    """``value`` if it is a hex colour or a colour name; ValueError otherwise."""
    if not _COLOR.fullmatch(value):
        raise ValueError(f"not a colour (use #rrggbb or a CSS colour name): {value!r}")
    return value


@dataclass(frozen=True)
class HostedConfig:
    """The hosted page's branding, TOTP issuer and redirect policy.

    ``dev_outbox`` is the path of the development outbox page; when set the
    page carries a development-mode banner linking to it. ``language`` forces
    one language; otherwise each browser gets its own among ``languages`` (all
    shipped ones by default) and a switcher offers them.
    """

    title: str | None = None
    logo: str | None = None
    brand_color: str | None = None
    issuer: str = "nicegui-authenticator"
    redirect_policy: RedirectPolicy = field(default_factory=RedirectPolicy)
    dev_outbox: str | None = None
    language: str | None = None
    languages: tuple[str, ...] | None = None
    theme: Theme | None = None
    authenticator_options: Mapping[str, Any] = field(default_factory=dict)
