"""The checker passes against the reference backend in every mode, run as a real process.

Each configuration is ``nicegui-authenticator backend`` on a free loopback
port with ``--dev --outbox-file`` (codes are written out in development only), and the checker is ``nicegui-authenticator check``
as a person would type it, reading codes from that file. A pass must be a
real pass: no deviation, and the flows the mode offers were exercised (not
skipped).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow  # each test starts processes or builds packages

CLI = Path(sys.executable).with_name("nicegui-authenticator")

MODES = {
    "basic": ["--mode", "basic"],
    "cognito-mfa-off": ["--mode", "cognito", "--mfa", "off", "--no-passkeys"],
    "cognito-mfa-optional": ["--mode", "cognito", "--mfa", "optional"],
    "cognito-mfa-required": ["--mode", "cognito", "--mfa", "required"],
    "cognito-choice-passkeys": ["--mode", "cognito", "--flow", "choice", "--mfa", "off", "--passkeys"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_backend(tmp_path: Path, options: list[str]) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICEGUI_AUTHENTICATOR_")}
    origin = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            *(str(CLI), "backend", "--port", str(port), "--db", str(tmp_path / "db.sqlite3")),
            *("--dev", "--outbox-file", str(tmp_path / "codes.jsonl"), "--origin", origin, *options),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    endpoint = f"{origin}/aws-blocks/api"
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.post(
                endpoint, json={"jsonrpc": "2.0", "method": "authApi.getAuthState", "params": [], "id": 1}
            )
            return process, endpoint
        except httpx.TransportError:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the backend did not start"
            time.sleep(0.1)


@pytest.fixture
def backend_process(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    process, endpoint = start_backend(tmp_path, MODES[request.param])
    try:
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_check(endpoint: str, codes: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "check", "--endpoint", endpoint, "--codes-file", str(codes), *extra],
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.parametrize("backend_process", sorted(MODES), indirect=True)
def test_the_reference_backend_conforms(backend_process: str, tmp_path: Path) -> None:
    result = run_check(backend_process, tmp_path / "codes.jsonl", "--json")
    report = json.loads(result.stdout)
    assert report["deviations"] == [], result.stdout
    assert result.returncode == 0
    skipped = {(s["flow"], s["step"]) for s in report["steps"] if s["outcome"] == "skipped"}
    done = {(s["flow"], s["step"]) for s in report["steps"] if s["outcome"] == "ok"}
    # Every mode signs up, signs in after a wrong password, resets and signs out.
    for step in [
        ("sign-up", "confirmSignUp"),
        ("wrong password", "signIn"),
        ("reset", "confirmResetPassword"),
    ]:
        assert step in done, (step, skipped)
    offers = report["offers"]
    if offers["passkeys"]:
        assert ("passkeys", "passkey_assert") in done
    if offers["flow"] == "choice":
        assert any(step == "select_first_factor" for _, step in done)
    if "required" in backend_process or offers.get("mfa") == "TOTP enrolled":
        assert any(step == "confirm_code" for flow, step in done if flow == "sign-in")


@pytest.mark.parametrize("backend_process", ["cognito-mfa-optional"], indirect=True)
def test_the_table_names_every_step_and_exits_zero(backend_process: str, tmp_path: Path) -> None:
    result = run_check(backend_process, tmp_path / "codes.jsonl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 deviation(s)" in result.stdout
    assert "envelope        body over 10 MiB" in result.stdout


LATEST_CODE = """\
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
codes = [json.loads(l)["code"] for l in lines if sys.argv[2] in (json.loads(l).get("username"), json.loads(l).get("to"))]
print(codes[-1] if codes else "")
"""


@pytest.mark.parametrize("backend_process", ["basic"], indirect=True)
def test_codes_can_come_from_a_command(backend_process: str, tmp_path: Path) -> None:
    script = tmp_path / "latest_code.py"
    script.write_text(LATEST_CODE, encoding="utf-8")
    command = f"{sys.executable} {script} {tmp_path / 'codes.jsonl'}"
    result = subprocess.run(
        [str(CLI), "check", "--endpoint", backend_process, "--codes-command", command, "--json"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["deviations"] == [], result.stdout
    done = {(s["flow"], s["step"]) for s in report["steps"] if s["outcome"] == "ok"}
    assert {("sign-up", "confirmSignUp"), ("reset", "confirmResetPassword")} <= done


def test_an_unreachable_endpoint_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CLI), "check", "--endpoint", f"http://127.0.0.1:{free_port()}/aws-blocks/api"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no reply from the endpoint" in result.stderr
