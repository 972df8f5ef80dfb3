"""The README's embedding example (``examples/embed.py``, byte for byte) works as promised.

The example talks to a setAuthState server at ``localhost:3000``. Here that URL
is routed in-process to the reference backend (the example's ``AuthClient`` is
built with an ASGI transport), and the file runs in NiceGUI's User simulation
exactly as ``python examples/embed.py`` would run it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from nicegui.testing import User
from nicegui.testing.user_simulation import user_simulation
from nicegui_authenticator.client import AuthClient
from test_account_menu_support import account, eventually, reference_backend, sign_in, texts

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embed.py"
SECRET = "Only signed-in people see this."


async def test_the_embedding_example_signs_in_through_the_account_menu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "readme-reader")

    def routed_client(endpoint: str, *args: Any, **kwargs: Any) -> AuthClient:
        assert endpoint == "http://localhost:3000/aws-blocks/api"
        return AuthClient(endpoint, *args, transport=httpx.ASGITransport(app=backend.asgi_app), **kwargs)

    # Looked up now: NiceGUI's test reset drops modules that defined pages (the
    # hosted page's tests do), so an import made at collection time may be stale.
    public = importlib.import_module("nicegui_authenticator")
    monkeypatch.setattr(public, "AuthClient", routed_client)
    user: User
    async with user_simulation(main_file=EXAMPLE) as user:
        await user.open("/")
        await user.should_see("My dashboard")
        await user.should_see(marker="account-menu-signin")
        assert SECRET not in texts(user)

        user.find(marker="account-menu-signin").click()
        await user.should_see(marker="account-menu-modal")
        await sign_in(user, name, within="account-menu-modal")
        await user.should_see(SECRET, retries=100)
        await user.should_see(marker="account-menu-username")
        await user.should_see(name)

        user.find(marker="account-menu-signout").click()
        await eventually(lambda: SECRET not in texts(user))
        await user.should_see(marker="account-menu-signin")
