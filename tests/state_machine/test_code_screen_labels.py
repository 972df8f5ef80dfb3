"""The sign-in field's label follows what the server accepts (issue 12, item 7)."""

from __future__ import annotations

from nicegui_authenticator.state_machine import AuthState, Msg, ScreenName
from sm_support import action, field, started, state


def signed_out(accepts: list[str] | None) -> AuthState:
    extra = {"signInWith": accepts} if accepts is not None else {}
    return state(
        "signedOut",
        action(
            "signIn", "Sign In", field("username", "Username", **extra), field("password", type="password")
        ),
        action("signUp", "Create Account", field("username", "Username"), field("password", type="password")),
    )


def test_a_username_field_that_takes_an_email_too_says_so() -> None:
    screen = started(signed_out(["username", "email"])).screen
    assert screen.name is ScreenName.SIGN_IN
    assert screen.fields[0].label == Msg("field.username_or_email")


def test_without_the_key_the_label_stays_username() -> None:
    screen = started(signed_out(None)).screen
    assert screen.fields[0].label == Msg("field.username")


def test_phone_and_all_three_have_their_own_words() -> None:
    phone = started(signed_out(["username", "phone"])).screen
    every = started(signed_out(["username", "email", "phone"])).screen
    assert phone.fields[0].label == Msg("field.username_or_phone")
    assert every.fields[0].label == Msg("field.username_email_or_phone")


def test_the_confirm_sign_up_screen_says_where_the_code_went() -> None:
    confirm = state(
        "confirmingSignUp",
        action("confirmSignUp", "Confirm Account", field("code"), codeDestination="h***@e***.com"),
    )
    screen = started(confirm).screen
    assert screen.name is ScreenName.CONFIRM_SIGN_UP
    assert screen.destination == "h***@e***.com"
    assert screen.hint == Msg("hint.code.sent_to", {"destination": "h***@e***.com"})
