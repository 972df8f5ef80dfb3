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
from nicegui_authenticator.ui.components.theme_tokens import (
    DERIVED,
    TOKENS,
    Theme,
    brand_shades,
    contrast_ratio,
    load_theme,
    relative_luminance,
)
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
    block = re.search(r"\.na-root \{(?P<body>[^}]*)\}", CSS)
    assert block is not None
    return dict(re.findall(r"--na-([\w-]+):\s*([^;]+);", block["body"]))


def test_every_token_is_declared_in_the_stylesheet_with_its_default() -> None:
    declared = _declared_defaults()
    assert declared == {**{t: d for t, (_, d) in TOKENS.items()}, **DERIVED}


def test_the_stylesheet_uses_tokens_not_literal_colours_or_radii() -> None:
    rules = CSS[CSS.index("}") + 1 :]  # everything after the token block
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", rules) == []
    assert re.findall(r"border-radius:\s*[0-9.]+(?:rem|px)", rules) == []
    used = set(re.findall(r"var\(--na-([\w-]+)\)", rules))
    assert used >= set(TOKENS) - {"color-background"} and used >= set(DERIVED)


@pytest.mark.parametrize(
    "brand", ["#1d4ed8", "#166534", "#f5b301", "#ffffff", "#000000", "#808080", "#5898d4"]
)
def test_the_brand_derives_visible_shades_and_the_more_legible_text(brand: str) -> None:
    shades = brand_shades(brand)
    assert (
        shades["color-brand-hover"] != brand and shades["color-brand-active"] != shades["color-brand-hover"]
    )
    # hover and pressed move the same way, pressed further
    step = relative_luminance(shades["color-brand-hover"]) - relative_luminance(brand)
    further = relative_luminance(shades["color-brand-active"]) - relative_luminance(brand)
    assert abs(further) > abs(step) > 0 and step * further > 0
    on_brand = shades["color-on-brand"]
    other = "#111111" if on_brand == "#ffffff" else "#ffffff"
    assert contrast_ratio(brand, on_brand) >= contrast_ratio(brand, other)
    assert shades["color-brand-focus"].startswith("rgba(")
    assert contrast_ratio(shades["color-brand-text"], "#ffffff") >= 4.5


def test_a_yellow_brand_gets_dark_text_and_a_blue_one_white() -> None:
    assert brand_shades("#f5b301")["color-on-brand"] == "#111111"
    assert brand_shades("#f5b301")["color-brand-text"] != "#f5b301"  # yellow links would not read on white
    assert brand_shades("#166534")["color-brand-text"] == "#166534"
    assert brand_shades("#1d4ed8")["color-on-brand"] == "#ffffff"
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)


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


def test_a_theme_declares_what_it_sets_and_the_brand_its_shades() -> None:
    theme = Theme.from_mapping({"color-brand": "#166534", "radius-card": "0", "color-on-brand": "#fefefe"})
    declared = theme.declared()
    assert declared["color-on-brand"] == "#fefefe"  # set explicitly: kept over the derivation
    assert declared["color-brand-hover"] == brand_shades("#166534")["color-brand-hover"]
    css = theme.css_declarations()
    assert "--na-radius-card: 0;" in css and "--q-primary: #166534;" in css
    assert Theme.from_mapping({"radius-card": "0"}).css_declarations() == "--na-radius-card: 0;"


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
    assert style["--na-color-brand"] == "#f5b301" and style["--q-primary"] == "#f5b301"
    assert style["--na-color-on-brand"] == "#111111"


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
    assert main.style["--na-color-background"] == "#ecf3ee"


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
