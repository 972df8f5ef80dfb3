"""Every screen of DESIGN.md: classification, forms, fields, links.

Realistic states come from the recordings; screens no recording shows
(new_password, enter_password, select_first_factor, setup_email, confirmingMfa,
federated and unknown states, the reference backend's signed-in setup actions)
are built by hand in the same shape.
"""

from __future__ import annotations

from typing import Any

import pytest
from nicegui_authenticator.state_machine import (
    AuthMachine,
    AuthState,
    FieldKind,
    Form,
    FormField,
    FormRole,
    LinkKind,
    MachineConfig,
    Msg,
    Navigate,
    PasswordPolicy,
    Raw,
    Screen,
    ScreenName,
    classify_screen,
)
from nicegui_authenticator.state_machine.context import Context
from nicegui_authenticator.state_machine.present import build_screen
from nicegui_authenticator.state_machine.rules import (
    CodeShape,
    EmailShape,
    MatchesField,
    MeetsPolicy,
    OneOf,
    Required,
)
from sm_support import action, challenge, field, hidden, reply_of, started, state

UA = "cognito_ua_signup_autosignin.jsonl"
REQ_TOTP = "cognito_req_totp_setup_signin.jsonl"
OPT_MFA = "cognito_opt_signup_autosignin_email_mfa.jsonl"
BASIC_SIGNUP = "basic_signup_confirm_signin_signout.jsonl"
UA_PASSKEY = "cognito_ua_passkey_register_and_signin.jsonl"


def screen_of(
    reply: AuthState, view: ScreenName | None = None, config: MachineConfig | None = None, **ctx: Any
) -> Screen:
    """The screen for ``reply``; checks that classify_screen agrees with build_screen."""
    screen = build_screen(Context(state=reply, view=view, **ctx), config or MachineConfig())
    assert classify_screen(reply, view) is screen.name
    return screen


def fields(form: Form | None) -> list[tuple[str, FieldKind, str | None, bool]]:
    """(name, kind, autocomplete, visible) for every field of ``form``."""
    assert form is not None
    return [(f.name, f.kind, f.autocomplete, f.visible) for f in form.fields]


def only(form: Form | None, name: str) -> FormField:
    assert form is not None
    found = form.field(name)
    assert found is not None, name
    return found


def hooks(screen: Screen) -> list[tuple[LinkKind, str, ScreenName, bool]]:
    return [(link.kind, link.hook, link.target, link.selected) for link in screen.links]


BACK = (LinkKind.BACK, "backToSignIn", ScreenName.SIGN_IN, False)

# ------------------------------------------------------------------ loading


def test_loading_before_the_first_reply() -> None:
    screen = AuthMachine().screen
    assert screen.name is ScreenName.LOADING
    assert screen.title == Msg("screen.loading")
    assert screen.forms == () and screen.links == () and screen.primary is None
    assert classify_screen(None) is ScreenName.LOADING


# -------------------------------------------------------- signed-out screens


def test_sign_in_with_email_usernames_and_every_way_out() -> None:
    screen = screen_of(reply_of(UA, 1))
    assert screen.name is ScreenName.SIGN_IN
    assert screen.title == Msg("screen.sign_in")
    assert screen.primary is not None and screen.primary.action == "signIn"
    assert screen.primary.label == Msg("action.signIn")
    # The username is an email address here: email keyboard and check, but still the
    # account identifier to password managers.
    assert fields(screen.primary) == [
        ("username", FieldKind.EMAIL, "username", True),
        ("password", FieldKind.CURRENT_PASSWORD, "current-password", True),
    ]
    username = only(screen.primary, "username")
    assert username.input_type == "email" and username.rules == (Required(), EmailShape())
    assert username.label == Msg("field.email")
    password = only(screen.primary, "password")
    assert password.input_type == "password" and password.rules == (Required(),) and password.policy is None
    assert screen.secondary == () and screen.external == ()
    assert hooks(screen) == [
        (LinkKind.TAB, "signIn", ScreenName.SIGN_IN, True),
        (LinkKind.TAB, "signUp", ScreenName.SIGN_UP, False),
        (LinkKind.NAVIGATE, "forgotPassword", ScreenName.FORGOT_PASSWORD, False),
        (LinkKind.NAVIGATE, "passkeySignIn", ScreenName.PASSKEY_SIGN_IN, False),
    ]
    assert [link.label for link in screen.tabs] == [Msg("tab.sign_in"), Msg("tab.sign_up")]
    assert screen.hint is None and screen.user is None and screen.server_state == "signedOut"


