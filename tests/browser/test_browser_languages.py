"""The hosted page in German, Arabic, Hebrew and Japanese, as Chromium shows it.

Each browser sends its own ``Accept-Language`` (Playwright's ``locale``); the
page must answer in that language without any configuration, right-to-left for
Arabic and Hebrew. Every run writes the screens to
test-artifacts/screenshots/languages/ to look at; the README's copies in
docs/screenshots/ are refreshed as the README set is (missing, or on request).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from auth_driver import AuthUI
from browser_harness import README_SCREENSHOTS, SCREENSHOTS, ContextFactory, Serve, start_serve, unique
from playwright.sync_api import Page, expect

SHOTS = SCREENSHOTS / "languages"
UPDATE = os.environ.get("NICEGUI_AUTHENTICATOR_UPDATE_SCREENSHOTS") == "1"
MARGIN = 24
PASSWORD = "Analytical-Engine1"

# locale -> (tag, direction, the sign-in heading, the signed-in line's prefix)
LANGUAGES = {
    "de-DE": ("de", "ltr", "Bei Ihrem Konto anmelden", "Angemeldet als: "),
    "ar-EG": ("ar", "rtl", "سجّل الدخول إلى حسابك", "تم تسجيل الدخول باسم: "),
    "he-IL": ("he", "rtl", "כניסה לחשבון", "החשבון המחובר: "),
    "ja-JP": ("ja", "ltr", "アカウントにサインイン", "サインイン中: "),
}
# Japanese is not in the set: Chromium needs a CJK font (fonts-noto-cjk) to draw it.
README_SET = {
    ("ar", "sign_in"),
    ("ar", "setup_totp"),
    ("de", "sign_up"),
    ("he", "signed_in"),
    ("he", "error"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = start_serve(
        tmp_path_factory.mktemp("languages"),
        "--mfa", "optional", "--mfa-types", "TOTP,EMAIL", "--sign-in-with", "username",
        "--title", "Acme Analytics",
    )  # fmt: skip
    yield serve
    serve.process.stop()


def card_shot(page: Page, name: str) -> Path:
    """The card and a margin of page around it, settled."""
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    box = page.locator(".na-card").first.bounding_box()
    assert box is not None
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(
        path=str(path),
        full_page=True,
        animations="disabled",
        caret="hide",
        clip={
            "x": max(box["x"] - MARGIN, 0),
            "y": max(box["y"] - MARGIN, 0),
            "width": box["width"] + 2 * MARGIN,
            "height": box["height"] + 2 * MARGIN,
        },
    )
    return path


def keep_for_readme(path: Path, tag: str, screen: str) -> None:
    if (tag, screen) not in README_SET:
        return
    target = README_SCREENSHOTS / f"language-{tag}-{screen}.png"
    if UPDATE or not target.exists():
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_browser_gets_its_language(new_context: ContextFactory, server: Serve, locale: str) -> None:
    tag, direction, heading, signed_in_as = LANGUAGES[locale]
    page = new_context(server.base_url, locale=locale).new_page()
    auth = AuthUI(page)
    auth.open()
    expect(page.locator("html")).to_have_attribute("lang", tag)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(auth.root).to_have_attribute("dir", direction)
    expect(auth.hook("authenticator-heading")).to_have_text(heading)
    expect(page.get_by_test_id("language-switcher")).to_be_visible()
    keep_for_readme(card_shot(page, f"{tag}-sign_in"), tag, "sign_in")
    page.screenshot(path=str(SHOTS / f"{tag}-page.png"), animations="disabled", caret="hide")

    # Right-to-left is laid out mirrored: a field's label starts at the field's right edge.
    field = auth.field("signIn", "username").locator("xpath=ancestor::label[1]")
    label = field.locator(".q-field__label")
    field_box, label_box = field.bounding_box(), label.bounding_box()
    assert field_box is not None and label_box is not None
    gap_left = label_box["x"] - field_box["x"]
    gap_right = field_box["x"] + field_box["width"] - (label_box["x"] + label_box["width"])
    assert (gap_right < gap_left) == (direction == "rtl"), (gap_left, gap_right)

    auth.fill("signIn", username="nobody", password="wrong-password-1")
    auth.submit("signIn")
    expect(auth.error).to_be_visible()
    keep_for_readme(card_shot(page, f"{tag}-error"), tag, "error")

    name = unique("ada")
    auth.tab("signUp")
    auth.expect_screen("sign_up")
    auth.fill("signUp", username=name, password=PASSWORD[:6])
    keep_for_readme(card_shot(page, f"{tag}-sign_up"), tag, "sign_up")
    before = server.outbox.count()
    auth.fill("signUp", password=PASSWORD, confirmPassword=PASSWORD)
    auth.submit("signUp")
    auth.expect_screen("confirm_sign_up")
    auth.confirm_sign_up(server.outbox, name, after=before)
    expect(auth.hook("authenticator-signed-in")).to_have_text(f"{signed_in_as}{name}")
    keep_for_readme(card_shot(page, f"{tag}-signed_in"), tag, "signed_in")

    auth.submit("startTotpSetup")
    auth.expect_screen("setup_totp")
    expect(auth.hook("authenticator-totp-qr")).to_be_visible()
    keep_for_readme(card_shot(page, f"{tag}-setup_totp"), tag, "setup_totp")
