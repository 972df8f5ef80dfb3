"""The documentation site shows code from examples/ by include, never by copy.

pymdownx.snippets only recognises an include written exactly ``--8<-- "path"``;
anything else (a formatter once rewrote it as ``--8 < --"path"``) is printed
literally and the page silently shows no code.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INCLUDE = re.compile(r'^--8<-- "(?P<path>[^"]+)"$')
MANGLED = re.compile(r"^\s*-+\s*8\s*<\s*-+")


def _pages() -> list[Path]:
    return sorted((ROOT / "docs").glob("*.md"))


def test_every_include_is_well_formed_and_names_a_file_in_the_repository() -> None:
    includes = 0
    for page in _pages():
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if not MANGLED.match(line):
                continue
            match = INCLUDE.match(line)
            assert match, f"{page.name}:{number}: include not in snippets syntax: {line!r}"
            assert (ROOT / match["path"]).is_file(), f"{page.name}:{number}: {match['path']} is missing"
            includes += 1
    assert includes >= 5, "the site's samples are expected to come from examples/ by include"
