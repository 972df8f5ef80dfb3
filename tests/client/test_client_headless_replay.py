"""Every recording, driven through HeadlessAuthenticator as a person would.

The replay server (real HTTP) answers with the recorded replies and fails on
any request that differs from the recording. For each recorded request the
driver plays the person: read the screen the machine shows, navigate to the
signed-out screen that offers the action if needed, type the values of the
visible fields and submit. Requests the machine sends by itself (the lone
``autoSignIn``) must match the recording too.

Some recorded requests are probes no person can make from the screen shown
(signIn while signed in, a bogus hidden session, confirmSignUp without the
password the form holds, a passkey action while signed out). The driver
detects them with a dry run of the pure machine (the payload it would send
differs from the recorded one, or the action is not on the screen) and skips
them, applying their cookie effects so the rest of the flow stays consistent.
Each flow states how many steps are driven and which were skipped, so a
change in the machine that makes a reachable step unreachable fails the test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from local_server import LiveServer
from nicegui_authenticator.client import AuthClient, CookieSession
from nicegui_authenticator.client.headless import HeadlessAuthenticator
from nicegui_authenticator.state_machine import (
    CONFIRM_PASSWORD_FIELD,
    CallSetAuthState,
    FieldKind,
    Navigate,
    Phase,
    Refresh,
    RunWebAuthn,
    ScreenName,
    ServerReplied,
    Submit,
    WebAuthnResult,
)
from nicegui_authenticator.state_machine.protocol import AuthState
from nicegui_authenticator.state_machine.screens import LOCAL_SCREENS
from recordings import recording_paths
from replay_server import RecordedStep, RecorderJar, ReplayServer, load_flow, uses_main_client

FLOWS = recording_paths()
_SCREEN_OF_ACTION = {action: screen for screen, action in LOCAL_SCREENS.items()}

# Per flow: the screen the machine ends on, and the recorded steps (by step
# number) that no person can send from the screen shown, with why.
EXPECTED: dict[str, tuple[str, dict[int, str]]] = {
    "basic_errors_and_protocol_edges": (
        "signed_in",
        {
            2: "an unknown action: no form offers it",
            3: "signIn without fields: the form keeps the username typed before",
            5: "an unknown namespace: another client configuration",
            15: "a forced non-loopback Host: another client configuration",
        },
    ),
    "basic_reset_password": (
        "confirm_reset_password",
        {4: "resetPassword again from the confirm step (Back re-reads first)"},
    ),
    "basic_signout_does_not_revoke_jwt": ("signed_in", {}),
    "basic_signup_confirm_signin_signout": (
        "sign_in",
        {
            4: "signIn from the confirm step (Back re-reads first)",
            5: "confirmSignUp without the password the confirm form holds",
            6: "signIn from the confirm step (Back re-reads first)",
            14: "signIn while signed in: the signed-in screen offers no sign-in form",
        },
    ),
    "cognito_opt_errors": (
        "sign_up",
        {
            2: "confirmSignUp from the sign-up screen: no confirm form is shown",
            3: "startPasskeyRegistration while signed out",
            4: "an unknown action: no form offers it",
        },
    ),
    "cognito_opt_reset_password": (
        "confirm_reset_password",
        {5: "resetPassword from the MFA choice (Back re-reads first)"},
    ),
    "cognito_opt_signup_autosignin_bool_false": ("confirm_sign_up", {}),
    "cognito_opt_signup_autosignin_email_mfa": (
        "signed_in",
        {18: "a bogus hidden session: the form echoes the server's session"},
    ),
    "cognito_opt_signup_no_autosignin": (
        "sign_in",
        {
            2: "signIn from the confirm step (Back re-reads first)",
            5: "autoSignIn while signed in: not offered",
        },
    ),
    "cognito_opt_totp_enroll_and_signin": ("signed_in", {}),
    "cognito_req_passkey_register_list_delete": (
        "sign_in",
        {
            3: "a non-JSON credential after registration finished: not offered",
            4: "listPasskeys from the passkey list: not offered there",
            9: "deletePasskey from the signed-in card (Manage passkeys lists them first)",
        },
    ),
    "cognito_req_reset_password": ("confirm_code", {}),
    "cognito_req_totp_setup_signin": ("signed_in", {}),
    "cognito_ua_passkey_register_and_signin": (
        "sign_in",
        {7: "reusing a challenge session after it failed: the screen went back to sign-in"},
    ),
    "cognito_ua_signup_autosignin": ("signed_in", {5: "autoSignIn replay while signed in: not offered"}),
}


def _show(auth: HeadlessAuthenticator, reply: object) -> bool:
    """Put the person in front of ``reply``'s screen without a call (as after a reload).

    Used where the recording continues from a request the person could not
    make (or from an earlier session): the recording's next step assumes its
    reply is what is on screen. Thin retriable replies and errors show nothing.
    """
    if not isinstance(reply, dict) or not isinstance(reply.get("result"), dict):
        return False
    state = AuthState.model_validate(reply["result"])
    if not state.actions or state.error is not None:
        return False  # a refused probe leaves the person where they were
    machine, _ = auth.machine.handle(Refresh())
    machine, _ = machine.handle(ServerReplied(state))
    if machine.phase is not Phase.IDLE:
        return False  # it would call the server by itself (a lone autoSignIn): not a still screen
    auth.machine = machine
    return True


def _seed(auth: HeadlessAuthenticator, steps: list[RecordedStep]) -> None:
    """Flows that continue an earlier session start on the screen that session left:
    a reply of the same server that offers the flow's first action."""
    first = next(s for s in steps if s.is_auth_call)
    if first.verb == "getAuthState":
        return
    action = first.payload.get("action")
    server = first.server
    candidates = [s for p in FLOWS for s in load_flow(p) if s.server == server]
    for step in candidates:
        result = step.response_body.get("result") if isinstance(step.response_body, dict) else None
        if not isinstance(result, dict) or result.get("state") not in ("signedIn", "signedOut"):
            continue
        if any(a.get("name") == action for a in result.get("actions", [])):
            base = {k: v for k, v in result.items() if k not in ("error", "errorName", "retriable")}
            assert _show(auth, {"result": base})
            return


