"""``variation="modal"``: the Authenticator in a dialog that opens on demand and closes after sign-in."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import FakeBackend, eventually, fill, submit, wait_for_screen


def _dialog_of(authenticator: Authenticator) -> ui.dialog:
    dialog = authenticator.parent_slot.parent  # type: ignore[union-attr]
    assert isinstance(dialog, ui.dialog)
    return dialog


async def test_the_modal_opens_on_demand_is_named_and_closes_after_sign_in(user: User) -> None:
    made: list[Authenticator] = []

    @ui.page("/")
    def page() -> None:
        authenticator = Authenticator(InProcessApi(FakeBackend()), variation="modal", title="Acme")
        made.append(authenticator)
        ui.button("Sign in", on_click=authenticator.open).mark("open-sign-in")

    await user.open("/")
    (authenticator,) = made
    dialog = _dialog_of(authenticator)
    await eventually(lambda: authenticator.screen.name.value == "sign_in")
    assert dialog.value is False  # closed until asked for
    assert dialog.props["aria-label"] == "Acme"  # Quasar puts it on the role="dialog" element

    user.find(marker="open-sign-in").click()
    assert dialog.value is True  # Quasar moves focus into a dialog it shows (its no-focus is off)
    assert not dialog.props.get("no-focus")
    await wait_for_screen(user, "sign_in")
    await fill(user, "signIn", {"username": "alice", "password": "Passw0rd!"})
    await submit(user, "signIn")
    await eventually(lambda: authenticator.user is not None)
    await eventually(lambda: dialog.value is False)


async def test_the_modal_is_named_in_the_readers_language_without_a_title(user: User) -> None:
    made: list[Authenticator] = []

    @ui.page("/")
    def page() -> None:
        made.append(Authenticator(InProcessApi(FakeBackend()), variation="modal", language="de"))

    await user.open("/")
    (authenticator,) = made
    label = _dialog_of(authenticator).props["aria-label"]
    assert label and label != "Sign In"  # translated (German), not the English fallback


async def test_the_default_variation_has_no_dialog(user: User) -> None:
    made: list[Authenticator] = []

    @ui.page("/")
    def page() -> None:
        made.append(Authenticator(InProcessApi(FakeBackend())))

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert not isinstance(made[0].parent_slot.parent, ui.dialog)  # type: ignore[union-attr]
    made[0].open()  # harmless: nothing to open


def test_an_unknown_variation_is_refused() -> None:
    with pytest.raises(ValueError, match="variation"):
        Authenticator(InProcessApi(FakeBackend()), variation="drawer")  # type: ignore[arg-type]
