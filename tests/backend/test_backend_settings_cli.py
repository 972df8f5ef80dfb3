"""Settings (defaults per mode, validation, environment) and the command line, including a real server."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from backend_support import STRONG
from nicegui_authenticator.backend.command_line import add_backend_options, settings_from_args
from nicegui_authenticator.backend.settings import DEFAULT_POLICY, BackendSettings
from nicegui_authenticator.ui.hosted.cli import build_parser

CLI = Path(sys.executable).with_name("nicegui-authenticator")


def test_defaults_suit_a_demo_and_follow_the_mode() -> None:
    demo = BackendSettings()
    assert (demo.mode, demo.self_sign_up, demo.identifiers, demo.mfa_mode) == (
        "cognito",
        True,
        ("username", "email"),
        "optional",
    )
    assert demo.mfa_types == ("TOTP", "EMAIL") and demo.passkeys_enabled
    assert (demo.path, demo.namespace) == ("/aws-blocks/api", "authApi")
    basic = BackendSettings(mode="basic")
    assert (basic.mfa_mode, basic.passkeys_enabled, basic.identifiers, basic.policy) == (
        "off",
        False,
        ("username",),
        DEFAULT_POLICY,
    )


@pytest.mark.parametrize(
    "options",
    [
        {"mode": "basic", "mfa": "optional"},
        {"mode": "basic", "passkeys": True},
        {"mode": "basic", "sign_in_with": ("email",)},
        {"mode": "ldap"},
        {"mfa": "sometimes"},
        {"mfa_types": ("TOTP", "PIGEON")},
        {"sign_in_with": ()},
        {"code_delivery": "callback"},
        {"namespace": "a.b"},
        {"path": "api"},
    ],
)
def test_impossible_settings_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        BackendSettings(**options)  # type: ignore[arg-type]


def test_environment_variables() -> None:
    env = {
        "NICEGUI_AUTHENTICATOR_MODE": "cognito",
        "NICEGUI_AUTHENTICATOR_MFA": "required",
        "NICEGUI_AUTHENTICATOR_MFA_TYPES": "totp, sms",
        "NICEGUI_AUTHENTICATOR_SIGN_IN_WITH": "email",
        "NICEGUI_AUTHENTICATOR_SELF_SIGN_UP": "no",
        "NICEGUI_AUTHENTICATOR_PASSKEYS": "0",
        "NICEGUI_AUTHENTICATOR_ORIGINS": "https://a.example,https://b.example",
        "NICEGUI_AUTHENTICATOR_PASSWORD_MIN_LENGTH": "12",
        "NICEGUI_AUTHENTICATOR_PASSWORD_REQUIRE_SYMBOLS": "false",
        "NICEGUI_AUTHENTICATOR_PASSWORD_REQUIRE_DIGITS": "yes",
        "NICEGUI_AUTHENTICATOR_PASSWORD_REJECT_COMMON": "no",
        "NICEGUI_AUTHENTICATOR_SESSION_LIFETIME": "3600",
        "NICEGUI_AUTHENTICATOR_FAILURE_DELAY": "0",
    }
    s = BackendSettings.from_env(env, db_path=":memory:")
    assert (s.mfa_mode, s.mfa_types, s.identifiers, s.self_sign_up, s.passkeys_enabled) == (
        "required",
        ("TOTP", "SMS"),
        ("email",),
        False,
        False,
    )
    assert s.origins == ("https://a.example", "https://b.example") and s.session_lifetime == 3600
    assert (s.policy.min_length, s.policy.require_symbols, s.policy.require_digits) == (12, False, True)
    assert not s.policy.reject_common
    assert s.rate_limits.delay_base_seconds == 0  # the delay off, every other limit as default
    assert s.rate_limits.failures_per_username == BackendSettings().rate_limits.failures_per_username
    with pytest.raises(ValueError):
        BackendSettings.from_env({"NICEGUI_AUTHENTICATOR_DEV": "maybe"})


def test_command_line_options_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NICEGUI_AUTHENTICATOR_MFA", "off")
    monkeypatch.setenv("NICEGUI_AUTHENTICATOR_FLOW", "choice")
    parser = argparse.ArgumentParser()
    add_backend_options(parser)
    argv = "--db x.sqlite3 --mfa required --mfa-types TOTP,EMAIL,SMS --sign-in-with username,phone"
    argv += " --no-self-sign-up --no-passkeys --rp-id example.com --origin https://example.com"
    argv += " --origin https://www.example.com --path /rpc --namespace auth --dev --outbox-file codes.jsonl"
    ns = parser.parse_args(argv.split())
    s = settings_from_args(ns)
    assert (s.db_path, s.mfa_mode, s.mfa_types, s.identifiers) == (
        "x.sqlite3",
        "required",
        ("TOTP", "EMAIL", "SMS"),
        ("username", "phone"),
    )
    assert (s.self_sign_up, s.passkeys_enabled, s.rp_id, s.origins) == (
        False,
        False,
        "example.com",
        ("https://example.com", "https://www.example.com"),
    )
    assert (s.path, s.namespace, s.dev, s.outbox_file, s.flow) == (
        "/rpc",
        "auth",
        True,
        "codes.jsonl",
        "choice",
    )
    basic = settings_from_args(parser.parse_args(["--mode", "basic"]), mfa="off", flow="password")
    assert basic.mode == "basic" and not basic.passkeys_enabled


def test_sign_up_attributes_password_policy_and_delivery_options() -> None:
    parser = argparse.ArgumentParser()
    add_backend_options(parser)
    argv = "--sign-up-attributes email,given_name --password-min-length 12 --password-require digits,symbols"
    argv += " --no-auto-sign-in --session-lifetime 3600 --code-delivery log"
    s = settings_from_args(parser.parse_args(argv.split()))
    assert s.sign_up_attributes == ("email", "given_name")
    assert (s.policy.min_length, s.policy.require_digits, s.policy.require_symbols) == (12, True, True)
    assert (s.policy.require_lowercase, s.policy.require_uppercase) == (False, False)
    assert (s.auto_sign_in, s.session_lifetime, s.code_delivery) == (False, 3600.0, "log")
    # A length alone adjusts the mode's own policy (basic: length only).
    basic = settings_from_args(parser.parse_args(["--mode", "basic", "--password-min-length", "10"]))
    assert basic.policy == replace(DEFAULT_POLICY, min_length=10)
    none = settings_from_args(parser.parse_args(["--password-require", "none"]))
    assert not any((none.policy.require_lowercase, none.policy.require_uppercase, none.policy.require_digits))
    with pytest.raises(ValueError, match="unknown classes"):
        settings_from_args(parser.parse_args(["--password-require", "emoji"]))
    # The common-password list is on by default and can be turned off.
    assert none.policy.reject_common and s.policy.reject_common
    lax = settings_from_args(parser.parse_args(["--no-password-reject-common"]))
    assert lax.policy == replace(DEFAULT_POLICY, reject_common=False)
    # serve accepts the same options.
    served = build_parser().parse_args(
        ["serve", "--sign-up-attributes", "email", "--password-min-length", "9"]
    )
    assert (served.sign_up_attributes, served.password_min_length) == ("email", 9)


def test_top_level_parser_has_backend_and_admin() -> None:
    parser = build_parser()
    ns = parser.parse_args(["backend", "--port", "9000", "--mode", "basic"])
    assert (ns.command, ns.port, ns.mode) == ("backend", 9000, "basic")
    ns = parser.parse_args(["admin", "confirm-user", "ann", "--db", "x.sqlite3"])
    assert (ns.command, ns.admin_command, ns.username, ns.db) == ("admin", "confirm-user", "ann", "x.sqlite3")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.mark.slow
def test_standalone_server_and_admin_commands(tmp_path: Path) -> None:
    """``nicegui-authenticator backend`` as a subprocess, driven over real HTTP."""
    port = _free_port()
    db = tmp_path / "cli.sqlite3"
    outbox_file = tmp_path / "codes.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICEGUI_AUTHENTICATOR_")}
    process = subprocess.Popen(
        [
            str(CLI),
            "backend",
            "--port",
            str(port),
            "--db",
            str(db),
            "--dev",
            "--outbox-file",
            str(outbox_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/dev/outbox.json", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        with httpx.Client(base_url=base) as client:
            body = {
                "jsonrpc": "2.0",
                "method": "authApi.setAuthState",
                "params": [
                    {
                        "action": "signUp",
                        "username": "cli",
                        "password": STRONG,
                        "email": "cli@example.com",
                    }
                ],
                "id": 1,
            }
            reply = client.post("/aws-blocks/api", json=body).json()
            assert reply["result"]["state"] == "confirmingSignUp"
            (record,) = client.get("/dev/outbox.json").json()
            assert (record["to"], record["purpose"]) == ("cli@example.com", "sign-up")
            body["params"] = [{"action": "confirmSignUp", "username": "cli", "code": record["code"]}]
            assert (
                client.post("/aws-blocks/api", json=body).json()["result"]["actions"][0]["name"]
                == "autoSignIn"
            )
            assert client.get("/aws-blocks/api").status_code == 404
        assert json.loads(outbox_file.read_text().splitlines()[0])["code"] == record["code"]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert "DEVELOPMENT MODE" in stderr and f"http://127.0.0.1:{port}/dev/outbox" in stderr
    assert record["code"] not in stderr  # the audit log shows who, never the code
    assert '"event": "sign_up", "outcome": "success", "user": "cli"' in stderr  # the audit channel

    # The admin command line works on the same database.
    run = subprocess.run(
        [str(CLI), "admin", "add-user", "root", "--db", str(db), "--permanent"],
        input="Adm1n-Passw0rd!\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 0 and "added root" in run.stdout, run.stderr
    run = subprocess.run(
        [str(CLI), "admin", "outbox", "--db", str(db)], capture_output=True, text=True, env=env, timeout=60
    )
    assert json.loads(run.stdout)[0]["code"] == record["code"]
    run = subprocess.run(
        [str(CLI), "admin", "confirm-user", "nobody", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2 and "no account named 'nobody'" in run.stderr
