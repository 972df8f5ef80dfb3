"""Print pip constraints that pin every runtime dependency to its declared floor.

A lower bound in ``pyproject.toml`` is a promise: the package works with that
release. ``make test-floors`` keeps the promise honest by installing exactly the
floors (``pip install -c <this output>``) and running the non-browser suites.
Generating the constraints from ``pyproject.toml`` means the declared floors and
the tested ones cannot drift apart.

Usage: ``python tools/floors.py [path/to/pyproject.toml]``; prints one
``name==version`` line per runtime dependency (environment markers kept).
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement

# Operators whose version is the oldest release the requirement admits.
FLOOR_OPERATORS = (">=", "~=", "==")
DEFAULT_PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


class MissingFloorError(ValueError):
    """A runtime dependency declares no lower bound, so it has no floor to test."""


def floor_pin(requirement: str) -> str:
    """``"nicegui>=3.16,<4"`` -> ``"nicegui==3.16"``; markers are carried over."""
    parsed = Requirement(requirement)
    floors = [spec.version for spec in parsed.specifier if spec.operator in FLOOR_OPERATORS]
    if len(floors) != 1:
        raise MissingFloorError(f"{requirement!r} needs exactly one lower bound (>=, ~= or ==)")
    pin = f"{parsed.name}=={floors[0]}"
    return f"{pin}; {parsed.marker}" if parsed.marker is not None else pin


def floor_pins(dependencies: Iterable[str]) -> list[str]:
    """One constraint line per requirement, in the declared order."""
    return [floor_pin(requirement) for requirement in dependencies]


def runtime_dependencies(pyproject: Path) -> list[str]:
    """``[project].dependencies`` (the optional extras are tools, not runtime)."""
    with pyproject.open("rb") as file:
        project = tomllib.load(file)["project"]
    return list(project.get("dependencies", []))


def main(argv: list[str]) -> int:
    pyproject = Path(argv[0]) if argv else DEFAULT_PYPROJECT
    for line in floor_pins(runtime_dependencies(pyproject)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