def test_sign_in_with_text_usernames() -> None:
    screen = screen_of(reply_of(BASIC_SIGNUP, 1))
    assert fields(screen.primary) == [
        ("username", FieldKind.USERNAME, "username", True),
        ("password", FieldKind.CURRENT_PASSWORD, "current-password", True),
    ]
    assert only(screen.primary, "username").rules == (Required(),)
    # No signInWithPasskey action on AuthBasic: no passkey link.
    assert [link.hook for link in screen.links] == ["signIn", "signUp", "forgotPassword"]


def test_sign_up_asks_for_a_new_password_twice_with_the_policy() -> None:
    screen = screen_of(reply_of(OPT_MFA, 1), ScreenName.SIGN_UP)
    assert screen.name is ScreenName.SIGN_UP
    assert screen.title == Msg("screen.sign_up")
    assert screen.primary is not None and screen.primary.action == "signUp"
    assert fields(screen.primary) == [
        ("username", FieldKind.USERNAME, "username", True),
        ("password", FieldKind.NEW_PASSWORD, "new-password", True),
        ("confirmPassword", FieldKind.CONFIRM_PASSWORD, "new-password", True),
        ("email", FieldKind.EMAIL, "email", True),
    ]
    password = only(screen.primary, "password")
    assert password.policy == PasswordPolicy()
    assert password.rules == (Required(), MeetsPolicy(PasswordPolicy()))
    confirm = only(screen.primary, "confirmPassword")
    assert confirm.rules == (Required(), MatchesField("password"))
    assert not confirm.sent and confirm.label == Msg("field.confirm_password")
    assert hooks(screen) == [
        (LinkKind.TAB, "signIn", ScreenName.SIGN_IN, False),
        (LinkKind.TAB, "signUp", ScreenName.SIGN_UP, True),
    ]


def test_sign_up_without_confirmation_and_with_the_apps_policy() -> None:
    policy = PasswordPolicy(min_length=12, require_symbols=True)
    screen = screen_of(
        reply_of(UA, 1), ScreenName.SIGN_UP, MachineConfig(confirm_password=False, password_policy=policy)
    )
    assert [f.name for f in screen.fields] == ["username", "password"]
    assert only(screen.primary, "password").policy == policy


def test_a_policy_the_server_describes_wins_over_the_default() -> None:
    reply = state(
        "signedOut",
        action(
            "signUp",
            "Create Account",
            field("username"),
            field(
                "password", "Password", "password", passwordPolicy={"minLength": 10, "requireDigits": True}
            ),
        ),
    )
    password = only(screen_of(reply, ScreenName.SIGN_UP).primary, "password")
    assert password.policy == PasswordPolicy(min_length=10, require_digits=True)


def test_sign_up_tab_is_hidden_when_the_app_turns_sign_up_off() -> None:
    screen = screen_of(reply_of(UA, 1), config=MachineConfig(sign_up=False))
    assert [link.hook for link in screen.links] == ["forgotPassword", "passkeySignIn"]
    machine = started(reply_of(UA, 1), MachineConfig(sign_up=False))
    with pytest.raises(Exception, match="sign-up is turned off"):
        machine.handle(Navigate(ScreenName.SIGN_UP))


def test_forgot_password() -> None:
    screen = screen_of(reply_of(UA, 1), ScreenName.FORGOT_PASSWORD)
    assert screen.name is ScreenName.FORGOT_PASSWORD
    assert screen.title == Msg("screen.forgot_password") and screen.hint == Msg("hint.forgot_password")
    assert screen.primary is not None and screen.primary.action == "resetPassword"
    assert screen.primary.label == Msg("action.resetPassword")
    assert fields(screen.primary) == [("username", FieldKind.EMAIL, "username", True)]
    assert hooks(screen) == [BACK]


def test_passkey_sign_in() -> None:
    screen = screen_of(reply_of(UA, 1), ScreenName.PASSKEY_SIGN_IN)
    assert screen.name is ScreenName.PASSKEY_SIGN_IN
    assert screen.primary is not None and screen.primary.action == "signInWithPasskey"
    assert fields(screen.primary) == [("username", FieldKind.USERNAME, "username", True)]
    assert hooks(screen) == [BACK]


