"""``hide_sign_up`` hides Create Account on every screen and variation, and after a sign-out."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import (
    CannedBackend,
    FakeBackend,
    find_in,
    signed_in,
    signed_out,
    wait_for_screen,
)

PASSKEY_SIGN_IN = {
    "name": "signInWithPasskey",
    "label": "Sign in with passkey",
    "fields": [{"name": "username", "label": "Username", "type": "text", "required": True}],
}


async def _sees_no_sign_up(user: User) -> None:
    await user.should_not_see(marker="authenticator-tab-signUp")
    await user.should_not_see(marker="authenticator-action-signUp")
    await user.should_not_see("Create Account")


@pytest.mark.parametrize("screen", ["sign_in", "forgot_password", "passkey_sign_in"])
@pytest.mark.parametrize("variation", ["default", "modal"])
async def test_no_signed_out_screen_offers_sign_up(user: User, screen: str, variation: str) -> None:
    made: list[Authenticator] = []

    @ui.page("/")
    def page() -> None:
        backend = CannedBackend(signed_out(PASSKEY_SIGN_IN))
        made.append(
            Authenticator(
                InProcessApi(backend),
                hide_sign_up=True,
                initial_screen=screen,
                variation=variation,  # type: ignore[arg-type]
            )
        )

    await user.open("/")
    made[0].open()
    await wait_for_screen(user, screen)
    await _sees_no_sign_up(user)


async def test_the_tab_stays_hidden_after_a_sign_out(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(FakeBackend(state=signed_in("alice"))), hide_sign_up=True)

    await user.open("/")
    await wait_for_screen(user, "signed_in")
    find_in(user, "signOut", "authenticator-submit").click()
    await wait_for_screen(user, "sign_in")
    await _sees_no_sign_up(user)


async def test_without_hide_sign_up_the_tab_is_there(user: User) -> None:
    """The check above can fail: the same page without the option shows the tab."""

    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(signed_out())))

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    await user.should_see(marker="authenticator-tab-signUp")