@dataclass
class Outcome:
    driven: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


@dataclass
class Person:
    """What the person does for one recorded request, or why they cannot."""

    kind: Literal["start", "refresh", "submit", "skip"]
    navigate_to: ScreenName | None = None
    submit: Submit | None = None
    credential: str | None = None
    reason: str = ""


def _person_for(auth: HeadlessAuthenticator, step: RecordedStep) -> Person:
    if not uses_main_client(step):
        return Person("skip", reason="another client configuration")
    if step.verb == "getAuthState":
        return Person("start" if auth.machine.state is None else "refresh")
    payload: dict[str, Any] = dict(step.payload)
    action = payload.pop("action")
    machine = auth.machine
    navigate_to: ScreenName | None = None
    screen = machine.screen
    target = _SCREEN_OF_ACTION.get(action)
    if target is not None and screen.server_state == "signedOut" and screen.name is not target:
        if machine.state is None or machine.state.action(action) is None:
            return Person("skip", reason=f"{action} is not offered")
        navigate_to = target
        machine, _ = machine.handle(Navigate(target))
    forms = [f for f in machine.screen.forms if f.action == action]
    if not forms:
        return Person("skip", reason=f"{action} is not on screen {machine.screen.name.value}")
    form = forms[0]
    values: dict[str, str] = {}
    extra: dict[str, Any] = {}
    for key, value in payload.items():
        f = form.field(key)
        if f is None:
            extra[key] = value
        elif f.visible and isinstance(value, str):
            values[key] = value
        elif not f.visible and f.kind in (FieldKind.HIDDEN, FieldKind.SECRET) and len(forms) > 1:
            values[key] = value  # picks one of several forms with the same action
    for f in form.fields:
        if f.kind is FieldKind.NEW_PASSWORD and f.visible and f.name in values:
            values[CONFIRM_PASSWORD_FIELD] = values[f.name]
    credential = payload.get("credential") if form.capability else None
    extra.pop("credential", None)
    submit = Submit(values, action, extra, skip_validation=True)
    # Dry run: would the person's submit send exactly the recorded payload?
    machine, effects = machine.handle(submit)
    if effects and isinstance(effects[0], RunWebAuthn):
        if not isinstance(credential, str):
            return Person("skip", reason="a credential that is not the ceremony's JSON")
        machine, effects = machine.handle(WebAuthnResult(credential))
    sent = next((e.payload for e in effects if isinstance(e, CallSetAuthState)), None)
    if sent is None or json.dumps(sent, sort_keys=True) != json.dumps(step.payload, sort_keys=True):
        return Person("skip", reason="the form would send a different payload")
    return Person("submit", navigate_to=navigate_to, submit=submit, credential=credential)


async def _drive(steps: list[RecordedStep], endpoint: str, replay: ReplayServer) -> tuple[Outcome, str]:
    session = CookieSession()
    jar = RecorderJar(session, endpoint)
    outcome = Outcome()
    credentials: list[str] = []

    async def ceremony(kind: str, options_json: str) -> str:
        return credentials.pop(0)

    async with AuthClient(endpoint, session=session) as client:
        auth = HeadlessAuthenticator(client, webauthn=ceremony)
        _seed(auth, steps)
        index = 0
        while index < len(steps):
            step = steps[index]
            if not step.is_auth_call:
                jar.skip(step)
                index += 1
                continue
            person = _person_for(auth, step)
            if person.kind == "skip":
                assert replay.expected and replay.expected[0] is step
                replay.expected.popleft()
                jar.skip(step)
                outcome.skipped[step.step] = person.reason
                _show(auth, step.response_body)
                index += 1
                continue
            served_before = len(replay.served)
            jar.before(step)
            if person.kind == "start":
                await auth.start()
            elif person.kind == "refresh":
                await auth.refresh()
            else:
                assert person.submit is not None
                if person.navigate_to is not None:
                    await auth.navigate(person.navigate_to)
                if person.credential is not None:
                    credentials.append(person.credential)
                s = person.submit
                await auth.submit(s.values, s.action, extra=s.extra, skip_validation=s.skip_validation)
            consumed = replay.served[served_before:]
            assert consumed and consumed[0] is step, f"{step.label}: the machine did not send it"
            for sent in consumed:
                outcome.driven.append(sent.step)
                jar.after(sent)
            index = steps.index(consumed[-1]) + 1
            assert not replay.failures, replay.failures
    return outcome, auth.screen.name.value


@pytest.mark.parametrize("path", FLOWS, ids=[p.stem for p in FLOWS])
async def test_recorded_flow_through_headless_authenticator(path: Path, live_server: LiveServer) -> None:
    steps = load_flow(path)
    replay = ReplayServer(steps)
    endpoint = live_server.mount(replay) + steps[0].path
    outcome, final_screen = await _drive(steps, endpoint, replay)
    replay.check_finished()
    expected_screen, expected_skips = EXPECTED[path.stem]
    not_auth = {s.step for s in steps if not s.is_auth_call}
    skipped = {k: v for k, v in outcome.skipped.items() if k not in not_auth}
    assert skipped.keys() == expected_skips.keys(), skipped
    assert final_screen == expected_screen
    assert outcome.driven, "a flow with nothing driven proves nothing"


def test_headless_replay_covers_every_flow() -> None:
    assert {p.stem for p in FLOWS} == set(EXPECTED)
