"""initial_screen: open on Create Account (or another signed-out screen) when the server offers it."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import CannedBackend, eventually, root, signed_in, signed_out, wait_for_screen


@pytest.mark.parametrize("screen", ["sign_up", "forgot_password"])
async def test_it_opens_on_the_screen_asked_for(user: User, screen: str) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(signed_out())), initial_screen=screen)

    await user.open("/")
    await wait_for_screen(user, screen)


async def test_a_screen_the_server_does_not_offer_stays_on_sign_in(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(signed_out())), initial_screen="sign_up", hide_sign_up=True)

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    await user.should_not_see(marker="authenticator-tab-signUp")


async def test_a_signed_in_person_is_not_sent_anywhere(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(signed_in("ada"))), initial_screen="sign_up")

    await user.open("/")
    await wait_for_screen(user, "signed_in")
    await eventually(lambda: root(user).props.get("data-screen") == "signed_in")


def test_only_signed_out_screens_can_be_first() -> None:
    with pytest.raises(ValueError, match="initial_screen 'signed_in' is not one of"):
        Authenticator(InProcessApi(CannedBackend(signed_out())), initial_screen="signed_in")
