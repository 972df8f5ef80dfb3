"""The machine's rules (issue 2, point 3), one test or more per rule.

States come from the recordings where one shows the situation, hand-built in
the same shape where none does.
"""

from __future__ import annotations

from typing import Any

import pytest
from nicegui_authenticator.state_machine import (
    AuthChanged,
    AuthMachine,
    AuthState,
    AuthUser,
    CallFailed,
    CallGetAuthState,
    CallSetAuthState,
    Cancel,
    InvalidTransition,
    MachineConfig,
    Msg,
    Navigate,
    PasswordPolicy,
    Phase,
    Raw,
    Refresh,
    Retry,
    RunWebAuthn,
    ScreenName,
    ServerReplied,
    Start,
    Submit,
    SubmitExternalForm,
    WebAuthnFailed,
    WebAuthnResult,
)
from sm_support import action, challenge, field, hidden, only_call, reply_of, run, started, state

BASIC_SIGNUP = "basic_signup_confirm_signin_signout.jsonl"
OPT_MFA = "cognito_opt_signup_autosignin_email_mfa.jsonl"
REQ_TOTP = "cognito_req_totp_setup_signin.jsonl"
UA_SIGNUP = "cognito_ua_signup_autosignin.jsonl"
UA_PASSKEY = "cognito_ua_passkey_register_and_signin.jsonl"
REQ_PASSKEY = "cognito_req_passkey_register_list_delete.jsonl"

SIGNED_OUT = reply_of(OPT_MFA, 1)  # signIn, signUp (with email), resetPassword
SIGNED_OUT_UA = reply_of(UA_SIGNUP, 1)  # + signInWithPasskey
EMAIL_CODE = reply_of(OPT_MFA, 7)  # confirmSignIn, challenge code, session r10w...
THIN_RETRIABLE = reply_of(OPT_MFA, 8)
SIGNED_IN = reply_of(OPT_MFA, 9)
# What the Cognito block enforces (fixtures README point 11), configured by the app.
COGNITO_POLICY = PasswordPolicy(
    require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
)
CAROL = {"userId": "carol-8e673b-5e4e", "username": "carol-8e673b-5e4e"}


def submitted(machine: AuthMachine, **values: str) -> tuple[AuthMachine, CallSetAuthState]:
    machine, effects = machine.handle(Submit(values))
    return machine, only_call(effects)


# ------------------------------------------------ rule 1: echo hidden/defaults


def test_hidden_fields_are_echoed_exactly() -> None:
    _machine, call = submitted(started(EMAIL_CODE), code="164892")
    assert call.payload == {
        "action": "confirmSignIn",
        "session": "r10wCxc8BNIMtyx1LkJ5OA",
        "challenge": "code",
        "code": "164892",
    }


def test_hidden_and_default_values_keep_their_json_type() -> None:
    reply = state(
        "confirmingSignIn",
        action(
            "confirmSignIn",
            "Continue",
            hidden("challenge", "custom"),
            hidden("options", {"rpId": "localhost", "n": [1, 2]}),
            hidden("attempt", 3),
            hidden("remember", False),
            hidden("empty", ""),
            hidden("nothing", None),
            field("count", "Count", "number", defaultValue=5),
            field("nickname", "Nickname", defaultValue="Al"),
            field("answer", "Answer"),
        ),
    )
    machine = started(reply)
    _, effects = machine.handle(Submit({"answer": "42"}, skip_validation=True))
    assert only_call(effects).payload == {
        "action": "confirmSignIn",
        "challenge": "custom",
        "options": {"rpId": "localhost", "n": [1, 2]},
        "attempt": 3,
        "remember": False,
        "empty": "",
        "count": 5,  # untouched: the server's number, not "5"
        "nickname": "Al",
        "answer": "42",
    }
    # What the person changes is sent as typed; a field cleared by the person is left out.
    _, effects = machine.handle(Submit({"answer": "42", "count": "7", "nickname": ""}, skip_validation=True))
    payload = only_call(effects).payload
    assert payload["count"] == "7" and "nickname" not in payload
    assert payload["options"] == {"rpId": "localhost", "n": [1, 2]}


def test_a_field_named_action_cannot_replace_the_action() -> None:
    reply = state("somethingNew", action("doIt", "Do it", hidden("action", "signOut"), field("x")))
    _, effects = started(reply).handle(Submit({"x": "1"}))
    assert only_call(effects).payload == {"action": "doIt", "x": "1"}


def test_extra_keys_are_added_to_the_payload() -> None:
    machine, _ = started(SIGNED_OUT).handle(Navigate(ScreenName.SIGN_UP))
    values = {"username": "dave", "password": "Passw0rd!", "confirmPassword": "Passw0rd!", "email": "d@x.io"}
    _, effects = machine.handle(Submit(values, extra={"autoSignIn": "false"}))
    assert only_call(effects).payload == {
        "action": "signUp",
        "username": "dave",
        "password": "Passw0rd!",
        "email": "d@x.io",
        "autoSignIn": "false",
    }


