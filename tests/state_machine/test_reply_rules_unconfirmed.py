"""Rules 11-13: an unconfirmed account is never a dead end (issue 12, item 1)."""

from __future__ import annotations

from nicegui_authenticator.state_machine import (
    AuthMachine,
    AuthState,
    CallGetAuthState,
    CallSetAuthState,
    Msg,
    Phase,
    ScreenName,
    ServerReplied,
    Start,
    Submit,
)
from nicegui_authenticator.state_machine.machine import (
    REPLY_RULES,
    ReplyFacts,
    offer_confirm_when_resend_refused,
    reread_after_last_item_removed,
    resend_code_to_unconfirmed_account,
    resume_confirm_after_reload,
)
from nicegui_authenticator.state_machine.unconfirmed import confirm_sign_up_state
from sm_support import action, field, hidden, started, state

SIGNED_OUT_ACTIONS = (
    action("signIn", "Sign In", field("username"), field("password", type="password")),
    action("signUp", "Sign Up", field("username"), field("password", type="password")),
    action("resetPassword", "Reset Password", field("username")),
)
SIGNED_OUT = state("signedOut", *SIGNED_OUT_ACTIONS)
NOT_CONFIRMED = state(
    "signedOut", *SIGNED_OUT_ACTIONS, error="User not confirmed", errorName="UserNotConfirmedException"
)
WRONG_PASSWORD = state(
    "signedOut", *SIGNED_OUT_ACTIONS, error="Incorrect", errorName="NotAuthorizedException"
)
REFUSED = state("signedOut", *SIGNED_OUT_ACTIONS, error="Unknown action: resendSignUpCode")
CONFIRM = state(
    "confirmingSignUp",
    action("confirmSignUp", "Confirm Account", hidden("username", "dave"), field("code")),
    action("resendSignUpCode", "Resend Code", hidden("username", "dave")),
)
SIGNED_IN = state("signedIn", action("signOut", "Sign Out"), user={"userId": "d-1", "username": "dave"})


def signing_in() -> AuthMachine:
    machine, _ = started(SIGNED_OUT).handle(Submit({"username": "dave", "password": "Passw0rd!"}))
    return machine


def resending() -> AuthMachine:
    decision = resend_code_to_unconfirmed_account(ReplyFacts.of(signing_in(), NOT_CONFIRMED))
    assert decision is not None
    return decision[0]


def reloading(resume: AuthState | None) -> AuthMachine:
    machine, _ = AuthMachine().handle(Start(resume=resume))
    return machine


def test_rules_11_to_13_are_in_the_table() -> None:
    for rule in (
        resend_code_to_unconfirmed_account,
        offer_confirm_when_resend_refused,
        resume_confirm_after_reload,
    ):
        assert rule in REPLY_RULES


def test_rule_11_an_unconfirmed_sign_in_asks_for_a_new_code() -> None:
    decision = resend_code_to_unconfirmed_account(ReplyFacts.of(signing_in(), NOT_CONFIRMED))
    assert decision is not None
    machine, effects = decision
    assert effects == (CallSetAuthState({"action": "resendSignUpCode", "username": "dave"}),)
    assert machine.phase is Phase.CALLING
    assert machine.screen.notice == Msg("notice.unconfirmed_code_sent") and machine.screen.error is None


def test_rule_11_then_the_reply_opens_the_confirm_screen_with_the_notice() -> None:
    machine, effects = resending().handle(ServerReplied(CONFIRM))
    assert effects == ()
    assert machine.screen.name is ScreenName.CONFIRM_SIGN_UP
    assert machine.screen.notice == Msg("notice.unconfirmed_code_sent")


def test_rule_11_passes_on_a_wrong_password() -> None:
    assert resend_code_to_unconfirmed_account(ReplyFacts.of(signing_in(), WRONG_PASSWORD)) is None


