"""The examples the documentation site includes work as the pages say."""

from __future__ import annotations

import sys
from pathlib import Path

from nicegui.testing import User

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import customise
from test_authenticator_support import cheap_backend, in_process_client


async def test_the_customised_authenticator_speaks_the_apps_words(user: User, tmp_path: Path) -> None:
    backend = cheap_backend(str(tmp_path / "auth.sqlite3"), mfa="off")
    client = in_process_client(backend)
    try:
        customise.page(client)
        await user.open("/")
        await user.should_see("Welcome back")
        await user.should_see("Continue")
        await user.should_not_see(marker="authenticator-tab-signUp")
    finally:
        await client.aclose()
        backend.close()
