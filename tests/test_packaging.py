"""The distribution installs under one import name, as a wheel and editable;
its sdist carries the tests with their data.

Each test builds a fresh virtual environment and installs the project into it
without dependencies (they come from the test run's own environment through
PYTHONPATH, which does not process .pth files, so the outer editable install
cannot leak in). Imports run from a neutral directory so the repository's
top-level folders are not on sys.path by accident.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts processes or builds packages

ROOT = Path(__file__).resolve().parents[1]


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, symlinks=True).create(path)
    return path / "bin" / "python"


def _pip_install(python: Path, *args: str) -> None:
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", *args],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        timeout=300,
    )


def _run(python: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Dependencies (pydantic, ...) from this interpreter's site-packages; PYTHONPATH
    # entries are plain paths, so the outer editable install's .pth hook is not run.
    deps = os.pathsep.join(site.getsitepackages())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = deps
    return subprocess.run(
        [str(python), "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def _check_names(python: Path, cwd: Path) -> None:
    ok = _run(
        python, "import nicegui_authenticator.state_machine.protocol as m; print(m.AuthState.__module__)", cwd
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "nicegui_authenticator.state_machine.protocol"
    for generic in ("ui", "state_machine", "client", "backend"):
        result = _run(python, f"import {generic}", cwd)
        assert result.returncode != 0, f"`import {generic}` must not work after installing"
        assert "ModuleNotFoundError" in result.stderr


def test_wheel_install_exposes_only_the_package_name(tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "env")
    _pip_install(python, str(ROOT))
    _check_names(python, tmp_path)
    # The wheel carries every subpackage and the typing marker.
    listing = _run(
        python,
        "import importlib.resources as r, nicegui_authenticator as p;"
        "print(sorted(x.name for x in r.files(p).iterdir()))",
        tmp_path,
    )
    assert listing.returncode == 0, listing.stderr
    for part in ("state_machine", "client", "backend", "ui", "assets", "py.typed"):
        assert part in listing.stdout


def test_editable_install_works(tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "env")
    _pip_install(python, "-e", str(ROOT))
    _check_names(python, tmp_path)
    # Editable means the source tree itself is imported.
    where = _run(
        python, "import nicegui_authenticator.state_machine.protocol as m; print(m.__file__)", tmp_path
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).resolve() == (ROOT / "state_machine" / "protocol.py").resolve()


def _sdist_members(tmp_path: Path) -> dict[str, bytes]:
    """Build the sdist as a publisher would (isolated, with ``build``) and read it back."""
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        timeout=300,
    )
    (archive,) = tmp_path.glob("*.tar.gz")
    members: dict[str, bytes] = {}
    with tarfile.open(archive) as sdist:
        for member in sdist.getmembers():
            extracted = sdist.extractfile(member) if member.isfile() else None
            if extracted is not None:
                # Drop the "<name>-<version>/" folder every member sits in.
                members[member.name.split("/", 1)[1]] = extracted.read()
    return members


def test_sdist_holds_the_tests_their_data_and_the_docs(tmp_path: Path) -> None:
    members = _sdist_members(tmp_path)
    recordings = sorted((ROOT / "tests" / "fixtures" / "aws-blocks").glob("*.jsonl"))
    assert len(recordings) == 15
    for path in recordings:  # every recording, byte for byte
        assert members[path.relative_to(ROOT).as_posix()] == path.read_bytes()
    test_modules = [p for p in (ROOT / "tests").rglob("*.py") if "__pycache__" not in p.parts]
    missing = sorted(
        name for name in (p.relative_to(ROOT).as_posix() for p in test_modules) if name not in members
    )
    assert missing == []
    for name in (
        "LICENSE",
        "README.md",
        "Makefile",
        "package.json",
        "package-lock.json",
        "tools/floors.py",
        "tests/fixtures/README.md",
        "tests/fixtures/aws-blocks.sha256",
        "docs/protocol.md",
        "docs/design.md",
        "examples/embed.py",
        "examples/dashboard.py",
    ):
        assert name in members, name
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in members)