def test_rule_12_a_refused_resend_still_offers_the_confirm_form() -> None:
    decision = offer_confirm_when_resend_refused(ReplyFacts.of(resending(), REFUSED))
    assert decision is not None
    machine, effects = decision
    assert effects == () and machine.phase is Phase.IDLE
    assert machine.screen.name is ScreenName.CONFIRM_SIGN_UP
    assert machine.screen.error == Msg("error.unconfirmed_resend_refused")
    assert machine.state == confirm_sign_up_state("dave")
    machine, effects = machine.handle(Submit({"code": "123456"}))
    assert effects == (CallSetAuthState({"action": "confirmSignUp", "username": "dave", "code": "123456"}),)


def test_rule_12_passes_on_a_resend_from_the_confirm_screen() -> None:
    machine, _ = started(CONFIRM).handle(Submit({}, action="resendSignUpCode"))
    assert offer_confirm_when_resend_refused(ReplyFacts.of(machine, REFUSED)) is None


def test_rule_13_a_reload_on_the_confirm_screen_keeps_it() -> None:
    decision = resume_confirm_after_reload(ReplyFacts.of(reloading(CONFIRM), SIGNED_OUT))
    assert decision is not None
    machine, effects = decision
    assert effects == () and machine.screen.name is ScreenName.CONFIRM_SIGN_UP
    assert machine.ctx.resume is None  # used once


def test_rule_13_passes_when_the_server_says_signed_in_or_nothing_was_kept() -> None:
    assert resume_confirm_after_reload(ReplyFacts.of(reloading(CONFIRM), SIGNED_IN)) is None
    assert resume_confirm_after_reload(ReplyFacts.of(reloading(None), SIGNED_OUT)) is None


def test_rule_13_a_later_refresh_does_not_bring_the_kept_screen_back() -> None:
    machine, _ = reloading(CONFIRM).handle(ServerReplied(SIGNED_IN))
    assert machine.ctx.resume is None
    machine, effects = machine.handle(Start())
    assert effects == (CallGetAuthState(),)
    machine, _ = machine.handle(ServerReplied(SIGNED_OUT))
    assert machine.screen.name is ScreenName.SIGN_IN


def test_start_opens_on_the_linked_signed_out_screen() -> None:
    machine, _ = AuthMachine().handle(Start(view=ScreenName.SIGN_UP))
    machine, _ = machine.handle(ServerReplied(SIGNED_OUT))
    assert machine.screen.name is ScreenName.SIGN_UP


def test_start_on_a_screen_that_is_not_signed_out_is_ignored() -> None:
    machine, _ = AuthMachine().handle(Start(view=ScreenName.SIGNED_IN))
    machine, _ = machine.handle(ServerReplied(SIGNED_OUT))
    assert machine.screen.name is ScreenName.SIGN_IN


# ------------------------------------------------------------------ rule 14 (issue 12, item 8)

PASSKEYS = state(
    "signedIn",
    action("deletePasskey", "Delete passkey cred-1", hidden("credentialId", "cred-1")),
    action("startPasskeyRegistration", "Add a passkey"),
    action("signOut", "Sign Out"),
    user={"userId": "d-1", "username": "dave"},
)
NONE_LEFT = state(
    "signedIn",
    action("startPasskeyRegistration", "Add a passkey"),
    action("signOut", "Sign Out"),
    user={"userId": "d-1", "username": "dave"},
)


def deleting() -> AuthMachine:
    machine, _ = started(PASSKEYS).handle(Submit({"credentialId": "cred-1"}, action="deletePasskey"))
    return machine


def test_rule_14_removing_the_last_passkey_re_reads_the_state_and_keeps_the_notice() -> None:
    decision = reread_after_last_item_removed(ReplyFacts.of(deleting(), NONE_LEFT))
    assert decision is not None
    machine, effects = decision
    assert effects[-1] == CallGetAuthState()
    assert machine.screen.notice == Msg("notice.passkey_deleted")
    machine, _ = machine.handle(ServerReplied(SIGNED_IN))
    assert machine.screen.notice == Msg("notice.passkey_deleted")


def test_rule_14_passes_while_passkeys_remain() -> None:
    assert reread_after_last_item_removed(ReplyFacts.of(deleting(), PASSKEYS)) is None
