"""Testing an app's sign-in without a browser, with the plugin's fixtures.

Run with ``pytest -p nicegui_authenticator.testing -p nicegui.testing.user_plugin``
(``asyncio_mode = "auto"``; the user plugin wants ``main_file = ""`` when the
pages are defined by the tests, as here).
"""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator import AuthenticatedContent, HeadlessAuthenticator
from nicegui_authenticator.testing import SIGNED_IN_USERNAME, AuthOutbox


@pytest.mark.auth_backend(mode="cognito", mfa="off")
async def test_sign_up_confirm_and_sign_in(headless: HeadlessAuthenticator, auth_outbox: AuthOutbox) -> None:
    screen = await headless.sign_up(
        "alice",
        "Tangerine-Kite-7",
        attributes={"email": "alice@example.com"},
        code=auth_outbox.code_for("alice"),
    )
    assert screen.user is not None and screen.user.username == "alice"
    await headless.sign_out()
    user = await headless.sign_in("alice", "Tangerine-Kite-7")
    assert user.username == "alice"


@pytest.mark.auth_backend(mfa="off")
async def test_a_signed_in_person_sees_the_protected_content(signed_in_user: User, auth_client) -> None:
    @ui.page("/dashboard")
    def dashboard() -> None:
        with AuthenticatedContent(auth_client):
            ui.label("Revenue this month: 1,234,567")

    await signed_in_user.open("/dashboard")
    await signed_in_user.should_see("Revenue this month")
    assert SIGNED_IN_USERNAME == "tester"