def test_a_lone_reset_password_is_the_forgot_password_screen() -> None:
    """Sign-in answered RESET_PASSWORD: the server offers only resetPassword."""
    reply = state("signedOut", action("resetPassword", "Reset Password", field("username", "Username")))
    screen = screen_of(reply)
    assert screen.name is ScreenName.FORGOT_PASSWORD
    assert screen.primary is not None and screen.primary.action == "resetPassword"
    assert screen.links == ()  # no sign-in to go back to
    assert screen_of(reply, ScreenName.SIGN_UP).name is ScreenName.FORGOT_PASSWORD


def test_a_picked_screen_the_state_does_not_offer_falls_back_to_sign_in() -> None:
    reply = reply_of(BASIC_SIGNUP, 1)  # no signInWithPasskey
    assert screen_of(reply, ScreenName.PASSKEY_SIGN_IN).name is ScreenName.SIGN_IN


def test_federated_actions_are_external_forms_on_sign_in_and_sign_up() -> None:
    reply = state(
        "signedOut",
        action("signIn", "Sign In", field("username"), field("password", "Password", "password")),
        action("signUp", "Create Account", field("username"), field("password", "Password", "password")),
        action("resetPassword", "Forgot Password", field("username")),
        action(
            "signIn:google", "Sign in with Google", url="https://accounts.example/authorize", method="post"
        ),
        {"name": "signIn:okta", "fields": [hidden("state", "xyz")], "url": "https://okta.example/authorize"},
    )
    for view in (None, ScreenName.SIGN_UP):
        screen = screen_of(reply, view)
        assert [(f.action, f.role) for f in screen.external] == [
            ("signIn:google", FormRole.EXTERNAL),
            ("signIn:okta", FormRole.EXTERNAL),
        ]
    google, okta = screen_of(reply).external
    assert (google.url, google.method, google.label) == (
        "https://accounts.example/authorize",
        "POST",
        Raw("Sign in with Google"),
    )
    assert (okta.method, okta.label) == ("GET", Msg("action.federated", {"provider": "Okta"}))
    assert only(okta, "state").visible is False
    assert screen_of(reply, ScreenName.FORGOT_PASSWORD).external == ()


def test_a_signed_out_state_with_only_a_federated_form_is_generic_with_that_form() -> None:
    reply = state("signedOut", action("signIn:google", "Google", url="https://idp.example/authorize"))
    screen = screen_of(reply)
    assert screen.name is ScreenName.GENERIC
    assert [f.action for f in screen.external] == ["signIn:google"]


# ------------------------------------------------------------ sign-up steps


def test_confirm_sign_up_with_resend() -> None:
    screen = screen_of(reply_of(UA, 2))
    assert screen.name is ScreenName.CONFIRM_SIGN_UP
    assert screen.title == Msg("screen.confirm_sign_up") and screen.hint == Msg("hint.confirm_sign_up")
    assert screen.primary is not None and screen.primary.action == "confirmSignUp"
    assert fields(screen.primary) == [
        ("username", FieldKind.HIDDEN, None, False),
        ("code", FieldKind.ONE_TIME_CODE, "one-time-code", True),
    ]
    code = only(screen.primary, "code")
    assert (
        code.numeric
        and code.rules == (Required(), CodeShape())
        and code.label == Msg("field.verification_code")
    )
    assert [(f.action, f.label) for f in screen.secondary] == [
        ("resendSignUpCode", Msg("action.resendSignUpCode"))
    ]
    assert hooks(screen) == [BACK]


def test_authbasic_confirm_sign_up_fills_in_and_hides_what_the_person_gave() -> None:
    reply = reply_of(BASIC_SIGNUP, 2)  # username, code, password, all visible inputs
    known = screen_of(reply, username="alice-8e673b-8af2", sign_up_password="Passw0rd!")
    assert fields(known.primary) == [
        ("username", FieldKind.USERNAME, "username", False),
        ("code", FieldKind.ONE_TIME_CODE, "one-time-code", True),
        ("password", FieldKind.CURRENT_PASSWORD, "current-password", False),
    ]
    assert only(known.primary, "username").value == "alice-8e673b-8af2"
    assert only(known.primary, "password").value == "Passw0rd!"
    assert [f.name for f in known.fields] == ["code"]
    # After a reload nothing is known: both are asked, not invented.
    fresh = screen_of(reply)
    assert [f.name for f in fresh.fields] == ["username", "code", "password"]
    assert only(fresh.primary, "password").value == ""


