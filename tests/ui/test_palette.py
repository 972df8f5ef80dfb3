"""The contrast math and the brand palette (pure: no NiceGUI, no browser)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nicegui_authenticator.ui.components.palette import (
    DARK_ON_BRAND,
    DARK_SURFACE,
    DEFAULT_BRAND,
    LIGHT_TINT,
    TEXT_CONTRAST,
    WHITE,
    brand_palette,
    contrast_ratio,
    dark_backgrounds,
    light_backgrounds,
    parse_hex,
    relative_luminance,
    to_hex,
)
from nicegui_authenticator.ui.components.theme import brand_style


def test_contrast_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio((0, 0, 0), WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    # NiceGUI's default primary, as axe-core measured it on the page: 3.06:1.
    assert contrast_ratio(parse_hex("#5898d4") or WHITE, WHITE) == pytest.approx(3.06, abs=0.01)
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)


@pytest.mark.parametrize(
    ("text", "rgb"),
    [
        ("#fff", (255, 255, 255)),
        ("#0f766e", (15, 118, 110)),
        ("#0F766EFF", (15, 118, 110)),
        ("abc", (170, 187, 204)),
    ],
)
def test_hex_colours_parse(text: str, rgb: tuple[int, int, int]) -> None:
    assert parse_hex(text) == rgb


@pytest.mark.parametrize("text", ["teal", "#12345", "rgb(1,2,3)", ""])
def test_anything_else_is_not_hex(text: str) -> None:
    assert parse_hex(text) is None


def test_the_default_brand_meets_aa_in_both_schemes_unchanged() -> None:
    palette = brand_palette()
    assert palette.light == DEFAULT_BRAND and palette.warnings == ()
    light, dark = parse_hex(palette.light), parse_hex(palette.dark)
    assert light is not None and dark is not None
    assert contrast_ratio(light, WHITE) >= TEXT_CONTRAST
    assert contrast_ratio(light, LIGHT_TINT) >= TEXT_CONTRAST
    assert contrast_ratio(dark, DARK_SURFACE) >= TEXT_CONTRAST
    assert contrast_ratio(dark, DARK_ON_BRAND) >= TEXT_CONTRAST


def test_a_pale_brand_is_darkened_for_the_light_card_with_a_warning() -> None:
    palette = brand_palette("#5898d4")
    adjusted = parse_hex(palette.light)
    assert adjusted is not None and palette.light != "#5898d4"
    assert contrast_ratio(adjusted, WHITE) >= TEXT_CONTRAST
    assert any("3.06:1" in warning for warning in palette.warnings)


def test_a_dark_brand_is_lightened_for_the_dark_card_silently() -> None:
    palette = brand_palette("#0b3d91")
    assert palette.light == "#0b3d91"
    dark = parse_hex(palette.dark)
    assert dark is not None and contrast_ratio(dark, DARK_SURFACE) >= TEXT_CONTRAST
    assert palette.warnings == ()  # deriving the dark variant is the design, not a fault of the colour


def test_a_colour_name_cannot_be_measured_and_says_so() -> None:
    palette = brand_palette("teal")
    assert palette.light == "teal"
    assert palette.dark == brand_palette().dark
    assert palette.warnings and "#rrggbb" in palette.warnings[0]


@given(st.tuples(*(st.integers(0, 255),) * 3))
def test_every_hex_brand_comes_out_readable(rgb: tuple[int, int, int]) -> None:
    palette = brand_palette(to_hex(rgb))
    light, dark = parse_hex(palette.light), parse_hex(palette.dark)
    assert light is not None and dark is not None
    assert min(contrast_ratio(light, WHITE), contrast_ratio(light, LIGHT_TINT)) >= TEXT_CONTRAST
    assert min(contrast_ratio(dark, DARK_SURFACE), contrast_ratio(dark, DARK_ON_BRAND)) >= TEXT_CONTRAST
    assert all(contrast_ratio(light, bg) >= TEXT_CONTRAST for bg in light_backgrounds(light))
    assert all(contrast_ratio(dark, bg) >= TEXT_CONTRAST for bg in dark_backgrounds(dark))


def test_a_readable_brand_is_kept_as_given() -> None:
    assert brand_palette("#0f766e").light == "#0f766e"
    assert brand_palette("#0f766e").warnings == ()


def test_brand_style_sets_both_variables_and_logs_the_adjustment(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        style = brand_style("#5898d4")
    palette = brand_palette("#5898d4")
    assert style == f"--na-brand-color: {palette.light}; --na-brand-color-dark: {palette.dark}"
    assert "WCAG" in caplog.text


def test_the_stylesheet_defaults_are_the_default_palette() -> None:
    """The CSS fallbacks (an embedded card with no brand set) are what the palette computes."""
    css = (Path(__file__).resolve().parents[2] / "assets" / "authenticator.css").read_text()
    palette = brand_palette()
    assert f"--na-color-brand: var(--na-brand-color, {palette.light});" in css
    assert f"--na-color-brand: var(--na-brand-color-dark, {palette.dark});" in css
