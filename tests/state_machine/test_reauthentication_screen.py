"""The re-authentication screen in the pure core: shown as it comes, by any method, then the change goes.

Replies are shaped like the reference backend's re-authentication state
(docs/protocol.md, "Re-authentication"): ``signedIn`` with an error, a
``reauthenticate`` form for the current method, a method choice, sign-out.
"""

from __future__ import annotations

from typing import Any

from nicegui_authenticator.state_machine import (
    AuthState,
    CallGetAuthState,
    CallSetAuthState,
    Cancel,
    FieldKind,
    Msg,
    RunWebAuthn,
    ScreenName,
    ServerReplied,
    Submit,
    WebAuthnResult,
)
from nicegui_authenticator.state_machine.machine import (
    ReplyFacts,
    resume_after_reauthentication,
    show_reauthentication,
)
from sm_support import action, field, hidden, only_call, run, started, state

USER = {"userId": "ann-1", "username": "ann"}
SIGNED_IN = state(
    "signedIn",
    action("signOut", "Sign Out"),
    action("startTotpSetup", "Set up authenticator app"),
    action("disableMfa", "Turn off MFA"),
    user=USER,
)
CHOOSE = action(
    "chooseReauthenticationMethod",
    "Use another method",
    field("method", "Pick one of: WEB_AUTHN, EMAIL_OTP"),
)
REFUSED = {"error": "Please confirm it is you to continue", "errorName": "ReauthenticationRequiredException"}


def _reauth(proof: dict[str, Any], *extra: dict[str, Any], **top: Any) -> AuthState:
    return state("signedIn", proof, *extra, CHOOSE, action("signOut", "Sign Out"), user=USER, **top)


BY_PASSWORD = action(
    "reauthenticate",
    "Confirm it's you",
    hidden("method", "PASSWORD"),
    field("password", "Password", "password"),
)
BY_EMAIL = action(
    "reauthenticate",
    "Enter Email Code (sent to a***@example.com)",
    hidden("method", "EMAIL_OTP"),
    field("code", "Code"),
)
BY_PASSKEY = action(
    "reauthenticate",
    "Use Passkey",
    hidden("method", "WEB_AUTHN"),
    hidden("credentialRequestOptions", '{"challenge":"abc"}'),
    hidden("credential", ""),
    capability="webauthn-get",
)
RESEND = action("resendReauthenticationCode", "Resend Code")


def _refused_change() -> tuple[Any, CallSetAuthState]:
    """Ann asked to turn MFA off; the server wants a fresh proof first."""
    machine, effects = run(started(SIGNED_IN), Submit({}, action="disableMfa"))
    change = only_call(effects)
    machine, effects = machine.handle(ServerReplied(_reauth(BY_PASSWORD, **REFUSED)))
    assert effects == ()  # shown as it came, not re-read away (rule 15 before rule 5)
    return machine, change


def test_rule_15_a_refused_change_shows_the_confirm_identity_screen_with_its_error() -> None:
    machine, change = _refused_change()
    screen = machine.screen
    assert screen.name is ScreenName.CONFIRM_IDENTITY and screen.error == Msg(
        "error.reauthentication_required"
    )
    assert screen.hint == Msg("hint.confirm_identity.password")
    assert [f.kind for f in screen.fields] == [FieldKind.CURRENT_PASSWORD]
    assert machine.ctx.reauth_resume == change
    chooser = screen.form("chooseReauthenticationMethod")
    assert chooser is not None and [c.value for c in chooser.fields[0].choices] == ["WEB_AUTHN", "EMAIL_OTP"]


def test_rule_16_the_refused_change_is_sent_again_once_the_password_is_right() -> None:
    machine, change = _refused_change()
    machine, effects = run(machine, Submit({"password": "Tangerine-Kite-7"}))
    proof = only_call(effects)
    assert proof.payload == {"action": "reauthenticate", "method": "PASSWORD", "password": "Tangerine-Kite-7"}
    machine, effects = machine.handle(ServerReplied(SIGNED_IN))
    assert effects == (change,) and machine.ctx.reauth_resume is None


def test_an_emailed_code_method_keeps_the_change_through_choose_and_resend() -> None:
    machine, change = _refused_change()
    machine, effects = run(machine, Submit({"method": "EMAIL_OTP"}, action="chooseReauthenticationMethod"))
    assert only_call(effects).payload == {"action": "chooseReauthenticationMethod", "method": "EMAIL_OTP"}
    machine, _ = machine.handle(ServerReplied(_reauth(BY_EMAIL, RESEND)))
    screen = machine.screen
    assert screen.hint == Msg("hint.code.sent_to", {"destination": "a***@example.com"})
    assert [f.kind for f in screen.fields] == [FieldKind.ONE_TIME_CODE] and screen.form(RESEND["name"])
    machine, effects = run(machine, Submit({}, action="resendReauthenticationCode"))
    machine, _ = machine.handle(ServerReplied(_reauth(BY_EMAIL, RESEND)))
    assert machine.screen.notice == Msg("notice.code_resent") and machine.ctx.reauth_resume == change
    machine, effects = run(machine, Submit({"code": "123456"}))
    assert only_call(effects).payload == {"action": "reauthenticate", "method": "EMAIL_OTP", "code": "123456"}
    machine, effects = machine.handle(ServerReplied(SIGNED_IN))
    assert effects == (change,)


def test_a_passkey_method_runs_the_get_ceremony_and_then_the_change() -> None:
    machine, change = _refused_change()
    machine, _ = run(machine, Submit({"method": "WEB_AUTHN"}, action="chooseReauthenticationMethod"))
    machine, _ = machine.handle(ServerReplied(_reauth(BY_PASSKEY)))
    screen = machine.screen
    assert screen.primary is not None and screen.primary.label == Msg("action.confirmSignIn.passkey")
    assert screen.hint == Msg("hint.passkey_assert")
    machine, effects = run(machine, Submit({}))
    assert effects == [RunWebAuthn("get", '{"challenge":"abc"}', "reauthenticate")]
    machine, effects = machine.handle(WebAuthnResult('{"id":"cred-1"}'))
    payload = only_call(effects).payload
    assert payload["method"] == "WEB_AUTHN" and payload["credential"] == '{"id":"cred-1"}'
    machine, effects = machine.handle(ServerReplied(SIGNED_IN))
    assert effects == (change,)


def test_leaving_the_screen_forgets_the_change() -> None:
    machine, _ = _refused_change()
    machine, effects = run(machine, Submit({}, action="signOut"))
    machine, _ = machine.handle(ServerReplied(state("signedOut", action("signIn", "Sign In"))))
    assert machine.ctx.reauth_resume is None
    machine, _ = _refused_change()
    machine, effects = run(machine, Cancel())
    assert effects == [CallGetAuthState()]
    machine, effects = machine.handle(ServerReplied(SIGNED_IN))
    assert effects == () and machine.ctx.reauth_resume is None


def test_the_new_rules_pass_on_replies_that_are_not_theirs() -> None:
    machine, _ = run(started(SIGNED_IN), Submit({}, action="startTotpSetup"))
    facts = ReplyFacts.of(machine, SIGNED_IN)
    assert show_reauthentication(facts) is None and resume_after_reauthentication(facts) is None
