"""The app's own sign-up fields: checked in the browser's session, sent only when the server asks for them."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator import SignUpField
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.state_machine.catalogs import catalog_for
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import (
    RESET,
    SIGN_IN,
    CannedBackend,
    element_in,
    eventually,
    fill,
    submit,
    wait_for_screen,
)

PASSWORDS = {"password": "Sup3r-secret!", "confirmPassword": "Sup3r-secret!"}


def _no_digits(value: str) -> str | None:
    return "Names have no digits." if any(c.isdigit() for c in value) else None


def _signed_out_asking(*attributes: str) -> dict[str, Any]:
    """A signedOut state whose signUp lists ``attributes`` besides username and password."""
    fields = [
        {"name": "username", "label": "Username", "type": "text", "required": True},
        {"name": "password", "label": "Password", "type": "password", "required": True},
        *({"name": name, "label": name, "type": "text", "required": False} for name in attributes),
    ]
    return {
        "state": "signedOut",
        "actions": [SIGN_IN, {"name": "signUp", "label": "Create Account", "fields": fields}, RESET],
    }


def _error_of(user: User, name: str) -> str | None:
    """The error shown under ``name`` now (the form is redrawn with its errors)."""
    return getattr(element_in(user, "signUp", f"authenticator-{name}"), "error", None)


def _value_of(user: User, name: str) -> str:
    return str(getattr(element_in(user, "signUp", f"authenticator-{name}"), "value", ""))


async def _open_sign_up(
    user: User, backend: CannedBackend, fields: list[SignUpField], **options: Any
) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(backend), sign_up_fields=fields, **options)

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    user.find(marker="authenticator-tab-signUp").click()
    await wait_for_screen(user, "sign_up")


async def test_a_field_the_server_did_not_ask_for_is_checked_kept_and_never_sent(user: User) -> None:
    backend = CannedBackend(_signed_out_asking())
    fields = [SignUpField("given_name", label="Given name", required=True, validate=_no_digits)]
    await _open_sign_up(
        user, backend, fields, form_fields={"sign_up": {"given_name": {"placeholder": "Ada"}}}
    )

    given = element_in(user, "signUp", "authenticator-given_name")
    assert isinstance(given, ui.input)
    assert (given.props["label"], given.props["placeholder"]) == ("Given name", "Ada")

    await fill(user, "signUp", {"username": "ada", **PASSWORDS, "given_name": "Ada2"})
    await submit(user, "signUp")
    await eventually(lambda: _error_of(user, "given_name") == "Names have no digits.")
    assert backend.calls == []  # refused before any call
    assert (_value_of(user, "username"), _value_of(user, "given_name")) == (
        "ada",
        "Ada2",
    )  # typed values survive

    await fill(user, "signUp", {"given_name": ""})
    await submit(user, "signUp")
    await eventually(lambda: _error_of(user, "given_name") == "This field is required.")
    assert backend.calls == []

    await fill(user, "signUp", {"given_name": "Ada"})
    await submit(user, "signUp")
    await eventually(lambda: backend.calls)
    # the server's fields as typed; given_name was not asked for, so it is not sent
    assert backend.calls[-1] == {"action": "signUp", "username": "ada", "password": "Sup3r-secret!"}


async def test_a_field_the_server_lists_gets_the_apps_check_and_is_sent_as_typed(user: User) -> None:
    backend = CannedBackend(_signed_out_asking("given_name", "family_name"))
    await _open_sign_up(user, backend, [SignUpField("given_name", label="First name", validate=_no_digits)])

    given = element_in(user, "signUp", "authenticator-given_name")
    assert isinstance(given, ui.input) and given.props["label"] == "First name"
    await fill(user, "signUp", {"username": "ada", **PASSWORDS, "given_name": "4da"})
    await submit(user, "signUp")
    await eventually(lambda: _error_of(user, "given_name") == "Names have no digits.")
    assert backend.calls == []

    await fill(user, "signUp", {"given_name": "Ada"})
    await submit(user, "signUp")
    await eventually(lambda: backend.calls)
    # family_name was left blank, so it is left out; nothing the person did not type is added
    assert backend.calls[-1] == {
        "action": "signUp",
        "username": "ada",
        "password": "Sup3r-secret!",
        "given_name": "Ada",
    }


async def test_a_validator_may_answer_with_a_catalog_key_shown_in_the_readers_language(user: User) -> None:
    backend = CannedBackend(_signed_out_asking())

    def must_be_email(value: str) -> str | None:
        return None if "@" in value else "validation.email"

    await _open_sign_up(user, backend, [SignUpField("backup_email", validate=must_be_email)], language="de")
    await fill(user, "signUp", {"username": "ada", **PASSWORDS, "backup_email": "nope"})
    await submit(user, "signUp")
    await eventually(lambda: _error_of(user, "backup_email") == catalog_for("de")["validation.email"])
    assert backend.calls == []
