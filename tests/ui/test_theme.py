"""Design tokens: every one is a CSS custom property, themes set them, the brand derives its shades."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.authenticator import Authenticator
from nicegui_authenticator.ui.components.palette import (
    DARK_SURFACE,
    WHITE,
    brand_palette,
    contrast_ratio,
    parse_hex,
)
from nicegui_authenticator.ui.components.theme_tokens import DERIVED, TOKENS, Theme, load_theme
from nicegui_authenticator.ui.hosted.cli import build_parser
from nicegui_authenticator.ui.hosted.command import UsageError, plan_from_args
from nicegui_authenticator.ui.hosted.config import HostedConfig
from nicegui_authenticator.ui.hosted.pages import add_hosted_pages
from test_account_menu_support import in_process_client, reference_backend
from test_authenticator_support import CannedBackend, root, signed_out, wait_for_screen

ROOT = Path(__file__).resolve().parents[2]
CSS = (ROOT / "assets" / "authenticator.css").read_text(encoding="utf-8")
THEMES = ROOT / "examples" / "themes"


def _declared_defaults() -> dict[str, str]:
    """The light token block's values; a colour a theme may set reads as ``var(--na-light-<token>, default)``."""
    block = re.search(r"\.na-root, \.na-account-menu-modal[^{]*\{(?P<body>[^}]*)\}", CSS)
    assert block is not None
    declared = dict(re.findall(r"--na-([\w-]+):\s*([^;]+);", block["body"]))
    for token, value in declared.items():
        theme_input = re.fullmatch(rf"var\(--na-light-{token}, (?P<default>[^)]+)\)", value)
        declared[token] = theme_input["default"] if theme_input else value
    return declared


def test_every_token_is_declared_in_the_stylesheet_with_its_default() -> None:
    declared = _declared_defaults()
    assert declared == {**{t: d for t, (_, d) in TOKENS.items()}, **DERIVED}


def test_the_stylesheet_uses_tokens_not_literal_colours_or_radii() -> None:
    dark_tokens = CSS.index(".body--dark .na-root, .body--dark .na-account-menu-modal")
    rules = CSS[CSS.index("}", dark_tokens) + 1 :]  # everything after the light and dark token blocks
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", rules) == []
    assert re.findall(r"border-radius:\s*[0-9.]+(?:rem|px)", rules) == []
    used = set(re.findall(r"var\(--na-([\w-]+)\)", rules))
    assert used >= set(TOKENS) - {"color-background"} and used >= set(DERIVED)


def _hex_contrast(first: str, second: tuple[int, int, int]) -> float:
    rgb = parse_hex(first)
    assert rgb is not None
    return contrast_ratio(rgb, second)


@pytest.mark.parametrize(
    "brand", ["#1d4ed8", "#166534", "#f5b301", "#ffffff", "#000000", "#808080", "#5898d4"]
)
def test_a_theme_brand_reads_on_the_light_and_the_dark_card(brand: str) -> None:
    """The theme's brand goes through the palette: white text on it and it on white (light card),
    it on the dark card; the stylesheet derives hover, pressed and focus from it per scheme."""
    css = Theme.from_mapping({"color-brand": brand}).css_declarations()
    light = re.search(r"--na-brand-color: (#[0-9a-f]{6});", css)
    dark = re.search(r"--na-brand-color-dark: (#[0-9a-f]{6});", css)
    assert light is not None and dark is not None
    assert _hex_contrast(light[1], WHITE) >= 4.5
    assert _hex_contrast(dark[1], DARK_SURFACE) >= 4.5


