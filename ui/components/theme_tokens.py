"""The element's design tokens: names, defaults, checking, and shades derived from the brand colour.

Every colour, radius, spacing and font of the Authenticator is a CSS custom
property ``--na-<token>`` (``assets/authenticator.css`` reads only these), so a
brand restyles the whole element by setting a few of them: from Python
(``Authenticator(theme={...})``) or from a small JSON or TOML file (``serve
--theme FILE``). Values are checked here because they are written into the
page's CSS: a value that is not a colour, a length or a font list is refused.

The brand colour alone decides its hover, pressed and focus shades (the
stylesheet derives them per colour scheme), so a theme need not, and usually
should not, set them. The brand itself goes through :func:`.palette.brand_palette`
first: it is darkened (light card) or lightened (dark card) just enough to
read, with a warning, so every contrast check lives in one module.

No NiceGUI import: the command line checks a theme file before NiceGUI loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final

from .palette import BrandPalette, brand_palette

COLOR: Final = "color"
LENGTH: Final = "length"
FONT: Final = "font"

# token -> (kind, default). The defaults are the element's look without a theme.
TOKENS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        # The brand for the current scheme: --na-brand-color (light) or --na-brand-color-dark (dark),
        # the inputs a theme's color-brand, brand_color= and --brand-color set after palette.py checked them.
        "color-brand": (COLOR, "var(--na-brand-color, #1f62b4)"),
        "color-text": (COLOR, "#111827"),
        "color-text-muted": (COLOR, "#4b5563"),
        "color-text-subtle": (COLOR, "#4b5563"),
        "color-background": (COLOR, "#f3f4f6"),
        "color-surface": (COLOR, "#ffffff"),
        "color-surface-muted": (COLOR, "#f3f4f6"),
        "color-border": (COLOR, "#d1d5db"),
        "color-error": (COLOR, "#8a1c14"),
        "color-error-surface": (COLOR, "#fdecea"),
        "color-error-border": (COLOR, "#f5c2bd"),
        "color-field-error": (COLOR, "#b00014"),
        "color-notice": (COLOR, "#0b4a8b"),
        "color-notice-surface": (COLOR, "#e8f1fd"),
        "color-notice-border": (COLOR, "#bcd6f7"),
        "color-success": (COLOR, "#1b7f3b"),
        # The filled button of a destructive action (white text on it), the same in both schemes.
        "color-danger": (COLOR, "#b00014"),
        "radius-card": (LENGTH, "0.5rem"),
        "radius-control": (LENGTH, "0.375rem"),
        "space-card-x": (LENGTH, "2rem"),
        "space-card-y": (LENGTH, "1.5rem"),
        "space-gap": (LENGTH, "1rem"),
        "width-card": (LENGTH, "28rem"),
        "font-family": (FONT, "inherit"),
        "font-family-mono": (FONT, "ui-monospace, SFMono-Regular, Menlo, monospace"),
        "font-size-heading": (LENGTH, "1.375rem"),
    }
)
# Derived from color-brand in the stylesheet, per scheme (the dark card lightens on hover and puts
# dark text on the brand; the light values are these). A theme may still set them.
DERIVED: Final[Mapping[str, str]] = MappingProxyType(
    {
        "color-brand-hover": "color-mix(in srgb, var(--na-color-brand) 88%, black)",
        "color-brand-active": "color-mix(in srgb, var(--na-color-brand) 76%, black)",
        "color-brand-focus": "var(--na-color-brand)",
        "color-on-brand": "#ffffff",
        "color-brand-text": "var(--na-color-brand)",
    }
)

_HEX: Final = re.compile(r"#(?P<hex>[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LENGTH: Final = re.compile(r"0|-?(?:\d+|\d*\.\d+)(?:px|rem|em|%|vw|vh|ch)")
_FONT: Final = re.compile(r"[A-Za-z0-9 ,'\"_-]{1,200}")


def _check(token: str, value: object) -> str:
    if token in DERIVED:
        kind = COLOR
    elif token in TOKENS:
        kind = TOKENS[token][0]
    else:
        raise ValueError(f"unknown theme token {token!r}; known: {', '.join([*TOKENS, *DERIVED])}")
    if not isinstance(value, str):
        raise ValueError(f"theme token {token!r} needs a string, not {value!r}")
    text = value.strip()
    pattern = {COLOR: _HEX, LENGTH: _LENGTH, FONT: _FONT}[kind]
    if token in DERIVED and text.startswith("rgba("):
        pattern = re.compile(r"rgba\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*(?:0|1|0?\.\d+)\s*\)")
    if not pattern.fullmatch(text):
        raise ValueError(f"theme token {token!r}: not a {kind}: {value!r}")
    return text


@dataclass(frozen=True)
class Theme:
    """The tokens a brand sets; everything else keeps its default."""

    values: Mapping[str, str] = field(default_factory=dict)
    dark: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Theme:
        """A theme from ``{"color-brand": "#0f766e", ..., "dark": {"color-text": "#e8f0ea"}}``.

        The colour tokens are the light card's; the optional ``dark`` table gives
        the dark card's (the brand's dark variant is derived, never set). ValueError
        names a bad token or value.
        """
        dark = values.get("dark", {})
        if not isinstance(dark, Mapping):
            raise ValueError(f"theme table 'dark' needs token names and colours, not {dark!r}")
        for token in dark:
            if TOKENS.get(token, (None,))[0] != COLOR or token == "color-brand":
                raise ValueError(
                    f"theme table 'dark': {token!r} is not a colour token a theme sets per scheme"
                )
        return cls(
            MappingProxyType(
                {token: _check(token, value) for token, value in values.items() if token != "dark"}
            ),
            MappingProxyType({token: _check(token, value) for token, value in dark.items()}),
        )

    def css_declarations(self) -> str:
        """``--na-token: value;`` for what this theme sets.

        The brand is the exception: it goes through :func:`.palette.brand_palette`
        (adjusted, with warnings, when it lacks contrast) into the stylesheet's two
        inputs ``--na-brand-color`` and ``--na-brand-color-dark``, so the light and
        the dark card each get a readable variant; the stylesheet derives hover,
        pressed, focus and the text on it per scheme. Shades the theme sets
        itself are kept (they then hold in both schemes). Every other colour is
        the light card's input (``--na-light-<token>``), the ``dark`` table's the
        dark card's (``--na-dark-<token>``).
        """
        lines = [
            f"--na-{self._input(token)}: {value};"
            for token, value in self.values.items()
            if token != "color-brand"
        ]
        lines += [f"--na-dark-{token}: {value};" for token, value in self.dark.items()]
        brand = self.values.get("color-brand")
        if brand is not None:
            palette = self.palette()
            assert palette is not None
            lines += [f"--na-brand-color: {palette.light};", f"--na-brand-color-dark: {palette.dark};"]
        return " ".join(lines)

    @staticmethod
    def _input(token: str) -> str:
        """Where the stylesheet reads ``token`` from a theme: colours as the light scheme's input."""
        return f"light-{token}" if token in TOKENS and TOKENS[token][0] == COLOR else token

    def palette(self) -> BrandPalette | None:
        """The readable light and dark variants of this theme's brand (None without one)."""
        brand = self.values.get("color-brand")
        return None if brand is None else brand_palette(brand)


def load_theme(path: Path) -> Theme:
    """A theme from a ``.json`` or ``.toml`` file of token names and values (ValueError if bad)."""
    import tomllib  # here, not at import: only ``--theme`` reads a file, and a start without one skips it

    text = path.read_text(encoding="utf-8")
    try:
        data: object = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a table of token names and values")
    return Theme.from_mapping(data)