# ------------------------------------------------ rule 2: thin retriable reply


def test_thin_retriable_reply_keeps_screen_session_typed_values_and_shows_the_error() -> None:
    machine, call = submitted(started(EMAIL_CODE), code="000000")
    machine, effects = machine.handle(ServerReplied(THIN_RETRIABLE))
    assert effects == ()
    screen = machine.screen
    assert screen.name is ScreenName.CONFIRM_CODE
    assert screen.error == Msg("error.code_mismatch") and screen.error_name == "CodeMismatchException"
    assert screen.field_errors == {"code": Msg("error.code_mismatch")}
    assert screen.destination == "carol-8e673b-5e4e@example.com"
    assert screen.primary is not None
    assert {f.name: f.value for f in screen.primary.fields} == {
        "session": "r10wCxc8BNIMtyx1LkJ5OA",
        "challenge": "code",
        "code": "000000",
    }
    assert machine.state == EMAIL_CODE and machine.phase is Phase.IDLE
    # And the next try goes out with the same session.
    machine, call = submitted(machine, code="164892")
    assert call.payload["session"] == "r10wCxc8BNIMtyx1LkJ5OA"
    machine, effects = machine.handle(ServerReplied(SIGNED_IN))
    assert machine.screen.name is ScreenName.SIGNED_IN and machine.screen.error is None
    assert effects == (AuthChanged(SIGNED_IN.user),)


def test_a_non_retriable_error_from_a_challenge_goes_back_to_sign_in() -> None:
    machine, _ = submitted(started(EMAIL_CODE), code="123456")
    machine, _ = machine.handle(ServerReplied(reply_of(OPT_MFA, 18)))  # ExpiredCodeException, full signedOut
    assert machine.screen.name is ScreenName.SIGN_IN
    assert machine.screen.error == Msg("error.code_expired")


# ------------------------------------------------ rule 3: lone autoSignIn


def test_a_lone_auto_sign_in_is_sent_at_once_without_input() -> None:
    machine = started(reply_of(UA_SIGNUP, 2))
    machine, _call = submitted(machine, code="698859")
    machine, effects = machine.handle(ServerReplied(reply_of(UA_SIGNUP, 3)))
    assert effects == (
        CallSetAuthState({"action": "autoSignIn", "username": "hana-8e673b-10eb@example.com"}),
    )
    assert machine.phase is Phase.CALLING
    assert machine.screen.name is ScreenName.AUTO_SIGN_IN and machine.screen.pending
    # A second Submit meanwhile does nothing.
    assert machine.handle(Submit())[1] == ()
    machine, effects = machine.handle(ServerReplied(reply_of(UA_SIGNUP, 4)))
    assert machine.screen.name is ScreenName.SIGNED_IN
    assert effects == (AuthChanged(reply_of(UA_SIGNUP, 4).user),)


def test_a_lone_auto_sign_in_answering_auto_sign_in_is_not_resent_in_a_loop() -> None:
    lone = reply_of(UA_SIGNUP, 3)
    machine, _ = submitted(started(reply_of(UA_SIGNUP, 2)), code="698859")
    machine, effects = machine.handle(ServerReplied(lone))
    assert len(effects) == 1
    machine, effects = machine.handle(ServerReplied(lone))  # the server answers autoSignIn with itself
    assert effects == ()
    assert machine.phase is Phase.IDLE
    screen = machine.screen
    assert screen.name is ScreenName.AUTO_SIGN_IN
    assert screen.primary is not None and screen.primary.label == Msg(
        "action.autoSignIn"
    )  # a Continue button
    # The person presses Continue: one call, and again no loop.
    machine, call = submitted(machine)
    assert call.payload == {"action": "autoSignIn", "username": "hana-8e673b-10eb@example.com"}
    machine, effects = machine.handle(ServerReplied(lone))
    assert effects == () and machine.phase is Phase.IDLE


def test_a_lone_auto_sign_in_found_by_get_auth_state_is_sent() -> None:
    _machine, effects = run(AuthMachine(), Start(), ServerReplied(reply_of(UA_SIGNUP, 3)))
    assert effects == [
        CallGetAuthState(),
        CallSetAuthState({"action": "autoSignIn", "username": "hana-8e673b-10eb@example.com"}),
    ]


# ----------------------------------- rule 4: AuthBasic's confirm asks again


def _basic_sign_up() -> AuthMachine:
    machine, _ = started(reply_of(BASIC_SIGNUP, 1)).handle(Navigate(ScreenName.SIGN_UP))
    machine, call = submitted(
        machine, username="alice-8e673b-8af2", password="Passw0rd!", confirmPassword="Passw0rd!"
    )
    assert call.payload == {"action": "signUp", "username": "alice-8e673b-8af2", "password": "Passw0rd!"}
    machine, effects = machine.handle(ServerReplied(reply_of(BASIC_SIGNUP, 2)))
    assert effects == ()
    return machine


