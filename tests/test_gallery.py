"""The README's gallery and docs/screenshots/ agree with tools/gallery.py's table (no browser).

The pictures themselves are taken by ``python tools/gallery.py`` (minutes, not
a test); this checks what can drift silently: a row added to the table without
re-running the tool, a picture the README shows that is not in the repository,
a leftover picture of a row that no longer exists.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def gallery() -> ModuleType:
    sys.path.insert(0, str(ROOT / "tools"))  # the tool's modules import each other as scripts do
    try:
        import gallery as module
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return module


def test_every_row_has_its_four_pictures_and_no_picture_is_left_over(gallery: ModuleType) -> None:
    names = [shot.name for shot in gallery.SHOTS]
    assert len(names) == len(set(names)), "two rows share a name"
    expected = {path for name in names for path in gallery.pngs(name)}
    assert len(expected) == 4 * len(names)  # light and dark, desktop and phone
    missing = sorted(str(p.relative_to(ROOT)) for p in expected if not p.is_file())
    assert not missing, f"run `python tools/gallery.py --only ...` for: {missing}"
    stale = sorted(p.name for p in gallery.OUT.glob("*.png") if p not in expected)
    assert not stale, f"pictures of rows that no longer exist: {stale}"


def test_the_readme_shows_the_gallery_of_the_table(gallery: ModuleType) -> None:
    text = README.read_text(encoding="utf-8")
    assert gallery.with_gallery(text) == text, "the README's gallery is stale: run `python tools/gallery.py`"


def test_every_picture_the_readme_shows_exists() -> None:
    shown = set(re.findall(r"\((docs/screenshots/[^)\s]+\.png)\)", README.read_text(encoding="utf-8")))
    assert shown, "the README shows no screenshots"
    missing = sorted(path for path in shown if not (ROOT / path).is_file())
    assert not missing, missing
