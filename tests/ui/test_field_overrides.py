"""Form-field overrides change what a person sees, never what is sent beyond what they typed."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.authenticator import Authenticator
from nicegui_authenticator.ui.components.field_overrides import FieldOverride, parse_overrides
from test_authenticator_support import (
    CannedBackend,
    element_in,
    eventually,
    fill,
    signed_out,
    submit,
    wait_for_screen,
)

OVERRIDES = {
    "sign_up": {
        "email": {
            "label": "Work email",
            "placeholder": "you@company.com",
            "hint": "We never share it.",
            "order": 0,
        },
        "username": {"hidden": True, "default": "from-the-app"},
    }
}


async def test_overrides_relabel_reorder_hide_and_prefill_but_send_the_same_fields(user: User) -> None:
    backend = CannedBackend(signed_out())

    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(backend), form_fields=OVERRIDES)

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    user.find(marker="authenticator-tab-signUp").click()
    await wait_for_screen(user, "sign_up")

    email = element_in(user, "signUp", "authenticator-email")
    # hidden: the User fixture's find() skips it, so look among the form's children
    form = email.parent_slot.parent  # type: ignore[union-attr]
    (username,) = [c for c in form.default_slot.children if c.props.get("name") == "username"]
    assert isinstance(email, ui.input) and isinstance(username, ui.input)
    assert (email.props["label"], email.props["placeholder"]) == ("Work email", "you@company.com")
    assert email.props["hint"] == "We never share it."
    assert not username.visible and username.value == "from-the-app"
    inputs = [child for child in form.default_slot.children if isinstance(child, ui.input)]
    assert inputs[0] is email  # order 0: first

    await fill(
        user,
        "signUp",
        {"email": "ada@example.com", "password": "Sup3r-secret!", "confirmPassword": "Sup3r-secret!"},
    )
    await submit(user, "signUp")
    await eventually(lambda: backend.calls)
    # the server's fields, no more: the hidden one with its default, the rest as typed
    assert backend.calls[-1] == {
        "action": "signUp",
        "username": "from-the-app",
        "password": "Sup3r-secret!",
        "email": "ada@example.com",
    }


def test_the_sign_in_screen_keeps_its_own_fields_untouched() -> None:
    parsed = parse_overrides(OVERRIDES)
    assert set(parsed) == {"sign_up"} and parsed["sign_up"]["username"] == FieldOverride(
        hidden=True, default="from-the-app"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"signup": {"email": {"label": "x"}}}, "unknown screen"),
        ({"sign_up": {"email": {"colour": "x"}}}, "unknown override colour"),
        ({"sign_up": {"email": {"label": 3}}}, "are strings"),
        ({"sign_up": {"email": {"order": "1"}}}, "whole number"),
        ({"sign_up": {"email": {"hidden": "yes"}}}, "true or false"),
    ],
)
def test_bad_overrides_are_refused(given: dict[str, dict[str, dict[str, object]]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_overrides(given)
