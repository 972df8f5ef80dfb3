"""Photograph every screen of the hosted page and write the README's gallery.

    .venv/bin/python tools/gallery.py              # every row of gallery_screens.SHOTS
    .venv/bin/python tools/gallery.py --only sign_in setup_totp

Starts ``nicegui-authenticator serve`` on its embedded backend (one per server
profile a row needs: free loopback ports, temporary data directories, codes
read from the outbox file), walks each row of :data:`gallery_screens.SHOTS` in
a fresh browser context of Debian's Chromium, and saves each state four times,
light and dark (``serve --dark auto`` follows ``prefers-color-scheme``, flipped
with Playwright's ``emulate_media``), desktop (1280x800, framed on the card)
and phone (390x844, the whole page), to
``docs/screenshots/gallery/<name>-<light|dark>-<desktop|phone>.png``. Then it
rewrites the README between the gallery markers.

Not a test (it takes minutes, and a TOTP secret or a passkey id differs on
every run, so the PNGs do too): ``tests/test_gallery.py`` only checks that the
README and the PNGs agree with the table. Run it after changing how a screen
looks, and look at the pictures.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from gallery_screens import SERVERS, SHOTS, Shot
from gallery_walk import TIMEOUT, Server, Walk
from playwright.sync_api import Browser, FloatRect, Page, ViewportSize, expect, sync_playwright

ROOT: Final = Path(__file__).resolve().parents[1]
OUT: Final = ROOT / "docs" / "screenshots" / "gallery"
README: Final = ROOT / "README.md"
CHROMIUM: Final = "/usr/bin/chromium"
LAUNCH_ARGS: Final = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
SCHEMES: Final = ("light", "dark")
DEVICES: Final[dict[str, ViewportSize]] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
MARGIN: Final = 32
BEGIN: Final = "<!-- gallery:begin (written by tools/gallery.py) -->"
END: Final = "<!-- gallery:end -->"
# What frames a desktop picture: the card, the language switcher, and an open menu or dialog.
_FRAMED: Final = ".na-card, [data-testid=language-switcher], .q-menu, .q-dialog .q-card"
_SETTLE: Final = """async () => {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const busy = () => document.getAnimations().some(
    (a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
  for (let i = 0; i < 40 && busy(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}"""


def png(name: str, scheme: str, device: str) -> Path:
    return OUT / f"{name}-{scheme}-{device}.png"


def pngs(name: str) -> list[Path]:
    """The four pictures of one row."""
    return [png(name, scheme, device) for scheme in SCHEMES for device in DEVICES]


def _frame(page: Page, device: str) -> tuple[FloatRect, bool]:
    """What a picture shows, and whether it is the whole page (else the window).

    On a desktop the framed elements' boxes with a margin; on a phone the whole width from there
    down. Never the development-mode banner above them: it is there because the gallery reads codes
    from the dev outbox, and no real deployment shows it. With a dialog open only the window counts
    (Quasar fixes the scrolled page under the dialog's backdrop).
    """
    window = page.locator(".q-dialog").count() > 0
    scroll_y: float = 0 if window else page.evaluate("() => window.scrollY")
    boxes = [box for loc in page.locator(_FRAMED).all() if loc.is_visible() and (box := loc.bounding_box())]
    if not boxes:
        raise RuntimeError("nothing to frame: no card on the page")
    size = DEVICES[device]
    top = max(min(b["y"] for b in boxes) + scroll_y - MARGIN, 0)
    bottom = max(b["y"] + b["height"] for b in boxes) + scroll_y + MARGIN
    if device == "phone":
        left, right = 0.0, float(size["width"])
        bottom = size["height"] if window else page.evaluate("() => document.documentElement.scrollHeight")
    else:
        left = max(min(b["x"] for b in boxes) - MARGIN, 0)
        right = min(max(b["x"] + b["width"] for b in boxes) + MARGIN, size["width"])
    if window:
        bottom = min(bottom, size["height"])
    return {"x": left, "y": top, "width": right - left, "height": bottom - top}, not window


def capture(page: Page, name: str) -> list[Path]:
    """The state on ``page`` in both schemes at both sizes; the page is left light, at desktop size."""
    OUT.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)  # no hover tint where the last click was
    for scheme in SCHEMES:
        page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
        dark = re.compile(r"\bbody--dark\b")
        if scheme == "dark":
            expect(page.locator("body")).to_have_class(dark)
        else:
            expect(page.locator("body")).not_to_have_class(dark)
        for device, viewport in DEVICES.items():
            page.set_viewport_size(viewport)
            page.evaluate(_SETTLE)
            page.wait_for_timeout(200)  # Quasar's ripples and focus transitions are not all animations
            clip, whole_page = _frame(page, device)
            path = png(name, scheme, device)
            page.screenshot(path=path, full_page=whole_page, clip=clip, animations="disabled", caret="hide")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DEVICES["desktop"])
    return pngs(name)


def take(browser: Browser, server: Server, shot: Shot) -> list[Path]:
    context = browser.new_context(base_url=server.base_url, viewport=DEVICES["desktop"], locale="en-US")
    context.set_default_timeout(TIMEOUT)
    try:
        page = context.new_page()
        shot.steps(Walk(server, context, page))
        return capture(page, shot.name)
    finally:
        context.close()


# ------------------------------------------------------------------------ the README


def _table(shots: Iterable[Shot], device: str) -> list[str]:
    rows = ["| Screen | Light | Dark |", "|---|---|---|"]
    for shot in shots:
        cells = [
            f"![{shot.title}, {scheme}]({png(shot.name, scheme, device).relative_to(ROOT)})"
            for scheme in SCHEMES
        ]
        rows.append(f"| {shot.title} | {' | '.join(cells)} |")
    return rows


def gallery_markdown(shots: Sequence[Shot] = SHOTS) -> str:
    """The README's gallery: per section, desktop light and dark, then the phone set folded."""
    sections = list(dict.fromkeys(shot.section for shot in shots))
    lines = [BEGIN, ""]
    for section in sections:
        lines += [f"#### {section}", "", *_table((s for s in shots if s.section == section), "desktop"), ""]
    lines += ["<details>", "<summary>Every screen on a phone (390 × 844)</summary>", ""]
    for section in sections:
        lines += [
            f"#### {section}, phone",
            "",
            *_table((s for s in shots if s.section == section), "phone"),
            "",
        ]
    lines += ["</details>", "", END]
    return "\n".join(lines)


def with_gallery(readme: str, shots: Sequence[Shot] = SHOTS) -> str:
    """``readme`` with the text between the markers replaced by the gallery of ``shots``."""
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + gallery_markdown(shots) + readme[end:]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="rows to take (default: all)")
    args = parser.parse_args(argv)
    unknown = set(args.only or ()) - {shot.name for shot in SHOTS}
    if unknown:
        parser.error(f"no such row: {', '.join(sorted(unknown))}")
    chosen = [shot for shot in SHOTS if args.only is None or shot.name in args.only]
    servers: dict[str, Server] = {}
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gallery-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for shot in chosen:
                if shot.server not in servers:
                    extra, env = SERVERS[shot.server]
                    servers[shot.server] = Server(Path(tmp) / shot.server, extra, env).start()
                for attempt in (1, 2):  # once more: a busy machine can miss a screen's timeout
                    try:
                        taken = take(browser, servers[shot.server], shot)
                        print(f"{shot.name}: {', '.join(p.name for p in taken)}")
                        break
                    except Exception as error:  # one broken row must not cost the others their pictures
                        print(
                            f"{shot.name}: attempt {attempt}: {str(error).splitlines()[0]}", file=sys.stderr
                        )
                else:
                    failed.append(shot.name)
        finally:
            browser.close()
            for server in servers.values():
                server.stop()
    README.write_text(with_gallery(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{README.relative_to(ROOT)}: gallery of {len(SHOTS)} screens written")
    if failed:
        sys.exit(f"rows that failed (their pictures are old or missing): {', '.join(failed)}")


if __name__ == "__main__":
    main()
