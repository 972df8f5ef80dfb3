"""``nicegui-authenticator serve``: its options, the plan they make, and one real start."""

from __future__ import annotations

import argparse
import json
import os
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from nicegui_authenticator.state_machine import ScreenName
from nicegui_authenticator.ui.hosted.cli import build_parser
from nicegui_authenticator.ui.hosted.command import DB_FILE, UsageError, banner, plan_from_args

SERVE_OPTIONS = [
    "--endpoint", "--host", "--port", "--title", "--logo", "--brand-color", "--issuer", "--theme", "--language",
    "--languages", "--allow-redirect",
    "--data-dir", "--production", "--forwarded-allow-ips", "--initial-screen", "--dark",
    # every backend option, from backend.command_line.add_backend_options
    "--db", "--mode", "--mfa", "--mfa-types", "--sign-in-with", "--flow", "--no-self-sign-up", "--passkeys",
    "--no-passkeys", "--rp-id", "--origin", "--path", "--namespace", "--dev", "--outbox-file",
    "--email-mfa-on-sign-up",
]  # fmt: skip


def parse(*args: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *args])


@pytest.fixture(autouse=True)
def no_backend_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("NICEGUI_AUTHENTICATOR_"):
            monkeypatch.delenv(key)


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["serve", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    missing = [option for option in SERVE_OPTIONS if option not in text]
    assert not missing
    assert "NICEGUI_AUTHENTICATOR_STORAGE_SECRET" in text
    assert "/dev/outbox" in text


def test_defaults_run_the_embedded_backend_on_loopback(tmp_path: Path) -> None:
    plan = plan_from_args(parse("--data-dir", str(tmp_path)))
    assert plan.embedded and plan.host == "127.0.0.1" and plan.port == 8080
    assert plan.settings is not None and plan.settings.dev
    assert plan.settings.db_path == str(tmp_path / DB_FILE)
    assert plan.secret_dir == tmp_path
    assert plan.settings.origins == ("http://localhost:8080", "http://127.0.0.1:8080")
    assert plan.config.dev_outbox == "/dev/outbox"
    text = banner(plan)
    assert "DEVELOPMENT MODE" in text and "http://localhost:8080/dev/outbox" in text


def test_backend_options_reach_the_embedded_backend(tmp_path: Path) -> None:
    ns = parse(
        "--data-dir", str(tmp_path), "--mfa", "required", "--mfa-types", "totp,email", "--port", "9001",
        "--rp-id", "localhost", "--origin", "http://localhost:9001", "--db", str(tmp_path / "x.db"),
    )  # fmt: skip
    plan = plan_from_args(ns)
    assert plan.settings is not None
    assert plan.settings.mfa == "required" and plan.settings.mfa_types == ("TOTP", "EMAIL")
    assert plan.settings.origins == ("http://localhost:9001",)
    assert plan.settings.db_path == str(tmp_path / "x.db")


def test_an_endpoint_drives_a_remote_server_and_refuses_backend_options(tmp_path: Path) -> None:
    plan = plan_from_args(parse("--endpoint", "https://auth.example.com/api", "--namespace", "auth"))
    assert not plan.embedded and plan.config.dev_outbox is None
    assert plan.namespace == "auth"
    assert "https://auth.example.com/api" in banner(plan)
    with pytest.raises(UsageError, match="--mfa"):
        plan_from_args(parse("--endpoint", "https://auth.example.com/api", "--mfa", "required"))


def test_the_development_backend_stays_on_loopback_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Off loopback the page is in production mode, which has no way to deliver codes here.
    with pytest.raises(UsageError, match=r"0\.0\.0\.0"):
        plan_from_args(parse("--host", "0.0.0.0", "--data-dir", str(tmp_path)))
    with pytest.raises(UsageError, match="binds loopback only"):
        plan_from_args(parse("--host", "0.0.0.0", "--dev", "--data-dir", str(tmp_path)))
    monkeypatch.setenv("NICEGUI_AUTHENTICATOR_STORAGE_SECRET", "s" * 40)
    remote = plan_from_args(parse("--host", "0.0.0.0", "--endpoint", "https://auth.example.com/api"))
    assert not remote.embedded and remote.production


SMTP = ["--smtp-url", "smtps://mailer:pw@mail.example.com", "--mail-from", "no-reply@example.com"]


def test_production_mode_sends_codes_and_shows_no_outbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NICEGUI_AUTHENTICATOR_STORAGE_SECRET", "s" * 40)
    for args in (["--host", "0.0.0.0"], ["--production"]):  # off loopback by default, or asked for
        plan = plan_from_args(parse("--data-dir", str(tmp_path), *args, *SMTP))
        assert plan.production and plan.settings is not None and not plan.settings.dev
        assert plan.settings.delivers_codes and plan.config.dev_outbox is None
        text = banner(plan)
        assert "production" in text and "DEVELOPMENT" not in text and "outbox" not in text
    webhook = plan_from_args(parse("--production", "--code-delivery", "webhook:https://sms.example.com/send"))
    assert webhook.production
    with pytest.raises(UsageError, match="contradict"):
        plan_from_args(parse("--production", "--dev", *SMTP))


def test_production_mode_refuses_to_start_without_delivery_or_storage_secret(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"deliver codes.*storage secret"):
        plan_from_args(parse("--production", "--data-dir", str(tmp_path)))
    with pytest.raises(UsageError, match="NICEGUI_AUTHENTICATOR_STORAGE_SECRET") as refused:
        plan_from_args(parse("--production", "--data-dir", str(tmp_path), *SMTP))
    assert "deliver" not in str(refused.value)
    # A remote endpoint delivers its own codes; the page still needs the shared secret.
    with pytest.raises(UsageError, match="storage secret"):
        plan_from_args(parse("--production", "--endpoint", "https://auth.example.com/api"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--brand-color", "red;}body{display:none"], "colour"),
        (["--allow-redirect", "https://"], "host"),
        (["--logo", "javascript:alert(1)"], "logo"),
        (["--port", "0"], "port"),
    ],
)
def test_bad_page_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan_from_args(parse("--data-dir", str(tmp_path), *args))


def test_a_local_logo_file_is_served_by_the_page(tmp_path: Path) -> None:
    logo = tmp_path / "Logo.PNG"
    logo.write_bytes(b"\x89PNG")
    plan = plan_from_args(parse("--data-dir", str(tmp_path), "--logo", str(logo), "--title", "Acme"))
    assert plan.logo_file == logo.resolve()
    assert plan.config.logo is not None and plan.config.logo.endswith(".png")
    assert plan.config.title == "Acme" and plan.config.issuer == "Acme"


def test_a_bad_combination_exits_2_with_the_usage_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from nicegui_authenticator.ui.hosted.cli import main; main()", "serve",
         "--host", "0.0.0.0", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "usage: " in result.stderr and "--production" in result.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 30.0) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _serve(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "nicegui-authenticator"), "serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.mark.slow
