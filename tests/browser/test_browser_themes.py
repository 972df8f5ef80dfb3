"""The two example themes on the hosted page, as Chromium draws them.

The computed styles prove the tokens reach the widgets (the filled button takes
the brand and the derived text colour, the card its radius); the screenshots go
to test-artifacts/screenshots/themes/, and to docs/screenshots/ for the README
when missing or on request (NICEGUI_AUTHENTICATOR_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from accessibility import assert_accessible
from auth_driver import AuthUI
from browser_harness import README_SCREENSHOTS, ROOT, SCREENSHOTS, ContextFactory, start_serve
from nicegui_authenticator.ui.components.palette import brand_palette, parse_hex
from playwright.sync_api import expect

SHOTS = SCREENSHOTS / "themes"
UPDATE = os.environ.get("NICEGUI_AUTHENTICATOR_UPDATE_SCREENSHOTS") == "1"
MARGIN = 24

# theme file -> (the theme's brand, text on the brand, card radius)
THEMES = {
    "forest.toml": ("#166534", "rgb(255, 255, 255)", "0px"),
    # Sunrise's yellow has 2.0:1 against white: as a link on the card it would not read, so the
    # palette darkens it (with a warning) and the button carries white text, like every brand.
    "sunrise.json": ("#f5b301", "rgb(255, 255, 255)", "20px"),
}


def _as_browser_reports(hex_colour: str) -> str:
    rgb = parse_hex(brand_palette(hex_colour).light)
    assert rgb is not None
    return "rgb({}, {}, {})".format(*rgb)


@pytest.mark.parametrize("theme", list(THEMES))
def test_an_example_theme_styles_the_card(new_context: ContextFactory, tmp_path: Path, theme: str) -> None:
    theme_brand, on_brand, radius = THEMES[theme]
    brand = _as_browser_reports(theme_brand)
    serve = start_serve(
        tmp_path, "--theme", str(ROOT / "examples" / "themes" / theme), "--title", "Acme Analytics",
        "--language", "en",
    )  # fmt: skip
    try:
        page = new_context(serve.base_url).new_page()
        auth = AuthUI(page)
        auth.open()
        button = auth.submit_button("signIn")
        expect(button).to_have_css("background-color", brand)
        expect(button).to_have_css("color", on_brand)
        card = page.locator(".na-card").first
        expect(card).to_have_css("border-top-left-radius", radius)
        assert_accessible(page, f"theme-{Path(theme).stem}")

        page.mouse.move(0, 0)
        page.wait_for_timeout(400)
        box = card.bounding_box()
        assert box is not None
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"{Path(theme).stem}.png"
        page.screenshot(
            path=str(shot),
            animations="disabled",
            caret="hide",
            clip={
                "x": max(box["x"] - MARGIN, 0),
                "y": max(box["y"] - MARGIN, 0),
                "width": box["width"] + 2 * MARGIN,
                "height": box["height"] + 2 * MARGIN,
            },
        )
        target = README_SCREENSHOTS / f"theme-{Path(theme).stem}.png"
        if UPDATE or not target.exists():
            shutil.copyfile(shot, target)
    finally:
        serve.process.stop()
