"""Every ``nicegui-authenticator`` command line shown in docs/ is one the parser accepts.

The site's Python samples are files of examples/ that other tests run; its shell
samples are held here to the real argument parser, so an option renamed in the
code cannot live on in the documentation.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from nicegui_authenticator.ui.hosted.cli import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs"
SHELL_LANGUAGES = {"", "sh", "bash", "console", "shell"}


def shell_blocks(text: str) -> list[str]:
    """The bodies of fenced blocks tagged as shell (or untagged), fence by fence."""
    blocks: list[str] = []
    body: list[str] | None = None
    language = ""
    for line in text.splitlines():
        if line.startswith("```"):
            if body is None:
                body, language = [], line[3:].strip()
            else:
                if language in SHELL_LANGUAGES:
                    blocks.append("\n".join(body))
                body = None
        elif body is not None:
            body.append(line)
    return blocks


def command_lines() -> list[tuple[str, str]]:
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for block in shell_blocks(page.read_text(encoding="utf-8")):
            for line in block.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                if words and words[0] == "nicegui-authenticator":
                    found.append((page.name, " ".join(w for w in words[1:] if w != "&")))
    return found


def test_the_docs_show_commands() -> None:
    assert len(command_lines()) >= 5


@pytest.mark.parametrize(("page", "arguments"), command_lines())
def test_a_documented_command_parses(page: str, arguments: str) -> None:
    ns = build_parser().parse_args(shlex.split(arguments))
    assert ns.command in {"serve", "backend", "admin", "check"}