def test_serve_comes_up_with_no_arguments_and_keeps_its_secret(tmp_path: Path) -> None:
    """What ``make run`` does on a fresh machine (only the port differs, 8080 may be taken)."""
    port = _free_port()
    process = _serve(tmp_path, port)
    try:
        page = _get(f"http://127.0.0.1:{port}/")
        assert b"authenticator" in page and b"hosted-dev-banner" in page
        assert json.loads(_get(f"http://127.0.0.1:{port}/dev/outbox.json")) == []
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "DEVELOPMENT MODE" in output
    data = tmp_path / ".nicegui-authenticator"
    secret_file = data / "storage-secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "sessions").stat().st_mode) == 0o700
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert (data / DB_FILE).exists()
    secret = secret_file.read_text()

    process = _serve(tmp_path, port)
    try:
        _get(f"http://127.0.0.1:{port}/")
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert secret_file.read_text() == secret  # kept across restarts: sessions survive them


def test_initial_screen_and_email_mfa_on_sign_up_reach_the_page_and_the_backend(tmp_path: Path) -> None:
    plan = plan_from_args(parse("--data-dir", str(tmp_path), "--initial-screen", "sign-up"))
    assert plan.config.initial_screen is ScreenName.SIGN_UP
    assert plan.settings is not None and not plan.settings.email_mfa_on_sign_up  # opt-in by default
    plan = plan_from_args(parse("--data-dir", str(tmp_path), "--email-mfa-on-sign-up"))
    assert plan.config.initial_screen is None
    assert plan.settings is not None and plan.settings.enrols_email_mfa_on_sign_up
    with pytest.raises(SystemExit):
        parse("--initial-screen", "signed-in")