def test_the_sign_up_password_never_prefills_another_screen() -> None:
    screen = screen_of(reply_of(BASIC_SIGNUP, 1), username="alice", sign_up_password="Passw0rd!")
    assert only(screen.primary, "username").value == "alice"
    assert only(screen.primary, "password").value == ""


def test_auto_sign_in() -> None:
    screen = screen_of(reply_of(UA, 3))
    assert screen.name is ScreenName.AUTO_SIGN_IN
    assert screen.title == Msg("screen.auto_sign_in")
    assert screen.primary is not None and screen.primary.action == "autoSignIn"
    assert screen.primary.label == Msg("action.autoSignIn")
    assert fields(screen.primary) == [("username", FieldKind.HIDDEN, None, False)]
    assert screen.fields == ()


def test_confirming_sign_up_without_known_actions_is_generic() -> None:
    reply = state("confirmingSignUp", action("verifyLink", "Open the link we sent", field("token")))
    screen = screen_of(reply)
    assert screen.name is ScreenName.GENERIC
    assert screen.primary is not None and screen.primary.action == "verifyLink"
    assert screen.primary.label == Raw("Open the link we sent")


# ------------------------------------------------------------- challenges


@pytest.mark.parametrize(
    ("label", "variant", "destination", "title"),
    [
        ("Enter Authenticator Code", "totp", None, "screen.confirm_code.totp"),
        ("Enter Email Code (sent to a***@e***.com)", "email", "a***@e***.com", "screen.confirm_code.email"),
        ("Enter SMS Code (sent to +*******0123)", "sms", "+*******0123", "screen.confirm_code.sms"),
        ("Enter Code", None, None, "screen.confirm_code"),
    ],
)
def test_confirm_code_variants(label: str, variant: str | None, destination: str | None, title: str) -> None:
    screen = screen_of(challenge("code", label, field("code", "Code")))
    assert screen.name is ScreenName.CONFIRM_CODE
    assert (screen.code_variant, screen.destination, screen.title) == (variant, destination, Msg(title))
    if destination:
        assert screen.hint == Msg("hint.code.sent_to", {"destination": destination})
    else:
        assert screen.hint == Msg("hint.code")
    assert fields(screen.primary) == [
        ("session", FieldKind.HIDDEN, None, False),
        ("challenge", FieldKind.HIDDEN, None, False),
        ("code", FieldKind.ONE_TIME_CODE, "one-time-code", True),
    ]
    assert only(screen.primary, "session").echo == "S-1"
    assert hooks(screen) == [BACK]


def test_confirm_code_from_the_recording_names_the_email_it_went_to() -> None:
    screen = screen_of(reply_of(OPT_MFA, 7))
    assert (screen.name, screen.code_variant, screen.destination) == (
        ScreenName.CONFIRM_CODE,
        "email",
        "carol-8e673b-5e4e@example.com",
    )


def test_select_mfa_with_parsed_choices() -> None:
    screen = screen_of(reply_of("cognito_opt_reset_password.jsonl", 4))  # "Choose MFA Method"
    assert screen.name is ScreenName.SELECT_MFA
    assert screen.title == Msg("screen.select_mfa")
    assert screen.primary is not None and screen.primary.label == Msg("action.confirmSignIn.select")
    mfa = only(screen.primary, "mfaType")
    assert (mfa.kind, mfa.visible, mfa.value) == (FieldKind.CHOICE, True, "TOTP")  # first option preselected
    assert [(c.value, c.label) for c in screen.choices] == [
        ("TOTP", Msg("choice.TOTP")),
        ("EMAIL", Msg("choice.EMAIL")),
    ]
    assert mfa.rules == (Required(), OneOf(("TOTP", "EMAIL")))
    assert mfa.label == Msg("field.mfa_type") and mfa.hint is None


