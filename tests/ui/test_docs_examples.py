"""The examples the documentation site includes work as the pages say."""

from __future__ import annotations

import sys
from pathlib import Path

from nicegui.testing import User

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import customise
import pytest
import sign_up_fields
from test_authenticator_support import cheap_backend, fill, in_process_client, submit, wait_for_screen


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


@pytest.mark.parametrize(("asked", "stored"), [(("given_name",), {"given_name": "Ada"}), ((), {})])
async def test_the_sign_up_fields_example_sends_the_name_only_when_the_server_asks(
    user: User, tmp_path: Path, asked: tuple[str, ...], stored: dict[str, str]
) -> None:
    backend = cheap_backend(str(tmp_path / "auth.sqlite3"), mfa="off", sign_up_attributes=asked)
    client = in_process_client(backend)
    try:
        sign_up_fields.page(client)
        await user.open("/")
        user.find("Sign in").click()
        await wait_for_screen(user, "sign_in")
        user.find(marker="authenticator-tab-signUp").click()
        await wait_for_screen(user, "sign_up")
        typed = {"username": "ada", "email": "ada@example.com", "password": "Sup3r-secret!"}
        typed["confirmPassword"] = typed["password"]
        await fill(user, "signUp", {**typed, "given_name": "4da"})
        await submit(user, "signUp")
        await user.should_see("A name has no digits.")
        await fill(user, "signUp", {"given_name": "Ada"})
        await submit(user, "signUp")
        await wait_for_screen(user, "confirm_sign_up")
        account = backend._parts.users.by_username("ada")
        assert account is not None and dict(account.attributes) == stored
    finally:
        await client.aclose()
        backend.close()