def test_authbasic_confirm_prefills_and_hides_username_and_password() -> None:
    machine = _basic_sign_up()
    screen = machine.screen
    assert screen.name is ScreenName.CONFIRM_SIGN_UP
    assert [f.name for f in screen.fields] == ["code"]
    assert machine.ctx.sign_up_password == "Passw0rd!"
    machine, call = submitted(machine, code="000000")
    # Exactly the recorded request of step 3, from the code alone.
    assert call.payload == {
        "action": "confirmSignUp",
        "username": "alice-8e673b-8af2",
        "code": "000000",
        "password": "Passw0rd!",
    }


def test_the_sign_up_password_is_kept_while_the_confirm_step_may_still_need_it() -> None:
    machine, _ = submitted(_basic_sign_up(), code="000000")
    machine, _ = machine.handle(ServerReplied(reply_of(BASIC_SIGNUP, 3)))  # wrong code: the form stays
    assert machine.screen.name is ScreenName.CONFIRM_SIGN_UP
    assert machine.ctx.sign_up_password == "Passw0rd!"
    machine, call = submitted(machine, code="226792")
    assert call.payload["password"] == "Passw0rd!"
    # A failed call keeps it too, for the retry.
    machine, _ = machine.handle(CallFailed("network"))
    assert machine.ctx.sign_up_password == "Passw0rd!"


def test_the_sign_up_password_is_dropped_once_the_confirm_call_succeeds() -> None:
    machine, _ = submitted(_basic_sign_up(), code="226792")
    machine, _ = machine.handle(ServerReplied(reply_of(BASIC_SIGNUP, 10)))  # plain signedOut: sign in now
    assert machine.ctx.sign_up_password is None
    assert machine.screen.name is ScreenName.SIGN_IN
    assert machine.screen.notice == Msg("notice.account_confirmed")
    # The username is offered again, the password is not.
    primary = machine.screen.primary
    assert primary is not None
    assert {f.name: f.value for f in primary.fields} == {"username": "alice-8e673b-8af2", "password": ""}


def test_the_sign_up_password_is_dropped_when_the_confirm_signs_in_directly() -> None:
    machine, _ = submitted(_basic_sign_up(), code="226792")
    machine, effects = machine.handle(ServerReplied(reply_of(BASIC_SIGNUP, 6)))
    assert machine.ctx.sign_up_password is None
    assert machine.screen.notice is None  # "sign in to continue" would be wrong here
    assert [type(e) for e in effects] == [AuthChanged]


def test_the_sign_up_password_is_dropped_when_the_person_cancels_the_confirm_step() -> None:
    machine, effects = _basic_sign_up().handle(Cancel())
    assert effects == (CallGetAuthState(),)
    assert machine.ctx.sign_up_password is None
    machine, _ = machine.handle(ServerReplied(reply_of(BASIC_SIGNUP, 10)))
    assert machine.ctx.sign_up_password is None


def test_the_sign_up_password_is_dropped_when_a_refresh_finds_the_flow_over() -> None:
    machine, effects = _basic_sign_up().handle(Refresh())
    assert effects == (CallGetAuthState(),)
    machine, _ = machine.handle(ServerReplied(reply_of(BASIC_SIGNUP, 10)))
    assert machine.ctx.sign_up_password is None
    assert machine.screen.name is ScreenName.SIGN_IN


def test_the_sign_up_password_is_dropped_when_the_person_moves_to_another_screen() -> None:
    machine, _ = started(SIGNED_OUT).handle(Navigate(ScreenName.SIGN_UP))
    machine, _ = machine.handle(
        Submit({"username": "c", "password": "Passw0rd!", "confirmPassword": "Passw0rd!", "email": "c@x.io"})
    )
    assert machine.ctx.sign_up_password == "Passw0rd!"
    machine, _ = machine.handle(
        ServerReplied(reply_of("cognito_opt_errors.jsonl", 1))
    )  # UsernameExistsException
    assert machine.screen.name is ScreenName.SIGN_UP
    assert machine.ctx.sign_up_password is None
    assert (
        machine.screen.primary is not None and machine.screen.primary.field("password").value == "Passw0rd!"
    )  # type: ignore[union-attr]
    machine, _ = machine.handle(Navigate(ScreenName.SIGN_IN))
    assert machine.ctx.sign_up_password is None
    assert machine.screen.primary is not None
    assert machine.screen.primary.field("password").value == ""  # type: ignore[union-attr]


# ------------------------------------ local navigation needs no server call


def test_moving_between_signed_out_screens_needs_no_call_and_keeps_the_username() -> None:
    machine = started(SIGNED_OUT_UA)
    machine, effects = machine.handle(Submit({"username": "hana@example.com"}, skip_validation=True))
    machine, _ = machine.handle(CallFailed("network"))  # leave it typed and idle
    for target in (
        ScreenName.SIGN_UP,
        ScreenName.FORGOT_PASSWORD,
        ScreenName.PASSKEY_SIGN_IN,
        ScreenName.SIGN_IN,
    ):
        machine, effects = machine.handle(Navigate(target))
        assert effects == ()
        assert machine.screen.name is target
        assert machine.screen.error is None
        assert machine.screen.primary is not None
        assert machine.screen.primary.field("username").value == "hana@example.com"  # type: ignore[union-attr]


