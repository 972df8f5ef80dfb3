"""What ``serve`` loads to start: no heavy library that the first page does not need (issue 15).

Each of these was part of the start and is now imported where it is first
used (a passkey ceremony, a QR code, a sealed secret, a mail, a TOTP code, a
date in the passkey list). A fresh interpreter runs the real ``serve`` command
up to ``ui.run`` (the command line, the plan, the embedded backend and its
in-process client, the pages), where a stand-in for NiceGUI's server loop
reads every language's writing direction (the first page does) and lists
``sys.modules``. An import added back at module level shows up here by name,
long before anyone reruns ``bench/start.py``. No time is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

# Prefixes: the module itself and everything under it.
NOT_AT_START = (
    "webauthn",  # passkey ceremonies (backend.passkeys imports it per ceremony)
    "cryptography.fernet",  # the browser cookie-jar cipher, on the first jar sealed or opened
    "cryptography.hazmat.primitives.ciphers",  # the backend's AES-GCM, on the first secret sealed
    "qrcode",  # the authenticator-app set-up screen
    "PIL",  # qrcode's drawing modules
    "pyotp",  # TOTP codes
    "aiosmtplib",  # mail, with --smtp-url only
    "psycopg",  # a PostgreSQL database only
    "babel.dates",  # passkey dates; also a sign that a locale's CLDR data was loaded
    "tomllib",  # --theme FILE.toml only
)

_START = """
import gc, json, os, sys
import nicegui.ui

def run(**options):
    # Stands in for NiceGUI's server loop: report what the start left behind, then leave.
    from nicegui_authenticator.state_machine.languages import LANGUAGES
    rtl = sorted(language.tag for language in LANGUAGES if language.direction.value == "rtl")
    report = {"modules": sorted(sys.modules), "rtl": rtl, "port": options.get("port"),
              "collecting": gc.isenabled(), "frozen": gc.get_freeze_count()}
    print(json.dumps(report), flush=True)
    os._exit(0)

nicegui.ui.run = run
from nicegui_authenticator.ui.hosted.cli import main
main(["serve", "--data-dir", sys.argv[1], "--port", "8123"])
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One start of ``serve`` in a fresh interpreter, shared by the tests below (CI seconds)."""
    tmp_path = tmp_path_factory.mktemp("serve-start")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    result = subprocess.run(
        [sys.executable, "-c", _START, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return found


def test_serve_builds_its_app_without_the_libraries_only_later_screens_need(report: dict[str, Any]) -> None:
    loaded = set(report["modules"])
    # The start did happen: the backend, its store, the page and NiceGUI were all built.
    assert {"nicegui", "nicegui_authenticator.backend.app", "nicegui_authenticator.ui.hosted.pages"} <= loaded
    assert "sqlite3" in loaded and report["rtl"] == ["ar", "fa", "he"] and report["port"] == 8123
    early = sorted(
        name for name in loaded for prefix in NOT_AT_START if name == prefix or name.startswith(prefix + ".")
    )
    assert early == [], f"imported at start, but needed only later: {early}"


def test_serve_starts_serving_with_the_collector_on_and_its_start_objects_frozen(
    report: dict[str, Any],
) -> None:
    """The collector is paused while ``serve`` builds itself (start_heap.py), never left off."""
    assert report["collecting"] is True
    assert report["frozen"] > 10_000  # NiceGUI, the backend and the screens: kept out of collections