def test_select_mfa_setup() -> None:
    screen = screen_of(reply_of(REQ_TOTP, 4))  # "Choose MFA Setup"
    assert screen.name is ScreenName.SELECT_MFA_SETUP
    assert screen.title == Msg("screen.select_mfa_setup")
    assert [c.value for c in screen.choices] == ["TOTP", "EMAIL"]
    assert hooks(screen) == [BACK]


def test_select_mfa_falls_back_to_free_text_when_the_label_lists_nothing() -> None:
    screen = screen_of(challenge("mfaType", "Choose MFA Method", field("mfaType", "Type TOTP or SMS please")))
    mfa = only(screen.primary, "mfaType")
    assert screen.name is ScreenName.SELECT_MFA
    assert (mfa.kind, mfa.choices, mfa.value) == (FieldKind.CHOICE, (), "")
    assert mfa.label == Raw("Type TOTP or SMS please")  # the server's words, since they say what to type
    assert mfa.hint == Msg("hint.choice_free_text")
    assert mfa.rules == (Required(),)
    assert screen.choices == ()


def test_setup_totp_shows_the_secret_and_an_otpauth_uri() -> None:
    screen = screen_of(reply_of(REQ_TOTP, 5), username="frank-8e673b-c26d")
    assert screen.name is ScreenName.SETUP_TOTP
    assert screen.title == Msg("screen.setup_totp") and screen.hint == Msg("hint.totp_setup")
    assert screen.totp_secret == "Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7"
    assert screen.totp_uri == (
        "otpauth://totp/nicegui-authenticator:frank-8e673b-c26d"
        "?secret=Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7&issuer=nicegui-authenticator"
    )
    assert fields(screen.primary) == [
        ("session", FieldKind.HIDDEN, None, False),
        ("challenge", FieldKind.HIDDEN, None, False),
        ("sharedSecret", FieldKind.SECRET, None, False),
        ("code", FieldKind.ONE_TIME_CODE, "one-time-code", True),
    ]
    assert only(screen.primary, "code").label == Msg("field.code")  # "Code from Authenticator" is known
    assert hooks(screen) == [BACK]


def test_setup_totp_issuer_comes_from_the_app() -> None:
    screen = screen_of(reply_of(REQ_TOTP, 5), config=MachineConfig(issuer="Acme Corp"), username="frank")
    assert (
        screen.totp_uri
        == "otpauth://totp/Acme%20Corp:frank?secret=Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7&issuer=Acme%20Corp"
    )


def test_setup_email() -> None:
    screen = screen_of(challenge("email", "Set Up Email MFA", field("email", "Email", "email")))
    assert screen.name is ScreenName.SETUP_EMAIL
    assert screen.title == Msg("screen.setup_email") and screen.hint == Msg("hint.email_setup")
    assert [(f.name, f.kind, f.autocomplete) for f in screen.fields] == [("email", FieldKind.EMAIL, "email")]
    assert only(screen.primary, "email").rules == (Required(), EmailShape())
    assert hooks(screen) == [BACK]


def test_new_password_is_asked_twice_against_the_policy() -> None:
    screen = screen_of(
        challenge("newPassword", "Set New Password", field("newPassword", "New Password", "password"))
    )
    assert screen.name is ScreenName.NEW_PASSWORD
    assert screen.title == Msg("screen.new_password") and screen.hint == Msg("hint.new_password")
    assert [(f.name, f.kind, f.autocomplete, f.visible) for f in screen.fields] == [
        ("newPassword", FieldKind.NEW_PASSWORD, "new-password", True),
        ("confirmPassword", FieldKind.CONFIRM_PASSWORD, "new-password", True),
    ]
    assert only(screen.primary, "newPassword").rules == (Required(), MeetsPolicy(PasswordPolicy()))
    assert only(screen.primary, "confirmPassword").rules == (Required(), MatchesField("newPassword"))


def test_enter_password() -> None:
    screen = screen_of(challenge("password", "Enter Password", field("password", "Password", "password")))
    assert screen.name is ScreenName.ENTER_PASSWORD
    assert screen.title == Msg("screen.enter_password")
    assert [(f.name, f.kind, f.autocomplete) for f in screen.fields] == [
        ("password", FieldKind.CURRENT_PASSWORD, "current-password")
    ]
    assert hooks(screen) == [BACK]


