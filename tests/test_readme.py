"""The README's examples are run, so they cannot drift from the code.

Blocks follow a ``<!-- readme-example: NAME -->`` marker. The headless example
is a pytest test and runs as one; the embedding example must be, byte for byte,
``examples/embed.py``, which the UI tests run in NiceGUI's User simulation.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_BLOCK = re.compile(r"<!-- readme-example: (?P<name>[\w-]+) -->\s*```python\n(?P<code>.*?)```", re.S)


def _examples() -> dict[str, str]:
    return {m["name"]: m["code"] for m in _BLOCK.finditer((ROOT / "README.md").read_text(encoding="utf-8"))}


def test_readme_names_both_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def _run_example(tmp_path: Path, name: str, *plugins: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / f"test_{name}_example.py").write_text(_examples()[name], encoding="utf-8")
    enabled = [arg for plugin in plugins for arg in ("-p", plugin)]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "asyncio_mode=auto",
            "-o",
            "main_file=",
            *enabled,
            str(tmp_path),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_headless_example_passes(tmp_path: Path) -> None:
    result = _run_example(tmp_path, "headless")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


@pytest.mark.slow
def test_plugin_example_passes_with_the_plugin_enabled(tmp_path: Path) -> None:
    result = _run_example(tmp_path, "plugin", "nicegui_authenticator.testing", "nicegui.testing.user_plugin")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_embed_example_is_the_tested_file() -> None:
    assert _examples()["embed"] == (ROOT / "examples" / "embed.py").read_text(encoding="utf-8")