def test_back_to_sign_in_from_a_signed_out_screen_is_local() -> None:
    machine, _ = started(SIGNED_OUT).handle(Navigate(ScreenName.FORGOT_PASSWORD))
    machine, effects = machine.handle(Cancel())
    assert effects == () and machine.screen.name is ScreenName.SIGN_IN


def test_refresh_keeps_the_picked_signed_out_screen() -> None:
    machine, _ = started(SIGNED_OUT).handle(Navigate(ScreenName.FORGOT_PASSWORD))
    machine, effects = machine.handle(Refresh())
    assert effects == (CallGetAuthState(),)
    machine, _ = machine.handle(ServerReplied(SIGNED_OUT))
    assert machine.screen.name is ScreenName.FORGOT_PASSWORD


# ------------------------------ "back to sign in" from a challenge re-reads


CHALLENGES: dict[str, AuthState] = {
    "confirm_sign_up": reply_of(UA_SIGNUP, 2),
    "confirm_code": EMAIL_CODE,
    "select_mfa": reply_of("cognito_opt_reset_password.jsonl", 4),
    "select_mfa_setup": reply_of(REQ_TOTP, 4),
    "setup_totp": reply_of(REQ_TOTP, 5),
    "setup_email": challenge("email", "Set Up Email", field("email", "Email", "email")),
    "new_password": challenge(
        "newPassword", "New Password", field("newPassword", "New Password", "password")
    ),
    "enter_password": challenge("password", "Password", field("password", "Password", "password")),
    "select_first_factor": challenge(
        "firstFactor", "Sign in", field("firstFactor", "Pick one of: PASSWORD, EMAIL_OTP")
    ),
    "passkey_assert": reply_of(UA_PASSKEY, 5),
    "confirm_reset_password": reply_of("cognito_req_reset_password.jsonl", 1),
    "generic": state("confirmingSomethingElse", action("answer", "Answer", field("x"))),
}


@pytest.mark.parametrize("name", list(CHALLENGES))
def test_back_to_sign_in_from_a_challenge_re_reads_the_server(name: str) -> None:
    machine = started(CHALLENGES[name])
    assert machine.screen.name.value == name
    if name != "generic":
        assert [link.hook for link in machine.screen.links] == ["backToSignIn"]
    machine = machine._with(sign_up_password="secret")
    machine, effects = machine.handle(Cancel())
    assert effects == (CallGetAuthState(),)
    assert machine.phase is Phase.CALLING
    assert machine.ctx.sign_up_password is None
    machine, effects = machine.handle(ServerReplied(SIGNED_OUT))
    assert machine.screen.name is ScreenName.SIGN_IN and effects == ()


# ---------------------------------- rule 5: error while signed in re-syncs


def test_authbasic_error_while_signed_in_resyncs_and_keeps_the_error() -> None:
    signed_in = reply_of(BASIC_SIGNUP, 13)
    machine = started(signed_in)
    form_less = reply_of(BASIC_SIGNUP, 14)  # signedIn + InvalidCredentialsException
    machine, _ = machine.handle(Submit(action="signOut"))
    machine, effects = machine.handle(ServerReplied(form_less))
    assert effects == (CallGetAuthState(),)
    assert machine.screen.error == Msg("error.invalid_credentials")
    machine, effects = machine.handle(ServerReplied(signed_in))
    assert effects == ()  # same user: no AuthChanged
    assert machine.screen.name is ScreenName.SIGNED_IN
    assert machine.screen.error == Msg("error.invalid_credentials")


def test_cognito_error_while_signed_in_is_not_taken_for_a_sign_out() -> None:
    """The Cognito block answers errors with a signed-out base state even with a valid session."""
    machine = started(reply_of(REQ_PASSKEY, 1))  # signedIn, completePasskeyRegistration
    machine, effects = machine.handle(Submit())
    assert isinstance(effects[0], RunWebAuthn)
    machine, effects = machine.handle(WebAuthnResult("not-json"))
    machine, effects = machine.handle(
        ServerReplied(reply_of(REQ_PASSKEY, 3))
    )  # signedOut + InvalidParameterException
    assert effects == (CallGetAuthState(),)  # no AuthChanged(None): nobody signed out
    assert machine.screen.error == Raw("credential must be JSON")
    machine, effects = machine.handle(ServerReplied(reply_of(REQ_PASSKEY, 8)))
    assert effects == ()
    assert machine.screen.name is ScreenName.SIGNED_IN
    assert machine.screen.error == Raw("credential must be JSON")


# -------------------------------------------------- one call in flight


@pytest.mark.parametrize(
    "event", [Submit({"code": "111111"}), Navigate(ScreenName.SIGN_UP), Cancel(), Refresh(), Start(), Retry()]
)
def test_nothing_else_goes_out_while_a_call_is_pending(event: Any) -> None:
    machine, _ = submitted(started(EMAIL_CODE), code="164892")
    after, effects = machine.handle(event)
    assert effects == ()
    assert after == machine