def test_select_first_factor() -> None:
    reply = challenge(
        "firstFactor",
        "Choose Sign-In Method",
        field("firstFactor", "Pick one of: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN"),
    )
    screen = screen_of(reply)
    assert screen.name is ScreenName.SELECT_FIRST_FACTOR
    assert screen.title == Msg("screen.select_first_factor")
    assert screen.primary is not None and screen.primary.label == Msg("action.confirmSignIn.select")
    first = only(screen.primary, "firstFactor")
    assert first.kind is FieldKind.CHOICE and first.label == Msg("field.first_factor")
    assert [(c.value, c.label) for c in screen.choices] == [
        ("PASSWORD", Msg("choice.PASSWORD")),
        ("EMAIL_OTP", Msg("choice.EMAIL_OTP")),
        ("SMS_OTP", Msg("choice.SMS_OTP")),
        ("WEB_AUTHN", Msg("choice.WEB_AUTHN")),
    ]


def test_unknown_choice_values_are_shown_as_given() -> None:
    screen = screen_of(challenge("mfaType", "Choose", field("mfaType", "Pick one of: TOTP, CARRIER_PIGEON")))
    assert [c.label for c in screen.choices] == [Msg("choice.TOTP"), Raw("CARRIER_PIGEON")]


def test_passkey_assert() -> None:
    screen = screen_of(reply_of(UA_PASSKEY, 5))
    assert screen.name is ScreenName.PASSKEY_ASSERT
    assert screen.title == Msg("screen.passkey_assert") and screen.hint == Msg("hint.passkey_assert")
    assert screen.primary is not None
    assert (screen.primary.capability, screen.primary.label) == (
        "webauthn-get",
        Msg("action.confirmSignIn.passkey"),
    )
    assert screen.fields == ()  # nothing to type: the browser asks
    assert hooks(screen) == [BACK]


def test_a_webauthn_get_capability_wins_over_the_challenge_name() -> None:
    reply = challenge(
        "code", "Use Passkey", hidden("credentialRequestOptions", "{}"), capability="webauthn-get"
    )
    assert screen_of(reply).name is ScreenName.PASSKEY_ASSERT


def test_confirming_mfa_reads_the_challenge_like_confirming_sign_in() -> None:
    reply = AuthState.model_validate(
        {**challenge("code", "Enter Authenticator Code", field("code")).to_wire(), "state": "confirmingMfa"}
    )
    assert screen_of(reply).name is ScreenName.CONFIRM_CODE


def test_confirming_mfa_with_a_bare_code_form_is_confirm_code() -> None:
    reply = state(
        "confirmingMfa",
        action("verifyMfa", "Enter Authenticator Code", hidden("session", "S"), field("code", "Code")),
    )
    screen = screen_of(reply)
    assert screen.name is ScreenName.CONFIRM_CODE
    assert screen.primary is not None and screen.primary.action == "verifyMfa"
    assert screen.code_variant == "totp"


def test_confirm_sign_in_without_a_challenge_field_but_a_code_is_confirm_code() -> None:
    reply = state(
        "confirmingSignIn",
        action("confirmSignIn", "Enter Code", hidden("session", "S"), field("code", "Code")),
    )
    assert screen_of(reply).name is ScreenName.CONFIRM_CODE


def test_a_challenge_action_under_another_name_is_found_by_its_hidden_challenge() -> None:
    reply = state(
        "confirmingSignIn",
        action("help", "Help"),
        action("answerChallenge", "Enter Code", hidden("challenge", "code"), field("code")),
    )
    screen = screen_of(reply)
    assert screen.name is ScreenName.CONFIRM_CODE
    assert screen.primary is not None and screen.primary.action == "answerChallenge"
    assert [f.action for f in screen.secondary] == ["help"]


@pytest.mark.parametrize("name", ["someFutureChallenge", "SMS_MFA"])
def test_unknown_challenges_are_generic(name: str) -> None:
    screen = screen_of(challenge(name, "Do the thing", field("answer", "Answer")))
    assert screen.name is ScreenName.GENERIC
    assert screen.primary is not None and [f.name for f in screen.fields] == ["answer"]
    assert only(screen.primary, "answer").label == Raw("Answer")


