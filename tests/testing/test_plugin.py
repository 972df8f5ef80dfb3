"""The pytest plugin, used as a stranger would: ``examples/test_auth_flows.py`` run by pytest
with only ``-p nicegui_authenticator.testing`` (and NiceGUI's user plugin) enabled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts processes or builds packages

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "nicegui_authenticator.testing",
            "-o",
            "asyncio_mode=auto",
            "-o",
            "main_file=",
            "-o",
            "addopts=",
            *extra,
            str(path),
        ],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_example_passes_with_the_plugin() -> None:
    result = run_pytest(ROOT / "examples" / "test_auth_flows.py", "-p", "nicegui.testing.user_plugin")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_a_marker_reaches_the_backend_and_a_wrong_code_fails(tmp_path: Path) -> None:
    (tmp_path / "test_marker.py").write_text(
        "import pytest\n"
        "@pytest.mark.auth_backend(mode='basic')\n"
        "def test_mode(auth_backend):\n"
        "    assert auth_backend.settings.mode == 'basic' and auth_backend.settings.mfa == 'off'\n"
        "def test_default(auth_backend):\n"
        "    assert auth_backend.settings.mode == 'cognito'\n"
        "async def test_no_code_is_an_assertion(auth_outbox):\n"
        "    with pytest.raises(AssertionError):\n"
        "        auth_outbox.latest('nobody')\n",
        encoding="utf-8",
    )
    result = run_pytest(tmp_path / "test_marker.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
