"""Each reply rule of the machine on its own: when it decides, and when it passes.

``_on_reply`` is the ordered tuple ``REPLY_RULES``; test_machine.py proves the
rules together through ``handle``. Here every rule function gets a reply it
must decide and one it must pass on (return None), so a rule that starts
deciding too much or too little fails by name.
"""

from __future__ import annotations

import re

import pytest
from nicegui_authenticator.state_machine import (
    AuthChanged,
    AuthMachine,
    AuthState,
    CallGetAuthState,
    CallSetAuthState,
    Msg,
    Navigate,
    Phase,
    Refresh,
    ScreenName,
    Submit,
)
from nicegui_authenticator.state_machine import machine as machine_module
from nicegui_authenticator.state_machine.catalogs import MESSAGES_BY_LANGUAGE
from nicegui_authenticator.state_machine.machine import (
    REPLY_RULES,
    ReplyFacts,
    fail_thin_retriable_without_form,
    follow_reply,
    forget_person_on_sign_out,
    keep_failed_confirm_form,
    keep_form_on_thin_retriable,
    resync_error_while_signed_in,
    stay_on_failed_entry_screen,
    submit_lone_auto_sign_in,
)
from nicegui_authenticator.state_machine.messages import msg, translate
from sm_support import action, challenge, field, hidden, started, state

CAROL = {"userId": "carol-1", "username": "carol"}
SIGNED_OUT_ACTIONS = (
    action("signIn", "Sign In", field("username"), field("password", type="password")),
    action("signUp", "Sign Up", field("username"), field("password", type="password")),
    action("resetPassword", "Reset Password", field("username")),
)
SIGNED_OUT = state("signedOut", *SIGNED_OUT_ACTIONS)
WRONG_PASSWORD = state(
    "signedOut",
    *SIGNED_OUT_ACTIONS,
    error="Incorrect username or password.",
    errorName="NotAuthorizedException",
)
THIN_RETRIABLE = state(
    "signedOut", error="Invalid code received for user", retriable=True, errorName="CodeMismatchException"
)
CODE = challenge("code", "Enter the code", field("code"))
SIGNED_IN = state("signedIn", action("signOut", "Sign Out"), user=CAROL)
CONFIRM_SIGN_UP = state(
    "confirmingSignUp",
    action("confirmSignUp", "Confirm", field("username"), field("code")),
    action("resendSignUpCode", "Resend Code", field("username")),
)
LONE_AUTO_SIGN_IN = state("confirmingSignUp", action("autoSignIn", "Sign In", hidden("session", "S-9")))


def submitting(shown: AuthState, action_name: str | None = None, **values: str) -> AuthMachine:
    """A machine showing ``shown`` with a setAuthState call in flight."""
    machine, effects = started(shown).handle(Submit(values, action=action_name))
    assert machine.phase is Phase.CALLING and effects, effects
    return machine


def reading(shown: AuthState | None) -> AuthMachine:
    """A machine with a getAuthState call in flight (a refresh, or the first read)."""
    machine = started(shown) if shown is not None else AuthMachine()
    machine, _ = machine.handle(Refresh())
    assert machine.phase is Phase.CALLING
    return machine


def facts(machine: AuthMachine, reply: AuthState) -> ReplyFacts:
    return ReplyFacts.of(machine, reply)


# ------------------------------------------------------------------ rule 2


def test_rule_2_a_thin_retriable_answer_to_a_submit_keeps_the_form() -> None:
    decision = keep_form_on_thin_retriable(facts(submitting(CODE, code="000000"), THIN_RETRIABLE))
    assert decision is not None
    machine, effects = decision
    assert effects == () and machine.phase is Phase.IDLE
    assert machine.state == CODE and machine.screen.name is ScreenName.CONFIRM_CODE
    assert machine.screen.error_name == "CodeMismatchException"
    assert machine.ctx.values["code"] == "000000"


def test_rule_2_passes_on_a_thin_retriable_answer_to_a_read() -> None:
    assert keep_form_on_thin_retriable(facts(reading(CODE), THIN_RETRIABLE)) is None


# ------------------------------------------------------------------ rule 8