def test_confirm_reset_password() -> None:
    screen = screen_of(reply_of("cognito_req_reset_password.jsonl", 1))
    assert screen.name is ScreenName.CONFIRM_RESET_PASSWORD
    assert screen.title == Msg("screen.confirm_reset_password")
    assert fields(screen.primary) == [
        ("username", FieldKind.HIDDEN, None, False),
        ("code", FieldKind.ONE_TIME_CODE, "one-time-code", True),
        ("newPassword", FieldKind.NEW_PASSWORD, "new-password", True),
        ("confirmPassword", FieldKind.CONFIRM_PASSWORD, "new-password", True),
    ]
    assert only(screen.primary, "code").label == Msg("field.reset_code")
    assert hooks(screen) == [BACK]


def test_authbasic_confirm_reset_password_hides_the_username_it_was_given() -> None:
    reply = reply_of("basic_reset_password.jsonl", 1)  # username is a visible text input there
    assert [f.name for f in screen_of(reply).fields] == ["username", "code", "newPassword", "confirmPassword"]
    known = screen_of(reply, username="alice-8e673b-8af2")
    assert [f.name for f in known.fields] == ["code", "newPassword", "confirmPassword"]
    assert only(known.primary, "username").value == "alice-8e673b-8af2"


# ---------------------------------------------------------- signed-in screens


def test_signed_in() -> None:
    screen = screen_of(reply_of(UA_PASSKEY, 1))
    assert screen.name is ScreenName.SIGNED_IN
    assert screen.title == Msg("screen.signed_in")
    assert screen.user is not None and screen.user.username == "hana-8e673b-10eb@example.com"
    assert screen.signed_in
    assert screen.primary is not None and screen.primary.action == "signOut"
    assert [(f.action, f.label) for f in screen.secondary] == [
        ("startPasskeyRegistration", Msg("action.startPasskeyRegistration")),
        ("listPasskeys", Msg("action.listPasskeys")),
    ]
    assert screen.links == ()


def test_passkey_register() -> None:
    screen = screen_of(reply_of(UA_PASSKEY, 2))
    assert screen.name is ScreenName.PASSKEY_REGISTER
    assert screen.hint == Msg("hint.passkey_register")
    assert screen.primary is not None
    assert (screen.primary.action, screen.primary.capability) == (
        "completePasskeyRegistration",
        "webauthn-create",
    )
    assert fields(screen.primary) == [
        ("credentialCreationOptions", FieldKind.HIDDEN, None, False),
        ("credential", FieldKind.HIDDEN, None, False),
    ]
    assert screen.user is not None


def test_passkey_manage_tells_the_passkeys_apart() -> None:
    reply = state(
        "signedIn",
        action("deletePasskey", "Delete passkey cred-2e3…", hidden("credentialId", "cred-2e33eab406ef")),
        action("deletePasskey", "Delete passkey cred-4c5…", hidden("credentialId", "cred-4c5a48d0f4f1")),
        action("startPasskeyRegistration", "Add a passkey to this device"),
        action("signOut", "Sign Out"),
        user={"userId": "u1", "username": "frank"},
    )
    screen = screen_of(reply)
    assert screen.name is ScreenName.PASSKEY_MANAGE
    assert screen.title == Msg("screen.passkey_manage")
    assert screen.primary is not None and screen.primary.action == "startPasskeyRegistration"
    deletes = [f for f in screen.secondary if f.action == "deletePasskey"]
    assert [f.label for f in deletes] == [Raw("Delete passkey cred-2e3…"), Raw("Delete passkey cred-4c5…")]
    assert [only(f, "credentialId").value for f in deletes] == ["cred-2e33eab406ef", "cred-4c5a48d0f4f1"]
    assert screen.hint is None


def test_reference_backend_totp_setup_while_signed_in() -> None:
    reply = state(
        "signedIn",
        action(
            "completeTotpSetup",
            "Verify",
            hidden("sharedSecret", "jbsw y3dp ehpk 3pxp"),
            field("code", "Code"),
        ),
        action("cancelSetup", "Cancel"),
        user={"userId": "u1", "username": "frank"},
    )
    screen = screen_of(reply)
    assert screen.name is ScreenName.SETUP_TOTP
    assert screen.totp_secret == "jbsw y3dp ehpk 3pxp"
    assert screen.totp_uri is not None and "secret=JBSWY3DPEHPK3PXP" in screen.totp_uri
    assert ":frank?" in screen.totp_uri  # the signed-in user's name when none was typed
    assert screen.primary is not None and screen.primary.action == "completeTotpSetup"
    assert [f.action for f in screen.secondary] == ["cancelSetup"]
    assert screen.links == ()  # signed in: no "back to sign in"


