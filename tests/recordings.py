"""Where the test suites find the recorded setAuthState exchanges.

The recordings are the project's own test data (``tests/fixtures/aws-blocks``,
see ``tests/fixtures/README.md``), so a clone or an unpacked sdist has them with
nothing beside it. ``NICEGUI_AUTH_FIXTURES`` may point at another folder of
recordings (for example newer ones being tried out). An empty or missing folder
raises instead of yielding nothing: a replay suite that silently replays zero
exchanges would pass while proving nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "NICEGUI_AUTH_FIXTURES"
IN_REPOSITORY = Path(__file__).resolve().parent / "fixtures" / "aws-blocks"


def recordings_dir() -> Path:
    """The folder of ``*.jsonl`` recordings: the environment's choice, else the repository's."""
    chosen = os.environ.get(ENV_VAR)
    return Path(chosen) if chosen else IN_REPOSITORY


def recording_paths() -> list[Path]:
    """Every recording, sorted by name; raises when there is none to replay."""
    folder = recordings_dir()
    paths = sorted(folder.glob("*.jsonl"))
    if not paths:
        raise FileNotFoundError(f"no *.jsonl recordings in {folder} (check {ENV_VAR} or tests/fixtures)")
    return paths