@pytest.mark.parametrize(
    "event", [Submit(), Navigate(ScreenName.SIGN_UP), Cancel(), Refresh(), Start(), Retry()]
)
def test_nothing_else_goes_out_during_a_passkey_ceremony(event: Any) -> None:
    machine, effects = started(reply_of(UA_PASSKEY, 5)).handle(Submit())
    assert machine.phase is Phase.CEREMONY
    after, effects = machine.handle(event)
    assert effects == () and after == machine


# ---------------------------------------------------------- failed calls


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (CallFailed("network", "connection refused"), Msg("error.network")),
        (CallFailed("timeout"), Msg("error.timeout")),
        (CallFailed("protocol", "not JSON"), Msg("error.protocol")),
        (CallFailed("rpc", "Internal error", 500), Msg("error.server", {"detail": "500"})),
        (
            CallFailed("rpc", "Method not found: 'setAuthState'", -32601),
            Msg("error.server", {"detail": "-32601"}),
        ),
        (CallFailed("rpc", "Payload too large", 413, "PayloadTooLarge"), Raw("Payload too large")),
        (CallFailed("rpc", "Too many", 429, "TooManyRequestsException"), Msg("error.too_many_attempts")),
        (CallFailed("rpc", "boom"), Msg("error.server", {"detail": "boom"})),
    ],
)
def test_a_failed_call_keeps_screen_and_values_and_retry_resends_the_same_payload(
    failure: CallFailed, error: Any
) -> None:
    machine, call = submitted(started(EMAIL_CODE), code="164892")
    machine, effects = machine.handle(failure)
    assert effects == ()
    screen = machine.screen
    assert screen.name is ScreenName.CONFIRM_CODE
    assert screen.error == error
    assert screen.can_retry and not screen.pending
    assert screen.primary is not None and screen.primary.field("code").value == "164892"  # type: ignore[union-attr]
    machine, effects = machine.handle(Retry())
    assert effects == (call,)
    assert machine.phase is Phase.CALLING and machine.screen.error is None
    machine, _ = machine.handle(ServerReplied(SIGNED_IN))
    assert machine.screen.name is ScreenName.SIGNED_IN and not machine.screen.can_retry


def test_a_failed_first_read_can_be_retried() -> None:
    machine, _ = run(AuthMachine(), Start(), CallFailed("network"))
    assert machine.screen.name is ScreenName.LOADING
    assert machine.screen.can_retry and machine.screen.error == Msg("error.network")
    machine, effects = machine.handle(Retry())
    assert effects == (CallGetAuthState(),)


def test_a_401_on_set_auth_state_re_reads_the_state_and_keeps_the_message() -> None:
    machine = started(reply_of(UA_PASSKEY, 1))
    machine, _ = machine.handle(Submit(action="startPasskeyRegistration"))
    machine, effects = machine.handle(
        CallFailed("rpc", "Authentication required", 401, "NotAuthenticatedException")
    )
    assert effects == (CallGetAuthState(),)
    assert machine.screen.error == Msg("error.not_authenticated")
    machine, effects = machine.handle(ServerReplied(SIGNED_OUT_UA))
    assert effects == (AuthChanged(None),)
    assert machine.screen.name is ScreenName.SIGN_IN
    assert machine.screen.error == Msg("error.not_authenticated")


def test_a_401_on_get_auth_state_does_not_loop() -> None:
    machine, _ = run(AuthMachine(), Start(), CallFailed("rpc", "Authentication required", 401))
    assert machine.phase is Phase.IDLE
    assert machine.screen.error == Msg("error.not_authenticated")


def test_retry_with_nothing_failed_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition, match="nothing to retry"):
        started(SIGNED_OUT).handle(Retry())


# ------------------------------------------------------------ validation


def _sign_up(
    values: dict[str, str], config: MachineConfig | None = None, reply: AuthState = SIGNED_OUT
) -> AuthMachine:
    machine, _ = started(reply, config).handle(Navigate(ScreenName.SIGN_UP))
    machine, effects = machine.handle(Submit(values))
    assert effects == ()
    assert machine.phase is Phase.IDLE
    return machine


