"""Brand colours that stay readable: WCAG contrast math and the card's two palettes (pure, no NiceGUI).

The brand colour paints the primary button (white text on it), links, the
active tab and the focused field in the light scheme, and the same roles on a
dark card in the dark scheme (dark text on the button there). WCAG 2 AA asks
4.5:1 for text, and the focus ring needs 3:1 against what surrounds it. A
colour a host picks for its logo rarely meets both, so :func:`brand_palette`
moves it just far enough (towards black for the light card, towards white for
the dark one) and says what it changed, for the caller to log.

The formulas are WCAG 2.2's "relative luminance" and "contrast ratio"
definitions (sRGB, gamma-expanded channels).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

Rgb = tuple[int, int, int]

TEXT_CONTRAST: Final = 4.5  # WCAG 1.4.3, normal text
UI_CONTRAST: Final = 3.0  # WCAG 1.4.11, focus rings and control borders

WHITE: Final[Rgb] = (255, 255, 255)
# The card's background in each scheme and the text that sits on a brand-coloured button.
LIGHT_SURFACE: Final[Rgb] = (255, 255, 255)
DARK_SURFACE: Final[Rgb] = (0x1E, 0x23, 0x2B)
DARK_ON_BRAND: Final[Rgb] = (0x0B, 0x0F, 0x14)
# The light card's tinted backgrounds the brand colour also sits on (selected choice, notice).
LIGHT_TINT: Final[Rgb] = (0xEE, 0xF4, 0xFB)

# Default brand: a blue with 6.1:1 on white (NiceGUI's #5898d4 gives 3.06:1).
DEFAULT_BRAND: Final = "#1f62b4"

_HEX: Final = re.compile(r"#?([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def parse_hex(color: str) -> Rgb | None:
    """``#rgb``, ``#rgba``, ``#rrggbb`` or ``#rrggbbaa`` as (r, g, b); None for anything else (alpha ignored)."""
    match = _HEX.fullmatch(color.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) in (3, 4):
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: Rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: Rgb) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Rgb, b: Rgb) -> float:
    """From 1 (same luminance) to 21 (black on white); the order of the colours does not matter."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(color: Rgb, toward: Rgb, amount: float) -> Rgb:
    """``amount`` (0..1) of the way from ``color`` to ``toward``, per channel."""
    r, g, b = (round(c + (t - c) * amount) for c, t in zip(color, toward, strict=True))
    return r, g, b


def with_contrast(
    color: Rgb, toward: Rgb, against: Callable[[Rgb], tuple[Rgb, ...]], minimum: float = TEXT_CONTRAST
) -> Rgb:
    """``color`` moved towards ``toward`` in small steps until it has ``minimum`` against every
    background ``against(candidate)`` names (they may depend on the candidate: its own hover tint).

    The colour changes as little as it can, so the brand stays recognisable; at
    the end of the road (``toward`` itself) it is returned as is.
    """
    for step in range(101):
        candidate = mix(color, toward, step / 100)
        if all(contrast_ratio(candidate, other) >= minimum for other in against(candidate)):
            return candidate
    return toward


def light_backgrounds(brand: Rgb) -> tuple[Rgb, ...]:
    """What the brand sits on, or under, on the light card: white text on the filled button, the
    card, the selected choice's tint. (Quasar's own focus/hover tint of a tab or flat button, the
    brand at 15% over the card, is switched off in the stylesheet: #0f766e gave 4.41:1 on it.)"""
    return WHITE, LIGHT_SURFACE, LIGHT_TINT


def dark_backgrounds(brand: Rgb) -> tuple[Rgb, ...]:
    """The dark card and the dark text on the filled button."""
    return DARK_SURFACE, DARK_ON_BRAND


@dataclass(frozen=True)
class BrandPalette:
    """The brand colour for the light card and for the dark card, and what was adjusted."""

    light: str
    dark: str
    warnings: tuple[str, ...] = ()


def brand_palette(brand: str = DEFAULT_BRAND) -> BrandPalette:
    """Readable light and dark variants of ``brand`` (hex), with a warning when the light one changed.

    Light: white text on it and it as text on the white card and its tints, 4.5:1.
    Dark: it as text on the dark card and dark text on it, 4.5:1.
    A colour that is not hex (a CSS name) cannot be measured: it is kept for the
    light card, the default stands in on the dark one, and a warning says so.
    """
    rgb = parse_hex(brand)
    if rgb is None:
        default = brand_palette(DEFAULT_BRAND)
        return BrandPalette(
            light=brand,
            dark=default.dark,
            warnings=(
                f"brand colour {brand!r} is not a hex colour, so its contrast cannot be checked; "
                "give it as #rrggbb",
            ),
        )
    warnings: list[str] = []
    light = with_contrast(rgb, (0, 0, 0), light_backgrounds)
    if light != rgb:
        worst = min(contrast_ratio(rgb, background) for background in light_backgrounds(rgb))
        warnings.append(
            f"brand colour {to_hex(rgb)} has {contrast_ratio(rgb, WHITE):.2f}:1 against white and "
            f"{worst:.2f}:1 at worst where the light page uses it (white text on it, it as text on white "
            f"or the selected choice; WCAG AA asks {TEXT_CONTRAST}:1): using {to_hex(light)}"
        )
    # Derived, not reported: hardly any brand colour reads on both a white and a dark card.
    dark = with_contrast(rgb, WHITE, dark_backgrounds)
    return BrandPalette(light=to_hex(light), dark=to_hex(dark), warnings=tuple(warnings))
