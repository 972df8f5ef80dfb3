"""CORS for an allow-list of web apps, cross-site cookies, and the group commands of ``admin``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from backend_support import STRONG, MakeBackend
from nicegui_authenticator.backend import command_line
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.settings import BackendSettings
from nicegui_authenticator.ui.hosted.cli import build_parser

APP = "http://localhost:5173"
OTHER_APP = "https://app.example.com"
STRANGER = "http://evil.localhost:6666"
GET_AUTH_STATE = {"jsonrpc": "2.0", "method": "authApi.getAuthState", "params": [], "id": 1}


def http(backend: ReferenceBackend, host: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=backend.asgi_app)
    return httpx.AsyncClient(transport=transport, base_url=f"http://{host}")


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


def preflight(origin: str) -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }


async def test_allowed_origins_get_credentialed_cors_and_a_preflight(make_backend: MakeBackend) -> None:
    backend = make_backend(cors_origins=(APP, OTHER_APP + "/"))
    async with http(backend) as client:
        for origin in (APP, OTHER_APP):
            response = await client.post("/aws-blocks/api", json=GET_AUTH_STATE, headers={"origin": origin})
            assert response.json()["result"]["state"] == "signedOut"
            assert response.headers["access-control-allow-origin"] == origin
            assert response.headers["access-control-allow-credentials"] == "true"
            assert "origin" in response.headers["vary"].lower()
            answered = await client.options("/aws-blocks/api", headers=preflight(origin))
            assert answered.status_code == 200
            headers = cors_headers(answered)
            assert headers["access-control-allow-origin"] == origin
            assert headers["access-control-allow-credentials"] == "true"
            assert "POST" in headers["access-control-allow-methods"]
            assert "content-type" in headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize("configured", [(), (APP,)])
async def test_anyone_else_gets_no_cors_headers_at_all(
    make_backend: MakeBackend, configured: tuple[str, ...]
) -> None:
    backend = make_backend(cors_origins=configured)
    async with http(backend) as client:
        for origin in (STRANGER, "null", APP + "1", "https://localhost:5173"):
            response = await client.post("/aws-blocks/api", json=GET_AUTH_STATE, headers={"origin": origin})
            # Refused by the forgery guard too (request_forgery.py): one allow-list for both.
            assert response.status_code == 403 and cors_headers(response) == {}
            refused = await client.options("/aws-blocks/api", headers=preflight(origin))
            assert cors_headers(refused) == {}
            assert refused.status_code == 404  # the endpoint's own answer to anything but POST
        response = await client.post("/aws-blocks/api", json=GET_AUTH_STATE)  # same-origin: no Origin
        assert cors_headers(response) == {}
    if not configured:
        async with http(backend) as client:
            response = await client.post("/aws-blocks/api", json=GET_AUTH_STATE, headers={"origin": APP})
            assert cors_headers(response) == {}


def test_cors_origins_are_checked_and_normalised() -> None:
    settings = BackendSettings(cors_origins=("HTTP://LocalHost:5173/", "https://app.example.com"))
    assert settings.cors_origins == ("http://localhost:5173", "https://app.example.com")
    for bad in ("localhost:5173", "https://app.example.com/login", "ftp://x", "https://u:p@x.com", "*"):
        with pytest.raises(ValueError):
            BackendSettings(cors_origins=(bad,))


def test_cors_and_cross_site_options_on_the_command_line() -> None:
    ns = build_parser().parse_args(
        ["backend", "--cors-origin", APP, "--cors-origin", OTHER_APP, "--cross-site-cookies"]
    )
    settings = command_line.settings_from_args(ns)
    assert settings.cors_origins == (APP, OTHER_APP) and settings.cross_site_cookies is True
    plain = command_line.settings_from_args(build_parser().parse_args(["backend"]))
    assert plain.cors_origins == () and plain.cross_site_cookies is False
    env = BackendSettings.from_env({"NICEGUI_AUTHENTICATOR_CORS_ORIGINS": f"{APP},{OTHER_APP}"})
    assert env.cors_origins == (APP, OTHER_APP)


async def sign_in_cookies(backend: ReferenceBackend, host: str) -> list[str]:
    backend.add_user("ada", STRONG, temporary=False)
    sign_in = {
        "jsonrpc": "2.0",
        "method": "authApi.setAuthState",
        "params": [{"action": "signIn", "username": "ada", "password": STRONG}],
        "id": 1,
    }
    async with http(backend, host) as client:
        signed_in = await client.post("/aws-blocks/api", json=sign_in)
        cookies = signed_in.headers.get_list("set-cookie")
        sign_in["params"] = [{"action": "signOut"}]
        signed_out = await client.post("/aws-blocks/api", json=sign_in)
        return cookies + signed_out.headers.get_list("set-cookie")


async def test_cross_site_cookies_are_same_site_none_secure_partitioned(make_backend: MakeBackend) -> None:
    cookies = await sign_in_cookies(make_backend(cross_site_cookies=True), "127.0.0.1")
    # Session and known-device cookies set on sign-in, the session cleared on sign-out: all cross-site.
    assert [line.split("=", 1)[0] for line in cookies] == ["auth_session", "known_device", "auth_session"]
    for line in cookies:
        attributes = [part.strip() for part in line.split(";")[1:]]
        assert {"HttpOnly", "SameSite=None", "Secure", "Partitioned", "Path=/"} <= set(attributes)
        assert "SameSite=Lax" not in attributes
    assert cookies[2].split(";")[0] == "auth_session=" and "Max-Age=0" in cookies[2]


async def test_default_cookies_stay_lax_and_secure_only_off_loopback(make_backend: MakeBackend) -> None:
    loopback = await sign_in_cookies(make_backend(), "127.0.0.1")
    public = await sign_in_cookies(make_backend(), "auth.example.com")
    for line in loopback + public:
        assert "SameSite=Lax" in line and "Partitioned" not in line
    assert all("Secure" not in line for line in loopback)
    assert all("Secure" in line for line in public)


# -- admin add-to-group / remove-from-group ---------------------------------------------------


def run_admin(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    ns = build_parser().parse_args(["admin", *argv])
    code = command_line.run_admin(ns)
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_admin_group_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_backend: MakeBackend
) -> None:
    db = str(tmp_path / "groups.sqlite3")
    seeded = make_backend(db_path=db)
    seeded.add_user("ada", STRONG, temporary=False)
    seeded.close()
    opts: list[Any] = ["--db", db]
    assert run_admin(["add-to-group", "ada", "admins", *opts], capsys) == (0, "added ada to admins", "")
    assert run_admin(["add-to-group", "ada", "admins", *opts], capsys) == (0, "ada is already in admins", "")
    with ReferenceBackend(BackendSettings(db_path=db)) as backend:
        assert backend.groups_of("ada") == ["admins"]
    assert run_admin(["remove-from-group", "ada", "admins", *opts], capsys) == (
        0,
        "removed ada from admins",
        "",
    )
    assert run_admin(["remove-from-group", "ada", "admins", *opts], capsys) == (0, "ada is not in admins", "")
    code, _, err = run_admin(["add-to-group", "nobody", "admins", *opts], capsys)
    assert code == 2 and "no account named 'nobody'" in err
    code, _, err = run_admin(["add-to-group", "ada", "two words", *opts], capsys)
    assert code == 2 and "no spaces" in err
    with ReferenceBackend(BackendSettings(db_path=db)) as backend:
        assert backend.groups_of("ada") == []