def test_reference_backend_email_mfa_setup_while_signed_in() -> None:
    reply = state(
        "signedIn",
        action("completeEmailMfaSetup", "Enter Code", field("code", "Code")),
        user={"userId": "u1", "username": "frank"},
    )
    screen = screen_of(reply)
    assert screen.name is ScreenName.CONFIRM_CODE
    assert screen.code_variant == "email"
    assert screen.title == Msg("screen.confirm_code.email")
    assert screen.links == ()


# ------------------------------------------------------------------ generic


def test_unknown_state_renders_every_action_as_a_plain_form() -> None:
    reply = state(
        "awaitingMagicLink",
        action(
            "checkInbox", "I clicked the link", hidden("nonce", 42), field("note", "Note", required=False)
        ),
        action("startOver", "Start over"),
        error="<img src=x onerror=alert(1)>",
    )
    screen = screen_of(reply)
    assert screen.name is ScreenName.GENERIC
    assert screen.title == Msg("screen.generic")
    assert [(f.action, f.role, f.label) for f in screen.forms] == [
        ("checkInbox", FormRole.PRIMARY, Raw("I clicked the link")),
        ("startOver", FormRole.SECONDARY, Raw("Start over")),
    ]
    assert fields(screen.primary) == [
        ("nonce", FieldKind.HIDDEN, None, False),
        ("note", FieldKind.TEXT, None, True),
    ]
    assert only(screen.primary, "nonce").echo == 42
    assert screen.server_state == "awaitingMagicLink"
    # The server's error is shown as given, as text (Raw), never as markup.
    assert started(reply).screen.error == Raw("<img src=x onerror=alert(1)>")


def test_an_unknown_state_without_actions_is_generic_and_empty() -> None:
    screen = screen_of(state("mystery"))
    assert (screen.name, screen.forms, screen.primary) == (ScreenName.GENERIC, (), None)


@pytest.mark.parametrize(
    ("ftype", "name", "kind", "autocomplete", "input_type"),
    [
        ("tel", "phone_number", FieldKind.PHONE, "tel", "tel"),
        ("text", "phone_number", FieldKind.PHONE, "tel", "tel"),
        ("number", "age", FieldKind.NUMBER, None, "number"),
        ("email", "contact", FieldKind.EMAIL, "email", "email"),
        ("text", "given_name", FieldKind.TEXT, None, "text"),
        ("date", "birthdate", FieldKind.TEXT, None, "text"),
        ("text", "verificationCode", FieldKind.ONE_TIME_CODE, "one-time-code", "text"),
    ],
)
def test_field_kinds_from_name_and_type(
    ftype: str, name: str, kind: FieldKind, autocomplete: str | None, input_type: str
) -> None:
    reply = state("signedOut", action("signUp", "Create Account", field("username"), field(name, "", ftype)))
    f = only(screen_of(reply, ScreenName.SIGN_UP).primary, name)
    assert (f.kind, f.autocomplete, f.input_type) == (kind, autocomplete, input_type)


def test_well_known_field_names_get_catalog_labels_when_the_server_gives_none() -> None:
    reply = state(
        "signedOut", action("signUp", "", {"name": "username"}, {"name": "given_name"}, {"name": "favourite"})
    )
    primary = screen_of(reply, ScreenName.SIGN_UP).primary
    assert primary is not None
    assert [f.label for f in primary.fields] == [
        Msg("field.username"),
        Msg("field.given_name"),
        Raw("favourite"),
    ]
    assert primary.label == Msg("action.signUp")


def test_password_fields_say_so() -> None:
    screen = screen_of(reply_of(UA, 1), ScreenName.SIGN_UP)
    assert [f.name for f in screen.fields if f.is_password] == ["password", "confirmPassword"]
    assert [f.kind for f in screen.fields if f.is_password] == [
        FieldKind.NEW_PASSWORD,
        FieldKind.CONFIRM_PASSWORD,
    ]