def test_a_yellow_brand_is_darkened_for_white_text_and_a_green_one_kept() -> None:
    sunrise = brand_palette("#f5b301")
    assert sunrise.light != "#f5b301" and sunrise.warnings  # yellow links would not read on white
    assert brand_palette("#166534").light == "#166534" and brand_palette("#166534").warnings == ()
    assert contrast_ratio((0, 0, 0), WHITE) == pytest.approx(21.0)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"colour-brand": "#fff"}, "unknown theme token"),
        ({"color-brand": "red; } body { display: none"}, "not a color"),
        ({"color-brand": "teal"}, "not a color"),
        ({"radius-card": "1rem; x"}, "not a length"),
        ({"font-family": "x; } * { color: red"}, "not a font"),
        ({"space-gap": 4}, "needs a string"),
    ],
)
def test_values_that_are_not_what_the_token_takes_are_refused(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Theme.from_mapping(values)


def test_a_theme_declares_what_it_sets_and_the_brand_its_two_variants() -> None:
    theme = Theme.from_mapping({"color-brand": "#166534", "radius-card": "0", "color-on-brand": "#fefefe"})
    css = theme.css_declarations()
    assert "--na-color-on-brand: #fefefe;" in css  # set explicitly: kept over the derivation
    assert "--na-color-brand-hover" not in css  # derived by the stylesheet, per scheme
    palette = brand_palette("#166534")
    assert f"--na-brand-color: {palette.light};" in css and f"--na-brand-color-dark: {palette.dark};" in css
    assert "--na-radius-card: 0;" in css
    assert Theme.from_mapping({"radius-card": "0"}).css_declarations() == "--na-radius-card: 0;"


def test_a_themes_colours_are_per_scheme_inputs() -> None:
    """A colour picked for the light card never lands on the dark one (forest's dark green text did)."""
    theme = Theme.from_mapping({"color-text": "#14281d", "dark": {"color-text": "#e8f0ea"}})
    assert theme.css_declarations() == "--na-light-color-text: #14281d; --na-dark-color-text: #e8f0ea;"
    for token in (t for t, (kind, _) in TOKENS.items() if kind == "color" and t != "color-brand"):
        assert (
            f"--na-{token}: var(--na-light-{token}, " in CSS
            and f"--na-{token}: var(--na-dark-{token}, " in CSS
        )
    with pytest.raises(ValueError, match="not a colour token"):
        Theme.from_mapping({"dark": {"radius-card": "0"}})
    with pytest.raises(ValueError, match="not a colour token"):
        Theme.from_mapping({"dark": {"color-brand": "#ffffff"}})


def test_the_example_themes_load(tmp_path: Path) -> None:
    forest = load_theme(THEMES / "forest.toml")
    sunrise = load_theme(THEMES / "sunrise.json")
    assert forest.values["color-brand"] == "#166534" and sunrise.values["radius-card"] == "1.25rem"
    broken = tmp_path / "broken.toml"
    broken.write_text('color-brand = "#12"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="not a color"):
        load_theme(broken)
    (tmp_path / "list.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a table"):
        load_theme(tmp_path / "list.json")


async def test_the_element_carries_its_theme(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(signed_out())), theme={"color-brand": "#f5b301"})

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    style = root(user).style
    palette = brand_palette("#f5b301")  # too light for white text or links: darkened, with a warning
    assert style["--na-brand-color"] == palette.light and style["--na-brand-color-dark"] == palette.dark


async def test_without_a_theme_the_element_sets_no_tokens(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(signed_out())))

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert not any(name.startswith("--") for name in root(user).style)


async def test_the_hosted_page_themes_card_and_page(user: User, tmp_path: Path) -> None:
    theme = load_theme(THEMES / "forest.toml")
    add_hosted_pages(in_process_client(reference_backend(tmp_path)), HostedConfig(theme=theme))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert root(user).style["--na-radius-card"] == "0"
    (main,) = [e for e in user.client.elements.values() if "na-hosted-main" in e.classes]
    assert main.style["--na-light-color-background"] == "#ecf3ee"  # the light page's; dark keeps its own


def _parse(*args: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *args])


def test_serve_theme_option(tmp_path: Path) -> None:
    plan = plan_from_args(_parse("--data-dir", str(tmp_path), "--theme", str(THEMES / "sunrise.json")))
    assert plan.config.theme is not None and plan.config.theme.values["color-brand"] == "#f5b301"
    with pytest.raises(UsageError, match="--theme"):
        plan_from_args(_parse("--data-dir", str(tmp_path), "--theme", str(tmp_path / "missing.toml")))
    bad = tmp_path / "bad.json"
    bad.write_text('{"color-brand": "url(javascript:1)"}', encoding="utf-8")
    with pytest.raises(UsageError, match="not a color"):
        plan_from_args(_parse("--data-dir", str(tmp_path), "--theme", str(bad)))