GOOD = {
    "username": "carol",
    "password": "Passw0rd!",
    "confirmPassword": "Passw0rd!",
    "email": "c@example.com",
}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"username": ""}, {"username": Msg("validation.required")}),
        ({"email": "c@example"}, {"email": Msg("validation.email")}),
        ({"confirmPassword": "Passw0rd?"}, {"confirmPassword": Msg("validation.passwords_mismatch")}),
        (
            {"password": "short", "confirmPassword": "short"},
            {"password": Msg("policy.min_length", {"count": "8"})},
        ),
        (
            {"username": "", "email": "", "confirmPassword": ""},
            {
                "username": Msg("validation.required"),
                "email": Msg("validation.required"),
                "confirmPassword": Msg("validation.required"),
            },
        ),
    ],
)
def test_validation_blocks_the_call_and_names_the_fields(
    change: dict[str, str], errors: dict[str, Any]
) -> None:
    machine = _sign_up({**GOOD, **change})
    assert machine.screen.field_errors == errors
    assert machine.screen.error is None
    # The typed values stay.
    assert machine.screen.primary is not None
    assert {f.name: f.value for f in machine.screen.primary.fields} == {**GOOD, **change}
    # skip_validation sends anyway; the next good submit clears the errors.
    _, effects = machine.handle(Submit({**GOOD, **change}, skip_validation=True))
    assert isinstance(only_call(effects), CallSetAuthState)
    fixed, effects = machine.handle(Submit(GOOD))
    assert only_call(effects).payload == {
        "action": "signUp",
        "username": "carol",
        "password": "Passw0rd!",
        "email": "c@example.com",
    }
    assert fixed.screen.field_errors == {}


def test_the_apps_password_policy_blocks_what_the_cognito_block_would_refuse() -> None:
    cognito = MachineConfig(password_policy=COGNITO_POLICY)
    machine = _sign_up({**GOOD, "password": "password", "confirmPassword": "password"}, cognito)
    assert machine.screen.field_errors == {"password": Msg("policy.uppercase")}


def test_a_policy_from_the_field_applies() -> None:
    reply = state(
        "signedOut",
        action("signIn", "Sign In", field("username"), field("password", "Password", "password")),
        action(
            "signUp",
            "Create Account",
            field("username"),
            field("password", "Password", "password", passwordPolicy={"minLength": 12}),
        ),
    )
    machine = _sign_up(
        {"username": "c", "password": "Passw0rd!", "confirmPassword": "Passw0rd!"}, reply=reply
    )
    assert machine.screen.field_errors == {"password": Msg("policy.min_length", {"count": "12"})}


@pytest.mark.parametrize(
    ("typed", "sent", "error"),
    [
        ("123 456", "123456", None),
        (" 123-456 ", "123456", None),
        ("12345", None, Msg("validation.code", {"count": "6"})),
        ("12a456", None, Msg("validation.code_digits")),
        ("", None, Msg("validation.required")),
    ],
)
def test_codes_are_normalised_and_checked(typed: str, sent: str | None, error: Any) -> None:
    machine, effects = started(EMAIL_CODE).handle(Submit({"code": typed}))
    if sent is None:
        assert effects == () and machine.screen.field_errors == {"code": error}
    else:
        assert only_call(effects).payload["code"] == sent


def test_phone_numbers_are_normalised_and_checked() -> None:
    reply = state(
        "signedOut",
        action(
            "signUp",
            "Create Account",
            field("username"),
            field("password", "Password", "password"),
            field("phone_number", "Phone", "tel"),
        ),
    )
    machine, _ = started(reply).handle(Navigate(ScreenName.SIGN_UP))
    values = {"username": "c", "password": "Passw0rd!", "confirmPassword": "Passw0rd!"}
    bad, effects = machine.handle(Submit({**values, "phone_number": "0415 555"}))
    assert effects == () and bad.screen.field_errors == {"phone_number": Msg("validation.phone")}
    _, effects = machine.handle(Submit({**values, "phone_number": "+1 (415) 555-0123"}))
    assert only_call(effects).payload["phone_number"] == "+14155550123"


def test_choices_must_be_one_of_the_options() -> None:
    machine = started(reply_of(REQ_TOTP, 4))
    bad, effects = machine.handle(Submit({"mfaType": "SMS"}))
    assert effects == () and bad.screen.field_errors == {"mfaType": Msg("validation.choice")}
    _, effects = machine.handle(Submit())  # first option preselected
    assert only_call(effects).payload["mfaType"] == "TOTP"


def test_the_servers_error_is_shown_under_its_field() -> None:
    machine, _ = started(SIGNED_OUT).handle(Submit({"username": "carol", "password": "Wrong-Passw0rd!"}))
    machine, _ = machine.handle(ServerReplied(reply_of(OPT_MFA, 15)))  # NotAuthorizedException
    assert machine.screen.name is ScreenName.SIGN_IN
    assert machine.screen.field_errors == {"password": Msg("error.invalid_credentials")}
    assert machine.screen.primary is not None
    assert machine.screen.primary.field("username").value == "carol"  # type: ignore[union-attr]


# -------------------------------------------------------------- WebAuthn


def test_passkey_assertion_runs_the_ceremony_then_sends_the_credential() -> None:
    reply = reply_of(UA_PASSKEY, 5)
    options = reply.actions[0].default_of("credentialRequestOptions")
    machine, effects = started(reply).handle(Submit())
    assert effects == (RunWebAuthn("get", options or "", "confirmSignIn"),)
    assert machine.phase is Phase.CEREMONY and machine.screen.pending
    credential = '{"id": "cred-4c5a48d0f4f1", "type": "public-key"}'
    machine, effects = machine.handle(WebAuthnResult(credential))
    assert only_call(effects).payload == {
        "action": "confirmSignIn",
        "session": "PR49hLjLAWujcT-W7bEqQw",
        "challenge": "webauthn",
        "credentialRequestOptions": options,
        "credential": credential,
    }
    assert machine.phase is Phase.CALLING


