"""The repository needs nothing beside it: its data, docs and links are its own.

A clone or an unpacked sdist must pass the suites with no sibling folder
around. These tests fail when something reaches outside again: a reference to
the old sibling folder of recordings and notes, a Markdown link that does not
resolve inside the repository, or a recording that is no longer byte for byte
what the servers sent.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from recordings import IN_REPOSITORY, recording_paths

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DIGESTS = FIXTURES / "aws-blocks.sha256"
# Spelled in pieces so this file does not match itself.
OUTSIDE = "shared"
FORBIDDEN = (f"../{OUTSIDE}", f"{OUTSIDE}/fixtures", f"{OUTSIDE}/PROTOCOL", f"{OUTSIDE}/DESIGN")
# Local state of a checkout that is neither tracked nor shipped.
NOT_PROJECT_FILES = {".git", "build", "dist", "__pycache__", "test-artifacts", "node_modules"}
LOCAL_PREFIXES = (".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", ".nicegui")
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def _is_local_state(name: str) -> bool:
    return name in NOT_PROJECT_FILES or name.startswith(LOCAL_PREFIXES) or name.endswith(".egg-info")


def _project_files() -> Iterator[Path]:
    """Every file of the project, leaving out what a checkout or a test run adds."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if not _is_local_state(name)]
        yield from (Path(folder) / name for name in files)


def test_the_recordings_are_in_the_repository() -> None:
    assert IN_REPOSITORY == FIXTURES / "aws-blocks"
    assert len(list(IN_REPOSITORY.glob("*.jsonl"))) == 15
    assert (FIXTURES / "README.md").is_file()


def test_the_recordings_are_byte_for_byte_as_recorded() -> None:
    listed = {}
    for line in DIGESTS.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    present = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in IN_REPOSITORY.glob("*.jsonl")
    }
    assert present == listed


def test_an_empty_recordings_folder_fails_instead_of_skipping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NICEGUI_AUTH_FIXTURES", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"no \*\.jsonl recordings"):
        recording_paths()
    (tmp_path / "one.jsonl").write_text("{}\n", encoding="utf-8")
    assert recording_paths() == [tmp_path / "one.jsonl"]


def test_no_file_points_at_a_sibling_folder() -> None:
    offenders = []
    for path in _project_files():
        if path == Path(__file__).resolve() or path.is_relative_to(FIXTURES / "aws-blocks"):
            continue
        text = path.read_bytes()
        offenders += [f"{path.relative_to(ROOT)}: {bad}" for bad in FORBIDDEN if bad.encode() in text]
    assert offenders == []


def _markdown_files() -> list[Path]:
    return sorted(path for path in _project_files() if path.suffix == ".md")


def test_the_checked_markdown_files_exist() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in _markdown_files()}
    assert {"README.md", "docs/protocol.md", "docs/design.md", "tests/fixtures/README.md"} <= names


@pytest.mark.parametrize("document", _markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves_inside_the_repository(document: Path) -> None:
    broken = []
    for target in _LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a web address or an anchor on the same page
        resolved = (document.parent / target.split("#", 1)[0]).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert broken == []
