"""Shared helpers for the dashboard building blocks' User-fixture tests (no tests here).

AccountMenu, AuthenticatedContent and ``protected`` are tested against the
reference backend in-process (an :class:`AuthClient` over httpx's ASGI
transport), because what they add is per-browser state: the cookie jar in
``app.storage.user`` and the remembered answer stamped with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.settings import BackendSettings, ScryptCost
from nicegui_authenticator.client import AuthClient

PASSWORD = "Passw0rd!x"


def reference_backend(tmp_path: Path, **changes: Any) -> ReferenceBackend:
    """The reference backend with a cheap hash, no MFA, and one confirmed account per call of ``account``."""
    values: dict[str, Any] = {
        "db_path": str(tmp_path / "auth.sqlite3"),
        "password_hash_cost": ScryptCost(n=2**4, r=8, p=1),
        "mfa": "off",
    }
    values.update(changes)
    return ReferenceBackend(BackendSettings(**values))


def account(backend: ReferenceBackend, username: str) -> str:
    backend.add_user(username, PASSWORD, temporary=False)
    return username


def in_process_client(backend: ReferenceBackend) -> AuthClient:
    return AuthClient("http://127.0.0.1/aws-blocks/api", transport=httpx.ASGITransport(app=backend.asgi_app))


async def sign_in(user: User, username: str, *, within: str = "authenticator") -> None:
    """Fill and submit the sign-in form of the Authenticator marked ``within``."""
    await eventually(lambda: has_marker(user, "authenticator-action-signIn"))
    with user.scope(marker=within), user.scope(marker="authenticator-action-signIn"):
        for name, value in {"username": username, "password": PASSWORD}.items():
            (field,) = user.find(marker=f"authenticator-{name}").elements
            assert isinstance(field, ui.input)
            field.value = value
        user.find(marker="authenticator-submit").click()


async def eventually(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``predicate()`` holds (verifications and effects run in background tasks)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


def texts(user: User) -> list[str]:
    """Every text of every element the page holds, hidden or not (what the browser receives)."""
    assert user.client is not None
    return [str(getattr(e, "text", "")) for e in user.client.elements.values()]


def has_marker(user: User, marker: str) -> bool:
    try:
        return bool(user.find(marker=marker).elements)
    except AssertionError:  # find() insists on at least one
        return False
