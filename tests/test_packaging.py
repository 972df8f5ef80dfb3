"""The distribution installs under one import name, as a wheel and editable.

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
import venv
from pathlib import Path

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
