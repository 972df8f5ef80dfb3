"""The Authenticator element in NiceGUI's simulated browser (User fixture)."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.authenticator import Authenticator
from test_authenticator_support import FakeBackend, fill, submit


async def test_sign_in_and_out(user: User) -> None:
    backend = FakeBackend()

    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(backend))

    await user.open("/")
    await user.should_see(marker="authenticator-action-signIn")
    await fill(user, "signIn", {"username": "alice", "password": "Passw0rd!"})
    await submit(user, "signIn")
    await user.should_see("Signed in as: alice")
    await submit(user, "signOut")
    await user.should_see(marker="authenticator-action-signIn")


async def test_sign_up_confirm_and_signed_in(user: User) -> None:
    backend = FakeBackend()
    changes: list[str | None] = []

    @ui.page("/")
    def page() -> None:
        Authenticator(
            InProcessApi(backend), on_auth_change=lambda u: changes.append(u.username if u else None)
        )

    await user.open("/")
    await user.should_see(marker="authenticator-tab-signUp")
    user.find(marker="authenticator-tab-signUp").click()
    await user.should_see(marker="authenticator-action-signUp")
    await fill(
        user,
        "signUp",
        {"username": "bob", "password": "Sup3rS3cret!", "confirmPassword": "Sup3rS3cret!", "email": "b@x.io"},
    )
    await submit(user, "signUp")
    await user.should_see(marker="authenticator-action-confirmSignUp")
    await user.should_see(marker="authenticator-action-resendSignUpCode")
    await fill(user, "confirmSignUp", {"code": "123 456"})
    await submit(user, "confirmSignUp")
    await user.should_see("Signed in as: bob")
    assert backend.calls[-1] == {"action": "confirmSignUp", "username": "bob", "code": "123456"}
    assert changes == ["bob"]
