"""The README's API example (``examples/api_dashboard.py``, byte for byte) calls the API as the person.

As in ``test_readme_example.py``, the example's endpoint is routed in-process to
the reference backend, here with the app method the example calls registered
on it, and the file runs in NiceGUI's User simulation as ``python
examples/api_dashboard.py`` would.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from nicegui.testing import User
from nicegui.testing.user_simulation import user_simulation
from nicegui_authenticator.client import AuthClient
from nicegui_authenticator.state_machine import AuthUser
from test_account_menu_support import account, reference_backend, sign_in

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "api_dashboard.py"
_BLOCK = re.compile(r"<!-- readme-example: api-dashboard -->\s*```python\n(?P<code>.*?)```", re.S)


def test_the_readme_shows_the_tested_file() -> None:
    block = _BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block is not None and block["code"] == EXAMPLE.read_text(encoding="utf-8")
    code_lines = [line for line in block["code"].splitlines() if line.strip()]
    assert len(code_lines) < 15


async def test_the_api_example_shows_the_signed_in_persons_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "api-reader")

    @backend.method("api.getProfile")
    async def get_profile(user: AuthUser) -> dict[str, str]:
        return {"username": user.username}

    def routed_client(endpoint: str, *args: Any, **kwargs: Any) -> AuthClient:
        assert endpoint == "http://localhost:8000/aws-blocks/api"
        return AuthClient(endpoint, *args, transport=httpx.ASGITransport(app=backend.asgi_app), **kwargs)

    public = importlib.import_module("nicegui_authenticator")
    monkeypatch.setattr(public, "AuthClient", routed_client)
    user: User
    async with user_simulation(main_file=EXAMPLE) as user:
        await user.open("/")
        await user.should_see(marker="authenticator-action-signIn")
        await sign_in(user, name)
        await user.should_see("My profile", retries=100)
        user.find("My profile").click()
        await user.should_see(str({"username": name}), retries=100)
