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
from auth_driver import AuthUI
from browser_harness import README_SCREENSHOTS, ROOT, SCREENSHOTS, ContextFactory, start_serve
from playwright.sync_api import expect

SHOTS = SCREENSHOTS / "themes"
UPDATE = os.environ.get("NICEGUI_AUTHENTICATOR_UPDATE_SCREENSHOTS") == "1"
MARGIN = 24

# theme file -> (brand as the browser reports it, text on the brand, card radius)
THEMES = {
    "forest.toml": ("rgb(22, 101, 52)", "rgb(255, 255, 255)", "0px"),
    "sunrise.json": ("rgb(245, 179, 1)", "rgb(17, 17, 17)", "20px"),
}


@pytest.mark.parametrize("theme", list(THEMES))
def test_an_example_theme_styles_the_card(new_context: ContextFactory, tmp_path: Path, theme: str) -> None:
    brand, on_brand, radius = THEMES[theme]
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