def test_passkey_registration_runs_the_create_ceremony() -> None:
    reply = reply_of(UA_PASSKEY, 2)
    machine, effects = started(reply).handle(Submit())
    (effect,) = effects
    assert (
        isinstance(effect, RunWebAuthn)
        and effect.kind == "create"
        and effect.action == "completePasskeyRegistration"
    )
    assert effect.options_json == reply.actions[0].default_of("credentialCreationOptions")
    machine, effects = machine.handle(WebAuthnResult('{"id":"cred-1"}'))
    assert only_call(effects).payload["credential"] == '{"id":"cred-1"}'
    machine, _ = machine.handle(ServerReplied(reply_of(UA_PASSKEY, 3)))
    assert machine.screen.name is ScreenName.PASSKEY_MANAGE
    assert machine.screen.notice == Msg("notice.passkey_registered")


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (WebAuthnFailed("cancelled"), Msg("error.passkey_cancelled")),
        (WebAuthnFailed("unavailable"), Msg("error.passkey_unavailable")),
        (
            WebAuthnFailed("failed", "NotAllowedError"),
            Msg("error.passkey_failed", {"reason": "NotAllowedError"}),
        ),
        (WebAuthnFailed("failed"), Msg("error.passkey_failed", {"reason": "unknown error"})),
    ],
)
def test_a_failed_ceremony_shows_an_error_and_returns_to_idle(failure: WebAuthnFailed, error: Msg) -> None:
    machine, _ = started(reply_of(UA_PASSKEY, 5)).handle(Submit())
    machine, effects = machine.handle(failure)
    assert effects == ()
    assert machine.phase is Phase.IDLE and machine.screen.error == error
    assert machine.screen.name is ScreenName.PASSKEY_ASSERT
    _, effects = machine.handle(Submit())  # and the person can try again
    assert isinstance(effects[0], RunWebAuthn)


# ----------------------------------------------------- external (url) forms


def test_url_actions_submit_a_real_browser_form() -> None:
    reply = state(
        "signedOut",
        action("signIn", "Sign In", field("username"), field("password", "Password", "password")),
        action(
            "signIn:google",
            "Google",
            hidden("state", {"n": 1}),
            hidden("prompt", "login"),
            url="https://idp.example/authorize",
            method="post",
        ),
    )
    machine = started(reply)
    after, effects = machine.handle(Submit(action="signIn:google"))
    assert effects == (
        SubmitExternalForm("https://idp.example/authorize", "POST", {"state": '{"n":1}', "prompt": "login"}),
    )
    assert after.phase is Phase.IDLE


# ------------------------------------------------------------ AuthChanged


def test_auth_changed_only_when_the_person_changes() -> None:
    machine, effects = run(AuthMachine(), Start(), ServerReplied(SIGNED_OUT))
    assert not any(isinstance(e, AuthChanged) for e in effects)
    machine, _ = machine.handle(Submit({"username": "carol-8e673b-5e4e", "password": "Passw0rd!"}))
    machine, effects = machine.handle(ServerReplied(SIGNED_IN))
    assert effects == (AuthChanged(SIGNED_IN.user),)
    assert machine.user == SIGNED_IN.user and machine.state == SIGNED_IN
    # The same person again (a refresh, new attributes): nothing to tell.
    richer = SIGNED_IN.model_copy(update={"user": AuthUser.model_validate({**CAROL, "groups": ["admins"]})})
    machine, effects = run(machine, Refresh(), ServerReplied(richer))
    assert effects == [CallGetAuthState()]
    # Someone else (another tab switched accounts).
    other = SIGNED_IN.model_copy(update={"user": AuthUser(user_id="dave", username="dave")})
    machine, effects = run(machine, Refresh(), ServerReplied(other))
    assert effects == [CallGetAuthState(), AuthChanged(other.user)]
    # Signed out.
    machine, effects = run(machine, Submit(action="signOut"), ServerReplied(reply_of(OPT_MFA, 13)))
    assert effects == [CallSetAuthState({"action": "signOut"}), AuthChanged(None)]


def test_signing_out_forgets_the_username() -> None:
    machine = started(SIGNED_OUT)
    machine, _ = run(
        machine, Submit({"username": "carol-8e673b-5e4e", "password": "Passw0rd!"}), ServerReplied(SIGNED_IN)
    )
    assert machine.ctx.username == "carol-8e673b-5e4e"
    machine, _ = run(machine, Submit(action="signOut"), ServerReplied(reply_of(OPT_MFA, 13)))
    assert machine.ctx.username is None
    assert machine.screen.primary is not None
    assert machine.screen.primary.field("username").value == ""  # type: ignore[union-attr]


