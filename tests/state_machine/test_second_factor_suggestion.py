"""The signed-in card suggests a second factor once after a password-only sign-in (issue 12, item 4)."""

from __future__ import annotations

from nicegui_authenticator.state_machine import AuthMachine, DismissSuggestion, Refresh, ServerReplied, Submit
from nicegui_authenticator.state_machine.actions import ROWS
from sm_support import action, challenge, field, started, state

SIGNED_OUT = state(
    "signedOut", action("signIn", "Sign In", field("username"), field("password", type="password"))
)
CAROL = {"userId": "c-1", "username": "carol"}
SIGNED_IN = state(
    "signedIn",
    action("signOut", "Sign Out"),
    action("startPasskeyRegistration", "Register Passkey"),
    action("listPasskeys", "List Passkeys"),
    action("startTotpSetup", "Set up authenticator app"),
    user=CAROL,
)
CODE = challenge("code", "Enter Email Code", field("code"))


def signed_in_by_password() -> AuthMachine:
    machine, _ = started(SIGNED_OUT).handle(Submit({"username": "carol", "password": "Passw0rd!"}))
    machine, _ = machine.handle(ServerReplied(SIGNED_IN))
    return machine


def test_the_table_marks_the_password_sign_ins() -> None:
    assert ROWS["signIn"].suggests_second_factor and ROWS["autoSignIn"].suggests_second_factor
    assert not ROWS["confirmSignIn"].suggests_second_factor


def test_a_password_sign_in_without_mfa_suggests_a_passkey_then_an_authenticator_app() -> None:
    screen = signed_in_by_password().screen
    assert [f.action for f in screen.suggested] == ["startPasskeyRegistration", "startTotpSetup"]


def test_not_now_dismisses_it() -> None:
    machine, effects = signed_in_by_password().handle(DismissSuggestion())
    assert effects == () and machine.screen.suggested == ()
    assert machine.screen.form("startTotpSetup") is not None  # the account section keeps it


def test_it_is_offered_once_a_later_read_ends_it() -> None:
    machine, _ = signed_in_by_password().handle(Refresh())
    machine, _ = machine.handle(ServerReplied(SIGNED_IN))
    assert machine.screen.suggested == ()


def test_a_sign_in_that_asked_for_a_code_suggests_nothing() -> None:
    machine, _ = started(SIGNED_OUT).handle(Submit({"username": "carol", "password": "Passw0rd!"}))
    machine, _ = machine.handle(ServerReplied(CODE))
    machine, _ = machine.handle(Submit({"code": "123456"}))
    machine, _ = machine.handle(ServerReplied(SIGNED_IN))
    assert machine.screen.user is not None and machine.screen.suggested == ()


def test_a_reload_while_signed_in_suggests_nothing() -> None:
    assert started(SIGNED_IN).screen.suggested == ()
