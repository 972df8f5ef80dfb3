"""tools/floors.py turns the declared lower bounds into exact pip constraints."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "floors.py"


def _load_floors() -> ModuleType:
    spec = importlib.util.spec_from_file_location("floors", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


floors = _load_floors()


@pytest.mark.parametrize(
    ("requirement", "pin"),
    [
        ("nicegui>=3.16,<4", "nicegui==3.16"),
        ("qrcode >= 7.4.2", "qrcode==7.4.2"),
        ("pyotp~=2.10", "pyotp==2.10"),
        ("sniffio==1.3.1", "sniffio==1.3.1"),
        ("Pydantic>=2.12,!=2.12.1", "Pydantic==2.12"),
        ('tomli>=2; python_version < "3.11"', 'tomli==2; python_version < "3.11"'),
    ],
)
def test_floor_pin_keeps_the_lower_bound(requirement: str, pin: str) -> None:
    assert floors.floor_pin(requirement) == pin


@pytest.mark.parametrize("requirement", ["httpx", "httpx<1", "httpx>=0.27,>=0.28"])
def test_a_dependency_without_one_floor_is_refused(requirement: str) -> None:
    with pytest.raises(floors.MissingFloorError):
        floors.floor_pin(requirement)


def test_the_command_pins_every_runtime_dependency_of_the_project() -> None:
    printed = subprocess.run(
        [sys.executable, str(SCRIPT)], check=True, capture_output=True, text=True, timeout=60
    ).stdout.splitlines()
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert len(printed) == len(declared)
    for line, requirement in zip(printed, declared, strict=True):
        pinned, wanted = Requirement(line), Requirement(requirement)
        assert pinned.name == wanted.name
        (spec,) = pinned.specifier
        assert spec.operator == "=="
        # The pin is admitted by the declared range, and it is its lowest point.
        assert spec.version in wanted.specifier
        assert any(s.operator == ">=" and s.version == spec.version for s in wanted.specifier)


def test_ci_runs_the_floors_after_the_full_suite() -> None:
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "set -euo pipefail" in commands
    assert commands.index("make test") < commands.index("make test-floors")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    # The floors venv takes its pins from this script, not from a hand-kept list.
    assert "tools/floors.py > $(FLOORS_VENV)/constraints.txt" in makefile
    assert "-c $(FLOORS_VENV)/constraints.txt" in makefile