@pytest.mark.parametrize(
    ("given", "dark"), [((), None), (("--dark", "on"), True), (("--dark", "off"), False)]
)
def test_dark_follows_the_browser_unless_forced(
    tmp_path: Path, given: tuple[str, ...], dark: bool | None
) -> None:
    plan = plan_from_args(parse("--data-dir", str(tmp_path), *given))
    assert plan.config.dark is dark


def test_a_brand_colour_with_too_little_contrast_is_adjusted_and_reported(tmp_path: Path) -> None:
    plan = plan_from_args(parse("--data-dir", str(tmp_path), "--brand-color", "#5898d4"))
    assert plan.config.brand_color == "#5898d4"  # what was asked stays on record
    assert plan.config.palette.light != "#5898d4"
    assert "warning: brand colour #5898d4 has 3.06:1" in banner(plan)


def test_a_readable_brand_colour_is_used_as_given(tmp_path: Path) -> None:
    plan = plan_from_args(parse("--data-dir", str(tmp_path), "--brand-color", "#0f766e"))
    assert plan.config.palette.light == "#0f766e"
    assert "warning" not in banner(plan)


@pytest.mark.slow
def test_serve_in_production_mails_codes_and_has_no_outbox(tmp_path: Path) -> None:
    """``serve --production``: the embedded backend sends the sign-up code by SMTP; nothing shows it."""
    import email
    import email.policy

    from aiosmtpd.controller import Controller

    received: list[bytes] = []

    class Inbox:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            received.append(envelope.content)  # type: ignore[attr-defined]
            return "250 OK"

    smtp_port, port = _free_port(), _free_port()
    mail_server = Controller(Inbox(), hostname="127.0.0.1", port=smtp_port)
    mail_server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    env["NICEGUI_AUTHENTICATOR_STORAGE_SECRET"] = "a-storage-secret-from-the-environment-0123"
    argv = [str(Path(sys.executable).parent / "nicegui-authenticator"), "serve", "--production"]
    argv += [
        "--port",
        str(port),
        "--smtp-url",
        f"smtp://127.0.0.1:{smtp_port}",
        "--mail-from",
        "na@example.com",
    ]
    process = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = _get(f"http://127.0.0.1:{port}/")
        assert b"authenticator" in page and b"hosted-dev-banner" not in page
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/dev/outbox.json", timeout=5)
        assert missing.value.code == 404
        body = {
            "jsonrpc": "2.0",
            "method": "authApi.setAuthState",
            "params": [
                {
                    "action": "signUp",
                    "username": "prod",
                    "password": "Tangerine-Kite-7",
                    "email": "p@example.com",
                }
            ],
            "id": 1,
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/aws-blocks/api",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.loads(response.read())["result"]
            assert result["state"] == "confirmingSignUp", result
        (raw,) = received
        mail = email.message_from_bytes(raw, policy=email.policy.default)
        assert mail["To"] == "p@example.com" and "Confirm your" in mail["Subject"]
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
        mail_server.stop()
    assert "production" in output and "DEVELOPMENT MODE" not in output
    assert not (
        tmp_path / ".nicegui-authenticator" / "storage-secret"
    ).exists()  # it came from the environment
