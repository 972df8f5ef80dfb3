"""The element's design tokens: names, defaults, checking, and shades derived from the brand colour.

Every colour, radius, spacing and font of the Authenticator is a CSS custom
property ``--na-<token>`` (``assets/authenticator.css`` reads only these), so a
brand restyles the whole element by setting a few of them: from Python
(``Authenticator(theme={...})``) or from a small JSON or TOML file (``serve
--theme FILE``). Values are checked here because they are written into the
page's CSS: a value that is not a colour, a length or a font list is refused.

The brand colour alone decides its hover, pressed and focus shades and the
text colour on it (black or white, whichever contrasts more by WCAG 2's
relative luminance), so a theme need not, and usually should not, set them.

No NiceGUI import: the command line checks a theme file before NiceGUI loads.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final

COLOR: Final = "color"
LENGTH: Final = "length"
FONT: Final = "font"

# token -> (kind, default). The defaults are the element's look without a theme.
TOKENS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        # Without a theme the brand is the page's Quasar primary (``ui.colors(primary=...)``).
        "color-brand": (COLOR, "var(--q-primary)"),
        "color-text": (COLOR, "#111827"),
        "color-text-muted": (COLOR, "#4b5563"),
        "color-text-subtle": (COLOR, "#6b7280"),
        "color-background": (COLOR, "#f3f4f6"),
        "color-surface": (COLOR, "#ffffff"),
        "color-surface-muted": (COLOR, "#f3f4f6"),
        "color-border": (COLOR, "#e5e7eb"),
        "color-error": (COLOR, "#8a1c14"),
        "color-error-surface": (COLOR, "#fdecea"),
        "color-error-border": (COLOR, "#f5c2bd"),
        "color-field-error": (COLOR, "#c10015"),
        "color-notice": (COLOR, "#0b4a8b"),
        "color-notice-surface": (COLOR, "#e8f1fd"),
        "color-notice-border": (COLOR, "#bcd6f7"),
        "color-success": (COLOR, "#1b7f3b"),
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
# Derived from color-brand: in CSS (color-mix) for any brand, and here when a theme sets the
# brand (then also the text colour on it, which CSS cannot choose). A theme may still set them.
DERIVED: Final[Mapping[str, str]] = MappingProxyType(
    {
        "color-brand-hover": "color-mix(in srgb, var(--na-color-brand) 88%, black)",
        "color-brand-active": "color-mix(in srgb, var(--na-color-brand) 76%, black)",
        "color-brand-focus": "color-mix(in srgb, var(--na-color-brand) 40%, transparent)",
        "color-on-brand": "#ffffff",
        "color-brand-text": "var(--na-color-brand)",
    }
)

_HEX: Final = re.compile(r"#(?P<hex>[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LENGTH: Final = re.compile(r"0|-?(?:\d+|\d*\.\d+)(?:px|rem|em|%|vw|vh|ch)")
_FONT: Final = re.compile(r"[A-Za-z0-9 ,'\"_-]{1,200}")


def _rgb(color: str) -> tuple[int, int, int]:
    match = _HEX.fullmatch(color)
    if match is None:
        raise ValueError(f"not a #rgb or #rrggbb colour: {color!r}")
    digits = match["hex"] if len(match["hex"]) == 6 else "".join(c * 2 for c in match["hex"])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0), 255)):02x}" for c in rgb)


def _mix(color: str, other: str, amount: float) -> str:
    """``color`` moved ``amount`` (0..1) of the way towards ``other``."""
    a, b = _rgb(color), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black .. 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 .. 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def brand_shades(brand: str) -> dict[str, str]:
    """Hover, pressed and focus shades of ``brand``, the more legible of black or white text on it,
    and the brand as text on a white card (links, tabs): darkened until it reads (WCAG AA, 4.5:1).

    A light brand darkens on hover and press, a dark one lightens, so the change
    is visible either way; the focus ring is the brand at 40% opacity.
    """
    on_brand = (
        "#ffffff" if contrast_ratio(brand, "#ffffff") >= contrast_ratio(brand, "#111111") else "#111111"
    )
    towards = "#000000" if relative_luminance(brand) > 0.08 else "#ffffff"
    r, g, b = _rgb(brand)
    return {
        "color-brand-hover": _mix(brand, towards, 0.12),
        "color-brand-active": _mix(brand, towards, 0.24),
        "color-brand-focus": f"rgba({r}, {g}, {b}, 0.4)",
        "color-on-brand": on_brand,
        "color-brand-text": _readable_on_white(brand),
    }


def _readable_on_white(color: str) -> str:
    """``color``, or the first 5% step towards black that reaches 4.5:1 against white."""
    for step in range(21):
        shade = _mix(color, "#000000", step / 20)
        if contrast_ratio(shade, "#ffffff") >= 4.5:
            return shade
    return "#000000"


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

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Theme:
        """A theme from ``{"color-brand": "#0f766e", ...}``; ValueError names a bad token or value."""
        return cls(MappingProxyType({token: _check(token, value) for token, value in values.items()}))

    def declared(self) -> dict[str, str]:
        """The tokens to set on the element: this theme's, and with a brand its shades (unless set)."""
        values = dict(self.values)
        brand = values.get("color-brand")
        if brand is not None:
            values = {**brand_shades(brand), **values}
        return values

    def css_declarations(self) -> str:
        """``--na-token: value;`` for what this theme sets; a brand also becomes Quasar's ``--q-primary``
        inside the element (fields' focus colour, tabs, links), leaving the rest of the page alone."""
        declared = self.declared()
        lines = [f"--na-{token}: {value};" for token, value in declared.items()]
        if "color-brand" in declared:
            lines.append(f"--q-primary: {declared['color-brand']};")
        return " ".join(lines)


def load_theme(path: Path) -> Theme:
    """A theme from a ``.json`` or ``.toml`` file of token names and values (ValueError if bad)."""
    text = path.read_text(encoding="utf-8")
    try:
        data: object = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a table of token names and values")
    return Theme.from_mapping(data)