def test_rule_8_a_thin_retriable_answer_with_no_form_is_a_failed_call() -> None:
    decision = fail_thin_retriable_without_form(facts(reading(None), THIN_RETRIABLE))
    assert decision is not None
    machine, effects = decision
    assert effects == () and machine.phase is Phase.IDLE
    assert machine.ctx.failed == CallGetAuthState() and machine.screen.can_retry
    assert machine.screen.error == Msg("error.code_mismatch")


def test_rule_8_passes_on_a_reply_that_carries_forms() -> None:
    assert fail_thin_retriable_without_form(facts(reading(None), WRONG_PASSWORD)) is None


# ------------------------------------------------------------------ rule 5


def test_rule_5_an_error_while_signed_in_re_reads_the_state_and_keeps_the_message() -> None:
    decision = resync_error_while_signed_in(facts(submitting(SIGNED_IN), WRONG_PASSWORD))
    assert decision is not None
    machine, effects = decision
    assert effects == (CallGetAuthState(),) and machine.phase is Phase.CALLING
    assert machine.ctx.pending is not None and machine.ctx.pending.keep_message
    assert machine.ctx.error_name == "NotAuthorizedException"
    assert machine.state == SIGNED_IN  # not taken for a sign-out


def test_rule_5_passes_on_an_error_while_signed_out() -> None:
    machine = submitting(SIGNED_OUT, username="carol", password="nope")
    assert resync_error_while_signed_in(facts(machine, WRONG_PASSWORD)) is None


# ------------------------------------------------------------------ rule 6


def test_rule_6_a_failed_confirm_sign_up_keeps_its_form() -> None:
    machine = submitting(CONFIRM_SIGN_UP, username="carol", code="111111")
    decision = keep_failed_confirm_form(facts(machine, WRONG_PASSWORD))
    assert decision is not None
    after, effects = decision
    assert effects == () and after.state == CONFIRM_SIGN_UP
    assert after.screen.name is ScreenName.CONFIRM_SIGN_UP
    assert after.ctx.values["code"] == "111111" and after.ctx.error is not None


def test_rule_6_passes_on_a_failed_session_bound_challenge() -> None:
    machine = submitting(CODE, code="000000")
    assert keep_failed_confirm_form(facts(machine, WRONG_PASSWORD)) is None


def test_rule_6_passes_when_the_shown_state_no_longer_offers_that_confirm() -> None:
    machine = submitting(CONFIRM_SIGN_UP, username="carol", code="111111")
    moved_on = machine._with(state=CODE)  # e.g. a retry after the flow moved on
    assert keep_failed_confirm_form(facts(moved_on, WRONG_PASSWORD)) is None


# ------------------------------------------------------------------ rule 9


def test_rule_9_a_failed_sign_up_stays_on_sign_up_with_what_was_typed() -> None:
    machine, _ = started(SIGNED_OUT).handle(Navigate(ScreenName.SIGN_UP))
    machine, _ = machine.handle(Submit({"username": "carol", "password": "Secret-1"}, skip_validation=True))
    assert machine.phase is Phase.CALLING
    decision = stay_on_failed_entry_screen(facts(machine, WRONG_PASSWORD))
    assert decision is not None
    after, effects = decision
    assert effects == () and after.screen.name is ScreenName.SIGN_UP
    assert after.ctx.values["username"] == "carol" and after.ctx.values["password"] == "Secret-1"


def test_rule_9_passes_when_the_entry_succeeds() -> None:
    machine = submitting(SIGNED_OUT, username="carol", password="Secret-1")
    assert stay_on_failed_entry_screen(facts(machine, CODE)) is None


# ------------------------------------------------------------------ rule 4


def test_rule_4_signing_out_forgets_the_person() -> None:
    decision = forget_person_on_sign_out(facts(submitting(SIGNED_IN), SIGNED_OUT))
    assert decision is not None
    after, effects = decision
    assert effects == (AuthChanged(None),)
    assert after.ctx.username is None and after.ctx.values == {}
    assert after.screen.name is ScreenName.SIGN_IN


def test_rule_4_passes_on_a_sign_in_that_comes_back_signed_out() -> None:
    machine = submitting(SIGNED_OUT, username="carol", password="Secret-1")
    assert forget_person_on_sign_out(facts(machine, SIGNED_OUT)) is None


# ------------------------------------------------------------------ rule 3


