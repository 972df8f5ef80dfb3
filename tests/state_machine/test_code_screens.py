"""Code screens (issue 12, item 7): where the code went, Resend where offered, another method.

The shapes are the reference backend's additive ones (docs/protocol.md, "Code
screens"); without them (the recorded AWS Blocks replies) nothing extra shows.
"""

from __future__ import annotations

from nicegui_authenticator.state_machine import (
    FormRole,
    Msg,
    ScreenName,
    ServerReplied,
    Submit,
)
from nicegui_authenticator.state_machine.actions import ActionRole, row_of
from sm_support import action, challenge, field, hidden, only_call, reply_of, run, started, state

RESET = state(
    "confirmingPasswordReset",
    action(
        "confirmResetPassword",
        "Reset Password",
        hidden("username", "rita@example.com"),
        field("code", "Reset Code"),
        field("newPassword", "New Password", "password"),
        codeDestination="r***@e***.com",
    ),
    action("resendPasswordResetCode", "Resend Code", hidden("username", "rita@example.com")),
)
TOTP = state(
    "confirmingSignIn",
    *challenge("code", "Enter Authenticator Code", field("code", "Code"), session="S-totp").model_dump(
        mode="json", by_alias=True, exclude_none=True
    )["actions"],
    action("useAnotherMfaMethod", "Use another method", hidden("session", "S-totp")),
)
EMAIL = state(
    "confirmingSignIn",
    *challenge(
        "code", "Enter Email Code (sent to y***@e***.com)", field("code", "Code"), session="S-mail"
    ).model_dump(mode="json", by_alias=True, exclude_none=True)["actions"],
    action("resendSignInCode", "Resend Code", hidden("session", "S-mail")),
    action("useAnotherMfaMethod", "Use another method", hidden("session", "S-mail")),
)


def test_the_reset_screen_says_where_the_code_went_and_offers_resend() -> None:
    screen = started(RESET).screen
    assert screen.name is ScreenName.CONFIRM_RESET_PASSWORD
    assert screen.hint == Msg("hint.reset_code.sent_to", {"destination": "r***@e***.com"})
    assert [f.action for f in screen.secondary] == ["resendPasswordResetCode"]
    assert screen.secondary[0].label == Msg("action.resendPasswordResetCode")


def test_a_recorded_reset_screen_hedges_and_offers_no_resend() -> None:
    screen = started(reply_of("cognito_opt_reset_password.jsonl", 1)).screen
    assert screen.name is ScreenName.CONFIRM_RESET_PASSWORD
    assert screen.hint == Msg("hint.reset_code")  # the server answers alike for unknown accounts
    assert screen.secondary == ()


def test_a_reset_resend_shows_a_notice_and_a_refused_one_keeps_the_form() -> None:
    machine = started(RESET)
    machine, effects = run(machine, Submit({}, action="resendPasswordResetCode"))
    assert only_call(effects).payload == {"action": "resendPasswordResetCode", "username": "rita@example.com"}
    resent, _ = machine.handle(ServerReplied(RESET))
    assert resent.screen.notice == Msg("notice.code_resent")
    refused_reply = state(
        "signedOut",
        action("signIn", "Sign In", field("username"), field("password", type="password")),
        error="Attempt limit exceeded, please try after some time",
        errorName="LimitExceededException",
    )
    machine, _ = run(resent, Submit({}, action="resendPasswordResetCode"))
    refused, _ = machine.handle(ServerReplied(refused_reply))
    assert refused.screen.name is ScreenName.CONFIRM_RESET_PASSWORD  # rule 6: the code form stays
    assert refused.screen.error is not None


def test_the_email_code_step_resends_within_its_session() -> None:
    machine = started(EMAIL)
    screen = machine.screen
    assert screen.name is ScreenName.CONFIRM_CODE and screen.code_variant == "email"
    assert screen.hint == Msg("hint.code.sent_to", {"destination": "y***@e***.com"})
    assert [f.action for f in screen.secondary] == ["resendSignInCode", "useAnotherMfaMethod"]
    machine, effects = run(machine, Submit({}, action="resendSignInCode"))
    assert only_call(effects).payload == {"action": "resendSignInCode", "session": "S-mail"}
    resent, _ = machine.handle(ServerReplied(EMAIL))
    assert resent.screen.notice == Msg("notice.code_resent")


def test_the_totp_step_offers_another_method_and_follows_the_switch() -> None:
    machine = started(TOTP)
    screen = machine.screen
    assert screen.code_variant == "totp"
    assert [(f.action, f.role) for f in screen.secondary] == [("useAnotherMfaMethod", FormRole.SECONDARY)]
    assert screen.secondary[0].label == Msg("action.useAnotherMfaMethod")
    machine, effects = run(machine, Submit({"code": "12"}, action="useAnotherMfaMethod"))
    assert only_call(effects).payload == {"action": "useAnotherMfaMethod", "session": "S-totp"}
    switched, _ = machine.handle(ServerReplied(EMAIL))
    assert switched.screen.code_variant == "email"
    assert switched.screen.destination == "y***@e***.com"
    assert switched.screen.primary is not None and switched.screen.primary.field("code").value == ""


def test_the_signed_in_email_set_up_says_where_and_resends() -> None:
    setup = state(
        "signedIn",
        action(
            "completeEmailMfaSetup",
            "Verify email code",
            hidden("email", "ada@example.com"),
            field("code"),
            codeDestination="a***@e***.com",
        ),
        action("resendEmailMfaSetupCode", "Resend Code"),
        action("cancelSetup", "Cancel"),
        user={"userId": "ada", "username": "ada"},
    )
    screen = started(setup).screen
    assert screen.name is ScreenName.CONFIRM_CODE
    assert screen.hint == Msg("hint.code.sent_to", {"destination": "a***@e***.com"})
    assert "resendEmailMfaSetupCode" in [f.action for f in screen.secondary]


def test_the_new_actions_are_table_rows() -> None:
    for name in ("resendPasswordResetCode", "resendSignInCode", "resendEmailMfaSetupCode"):
        row = row_of(name)
        assert row is not None and row.role is ActionRole.RESEND and row.notice == "notice.code_resent"
    alternative = row_of("useAnotherMfaMethod")
    assert alternative is not None and alternative.role is ActionRole.ALTERNATIVE
