"""Test helpers for the backend: a fake clock, cheap settings, and an in-process RPC client."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyotp
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.settings import BackendSettings, ScryptCost

# Cheap enough that a test suite with hundreds of hashes stays fast; the
# default cost is exercised by bench/backend.py and the CLI test.
MakeBackend = Callable[..., ReferenceBackend]
"""The ``make_backend`` fixture: settings overrides in, a cleaned-up backend out."""

CHEAP_COST = ScryptCost(n=2**4, r=8, p=1)
ORIGIN = "http://localhost:8080"
STRONG = "Tangerine-Kite-7"  # not on the common-password list, every character class
STRONGER = "N3w-Passw0rd!"


class FakeClock:
    """Injected as ``settings.clock`` so expiry is tested without sleeping."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def settings(tmp_path: Path, **changes: Any) -> BackendSettings:
    values: dict[str, Any] = {
        "db_path": str(tmp_path / "auth.sqlite3"),
        "key_path": str(tmp_path / "auth.key"),  # one key for every backend of a test (PostgreSQL too)
        "password_hash_cost": CHEAP_COST,
        "origins": (ORIGIN,),
    }
    values.update(changes)
    return BackendSettings(**values)


def totp_now(secret: str, clock: FakeClock) -> str:
    return pyotp.TOTP(secret).at(clock())


class RpcClient:
    """One browser: its own cookie jar, talking JSON-RPC to the backend in-process."""

    def __init__(
        self, backend: ReferenceBackend, *, address: str = "127.0.0.1", base_url: str = "http://127.0.0.1"
    ) -> None:
        self.backend = backend
        transport = httpx.ASGITransport(app=backend.asgi_app, client=(address, 50000))
        self.http = httpx.AsyncClient(transport=transport, base_url=base_url)
        self._ids = 0

    async def __aenter__(self) -> RpcClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    @property
    def path(self) -> str:
        return self.backend.settings.path

    async def envelope(self, method: str, params: Any = None) -> httpx.Response:
        self._ids += 1
        body = {"jsonrpc": "2.0", "method": f"{self.backend.settings.namespace}.{method}", "id": self._ids}
        body["params"] = [] if params is None else params
        return await self.http.post(self.path, json=body)

    async def get(self) -> dict[str, Any]:
        response = await self.envelope("getAuthState")
        return result_of(response)

    async def set(self, action: str, **fields: Any) -> dict[str, Any]:
        response = await self.envelope("setAuthState", [{"action": action, **fields}])
        return result_of(response)

    def cookie(self, name: str | None = None) -> str | None:
        return self.http.cookies.get(name or self.backend.settings.cookie_name)


def result_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "result" in body, body
    result: dict[str, Any] = body["result"]
    return result


def action_names(state: dict[str, Any]) -> list[str]:
    return [a["name"] for a in state.get("actions", [])]


def action(state: dict[str, Any], name: str) -> dict[str, Any]:
    for candidate in state["actions"]:
        if candidate["name"] == name:
            found: dict[str, Any] = candidate
            return found
    raise AssertionError(f"no action {name} in {action_names(state)}")


def default(state: dict[str, Any], action_name: str, field_name: str) -> str:
    for f in action(state, action_name)["fields"]:
        if f["name"] == field_name:
            value: str = f["defaultValue"]
            return value
    raise AssertionError(f"no field {field_name} in {action_name}")


def session_of(state: dict[str, Any]) -> str:
    return default(state, "confirmSignIn", "session")


async def sign_up_confirmed(
    client: RpcClient, username: str, password: str = STRONG, **attributes: str
) -> None:
    """Sign up and confirm with the code from the outbox (no auto sign-in)."""
    state = await client.set("signUp", username=username, password=password, autoSignIn="false", **attributes)
    assert state["state"] == "confirmingSignUp", state
    code = client.backend.latest_code(username, "sign-up")
    extra = {"password": password} if client.backend.settings.mode == "basic" else {}
    state = await client.set("confirmSignUp", username=username, code=code, **extra)
    assert "error" not in state, state


async def enroll_totp(client: RpcClient, clock: FakeClock) -> tuple[str, dict[str, Any]]:
    """Set up an authenticator app for the signed-in account: its secret, and the state after the right code."""
    secret = default(await client.set("startTotpSetup"), "completeTotpSetup", "sharedSecret")
    return secret, await client.set("completeTotpSetup", code=totp_now(secret, clock))