def test_rule_3_a_lone_auto_sign_in_is_submitted_at_once() -> None:
    machine = submitting(CONFIRM_SIGN_UP, username="carol", code="111111")
    decision = submit_lone_auto_sign_in(facts(machine, LONE_AUTO_SIGN_IN))
    assert decision is not None
    after, effects = decision
    assert effects == (CallSetAuthState({"action": "autoSignIn", "session": "S-9"}),)
    assert after.phase is Phase.CALLING and after.ctx.pending is not None
    assert after.ctx.pending.action == "autoSignIn"


def test_rule_3_passes_when_the_lone_auto_sign_in_answers_an_auto_sign_in() -> None:
    machine = started(LONE_AUTO_SIGN_IN)  # the first lone autoSignIn went out at once
    assert machine.ctx.pending is not None and machine.ctx.pending.action == "autoSignIn"
    assert submit_lone_auto_sign_in(facts(machine, LONE_AUTO_SIGN_IN)) is None


# ----------------------------------------------------------------- rule 10


def test_rule_10_follows_the_reply_and_keeps_only_the_username() -> None:
    machine = submitting(SIGNED_OUT, username="carol", password="Secret-1")
    after, effects = follow_reply(facts(machine, CODE))
    assert effects == ()
    assert after.screen.name is ScreenName.CONFIRM_CODE
    assert after.ctx.values == {"username": "carol"} and after.ctx.username == "carol"


def test_rule_10_announces_a_new_user() -> None:
    after, effects = follow_reply(facts(submitting(CODE, code="123456"), SIGNED_IN))
    assert effects == (AuthChanged(SIGNED_IN.user),) and after.screen.name is ScreenName.SIGNED_IN


# ----------------------------------------------------------------- the tuple


def test_the_docstring_lists_the_rules_in_the_order_they_are_tried() -> None:
    doc = machine_module.__doc__ or ""
    listed = re.findall(r"^\* rule (\d+), ``(\w+)``", doc, flags=re.MULTILINE)
    assert [name for _, name in listed] == [rule.__name__ for rule in REPLY_RULES]
    for number, name in listed:
        rule = getattr(machine_module, name)
        assert f"Rule {number}" in (rule.__doc__ or ""), name
        assert re.search(rf"^{number}\. ", doc, flags=re.MULTILINE), f"rule {number} is not explained"


def test_the_last_rule_always_decides() -> None:
    assert REPLY_RULES[-1] is follow_reply


@pytest.mark.parametrize("rule", REPLY_RULES[:-1], ids=lambda r: r.__name__)
def test_every_other_rule_passes_on_a_plain_successful_reply(rule: object) -> None:
    machine = submitting(SIGNED_OUT, username="carol", password="Secret-1")
    assert callable(rule)
    assert rule(facts(machine, CODE)) is None


# ------------------------------------------------------------------ a delay after failed attempts


def test_a_delay_after_failed_sign_ins_keeps_the_form_and_says_how_long_in_every_language() -> None:
    """Finding 2: the backend refuses an early attempt at once with ``retryAfter``; the person
    sees the sign-in form again, still filled in, and how many seconds to wait."""
    too_early = state(
        "signedOut",
        error="Too many failed attempts, please try again in 8 seconds",
        retriable=True,
        errorName="LimitExceededException",
        retryAfter=8,
    )
    decision = keep_form_on_thin_retriable(
        facts(submitting(SIGNED_OUT, "signIn", username="carol", password="nope-nope"), too_early)
    )
    assert decision is not None
    machine, effects = decision
    assert effects == () and machine.screen.name is ScreenName.SIGN_IN
    assert machine.ctx.values["username"] == "carol"
    assert machine.screen.error == msg("error.retry_in", count="8")
    for tag, catalog in MESSAGES_BY_LANGUAGE.items():
        assert "error.retry_in" in catalog, tag  # translated, not English by fallback
        assert "8" in translate(machine.screen.error, catalog), tag
    # A server that sends no wait (or nonsense) gets the general sentence.
    for retry_after in (None, "soon", -3, True):
        vague = state(
            "signedOut", error="x", retriable=True, errorName="LimitExceededException", retryAfter=retry_after
        )
        assert vague.retry_after is None