# ------------------------------------------------------ picking a form


def test_repeated_actions_are_picked_by_their_hidden_values() -> None:
    reply = state(
        "signedIn",
        action("deletePasskey", "Delete passkey cred-1…", hidden("credentialId", "cred-1")),
        action("deletePasskey", "Delete passkey cred-2…", hidden("credentialId", "cred-2")),
        action("signOut", "Sign Out"),
        user={"userId": "u", "username": "u"},
    )
    machine = started(reply)
    _, effects = machine.handle(Submit({"credentialId": "cred-2"}, action="deletePasskey"))
    assert only_call(effects).payload == {"action": "deletePasskey", "credentialId": "cred-2"}
    _, effects = machine.handle(Submit(action="deletePasskey"))
    assert only_call(effects).payload == {"action": "deletePasskey", "credentialId": "cred-1"}
    # A stale screen naming a passkey that is gone deletes nothing.
    with pytest.raises(InvalidTransition, match="hidden values"):
        machine.handle(Submit({"credentialId": "cred-9"}, action="deletePasskey"))


def test_a_submit_carrying_another_session_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        started(EMAIL_CODE).handle(Submit({"session": "an-old-one", "code": "123456"}))


# ------------------------------------------------ impossible events


@pytest.mark.parametrize(
    "event",
    [
        ServerReplied(SIGNED_OUT),
        CallFailed("network"),
        WebAuthnResult("{}"),
        WebAuthnFailed("cancelled"),
    ],
)
def test_world_events_with_nothing_pending_are_invalid(event: Any) -> None:
    with pytest.raises(InvalidTransition):
        started(SIGNED_OUT).handle(event)


def test_world_events_of_the_wrong_kind_are_invalid() -> None:
    calling, _ = AuthMachine().handle(Start())
    with pytest.raises(InvalidTransition):
        calling.handle(WebAuthnResult("{}"))
    ceremony, _ = started(reply_of(UA_PASSKEY, 5)).handle(Submit())
    with pytest.raises(InvalidTransition):
        ceremony.handle(ServerReplied(SIGNED_OUT))
    with pytest.raises(InvalidTransition):
        ceremony.handle(CallFailed("network"))


@pytest.mark.parametrize(
    ("reply", "target"),
    [
        (reply_of(BASIC_SIGNUP, 1), ScreenName.PASSKEY_SIGN_IN),  # AuthBasic offers no passkeys
        (SIGNED_OUT, ScreenName.CONFIRM_CODE),  # not a signed-out screen
        (EMAIL_CODE, ScreenName.SIGN_UP),  # in a challenge: Cancel first
        (SIGNED_IN, ScreenName.SIGN_IN),
        (SIGNED_OUT, "nowhere"),
    ],
)
def test_navigating_where_the_state_does_not_lead_is_invalid(reply: AuthState, target: Any) -> None:
    with pytest.raises(InvalidTransition):
        started(reply).handle(Navigate(target))


def test_submitting_what_the_screen_does_not_offer_is_invalid() -> None:
    with pytest.raises(InvalidTransition, match="is not offered"):
        AuthMachine().handle(Submit())  # nothing loaded yet
    with pytest.raises(InvalidTransition, match="signOut is not offered"):
        started(SIGNED_OUT).handle(Submit(action="signOut"))


# -------------------------------------------------------------- notices


def test_notices_after_success() -> None:
    confirm = reply_of("cognito_req_reset_password.jsonl", 1)
    machine, _ = run(
        started(confirm),
        Submit({"code": "540446", "newPassword": "An0ther-Pass!", "confirmPassword": "An0ther-Pass!"}),
    )
    machine, _ = machine.handle(ServerReplied(reply_of("cognito_req_reset_password.jsonl", 2)))
    assert machine.screen.notice == Msg("notice.password_reset")
    # The notice goes with the next action.
    machine, _ = machine.handle(Navigate(ScreenName.FORGOT_PASSWORD))
    assert machine.screen.notice is None
    resent, _ = run(
        started(reply_of(OPT_MFA, 3)), Submit(action="resendSignUpCode"), ServerReplied(reply_of(OPT_MFA, 4))
    )
    assert resent.screen.notice == Msg("notice.code_resent")
    assert resent.screen.name is ScreenName.CONFIRM_SIGN_UP


def test_thin_retriable_reply_to_get_auth_state_offers_retry_not_a_dead_end() -> None:
    machine, effects = AuthMachine().handle(Start())
    assert effects == (CallGetAuthState(),)
    machine, effects = machine.handle(ServerReplied(THIN_RETRIABLE))
    assert effects == ()
    screen = machine.screen
    assert screen.name is ScreenName.LOADING and screen.can_retry
    assert screen.error == Msg("error.code_mismatch")
    machine, effects = machine.handle(Retry())
    assert effects == (CallGetAuthState(),)
    machine, _ = machine.handle(ServerReplied(EMAIL_CODE))
    assert machine.screen.name is ScreenName.CONFIRM_CODE and machine.screen.error is None
