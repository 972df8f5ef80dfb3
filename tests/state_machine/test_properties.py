"""Property tests: whatever a server sends, the machine shows a screen and keeps its promises.

Strategies produce AuthState-shaped JSON: known and unknown states, real and
invented action and field names, wrong types in every slot, missing keys, huge
and hostile strings. The recorded fixture replies are mixed in so the random
event sequences also visit realistic screens.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import event as event_note
from hypothesis import strategies as st
from nicegui_authenticator.state_machine import (
    AuthMachine,
    AuthState,
    CallFailed,
    CallGetAuthState,
    CallSetAuthState,
    Cancel,
    Event,
    FieldKind,
    FormRole,
    InvalidTransition,
    MachineConfig,
    Navigate,
    Phase,
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
    classify_screen,
)
from nicegui_authenticator.state_machine.context import Context
from nicegui_authenticator.state_machine.present import build_screen
from pydantic import ValidationError
from sm_support import load_all

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "{0}{1}{name}{}",
    "%s%s%n",
    "\x00\x01\u202e\ufeff",
    "Pick one of: TOTP, EMAIL",
    "Pick one of: <b>, ' OR 1=1",
    "Enter Email Code (sent to a***@e***.com)",
    "Enter Authenticator Code",
    "Choose MFA Setup",
    "Ünïcødé 用户 🔑",
    "a:b/c?d=e&f#g",
    "",
    " ",
]
STATES = [
    "signedOut",
    "signedIn",
    "confirmingSignUp",
    "confirmingSignIn",
    "confirmingMfa",
    "confirmingPasswordReset",
    "somethingNew",
    "",
]
ACTIONS = [
    "signIn",
    "signUp",
    "resetPassword",
    "signInWithPasskey",
    "confirmSignUp",
    "resendSignUpCode",
    "autoSignIn",
    "confirmSignIn",
    "confirmResetPassword",
    "signOut",
    "startPasskeyRegistration",
    "completePasskeyRegistration",
    "listPasskeys",
    "deletePasskey",
    "completeTotpSetup",
    "completeEmailMfaSetup",
    "signIn:google",
    "mystery",
]
FIELD_NAMES = [
    "username",
    "password",
    "newPassword",
    "email",
    "phone_number",
    "code",
    "session",
    "challenge",
    "mfaType",
    "firstFactor",
    "sharedSecret",
    "credential",
    "credentialRequestOptions",
    "credentialCreationOptions",
    "credentialId",
    "given_name",
    "favouriteColour",
    "confirmPassword",
]
CHALLENGES = [
    "code",
    "mfaType",
    "totpSetup",
    "email",
    "newPassword",
    "password",
    "firstFactor",
    "webauthn",
    "?",
]
TYPES = ["text", "password", "email", "tel", "number", "hidden", "date", "checkbox"]


def _named(strategy: st.SearchStrategy[Any], name: str) -> st.SearchStrategy[Any]:
    """``strategy`` with a short repr (hypothesis prints reprs of nested strategies)."""

    def draw_it(draw: st.DrawFn) -> Any:
        return draw(strategy)

    draw_it.__name__ = draw_it.__qualname__ = name
    return st.composite(draw_it)()


huge = st.builds(
    lambda c, n: c * n,
    st.sampled_from(["a", " ", "(sent to ", "pick of ", "@.", "é"]),
    st.integers(1000, 20000),
)
text = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE), huge)
text = _named(text, "text")
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
scalar = _named(scalar, "scalar")
json_value = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
json_value = _named(json_value, "json_value")
junk = st.one_of(
    scalar, st.lists(scalar, max_size=2), st.dictionaries(st.text(max_size=5), scalar, max_size=2)
)
junk = _named(junk, "junk")


def _maybe(strategy: st.SearchStrategy[Any], wrong: st.SearchStrategy[Any] = junk) -> st.SearchStrategy[Any]:
    """Mostly well-typed, sometimes anything at all."""
    return st.one_of(strategy, strategy, strategy, wrong)


policy = st.fixed_dictionaries(
    {},
    optional={
        "minLength": st.one_of(st.integers(-5, 300), junk),
        "requireUppercase": st.one_of(st.booleans(), junk),
        "requireDigits": st.one_of(st.booleans(), junk),
        "requireSymbols": st.one_of(st.booleans(), junk),
    },
)
policy = _named(policy, "policy")

field_json = st.fixed_dictionaries(
    {"name": _maybe(st.sampled_from(FIELD_NAMES) | st.text(max_size=10))},
    optional={
        "label": _maybe(text),
        "type": _maybe(st.sampled_from(TYPES)),
        "required": _maybe(st.booleans()),
        "defaultValue": st.one_of(st.sampled_from(CHALLENGES), json_value),
        "passwordPolicy": st.one_of(policy, junk),
        "placeholder": junk,
    },
)
field_json = _named(field_json, "field_json")


def _unique_names(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for f in fields:
        key = repr(f.get("name") if isinstance(f, dict) else f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


action_json = st.fixed_dictionaries(
    {"name": _maybe(st.sampled_from(ACTIONS) | st.text(max_size=12))},
    optional={
        "label": _maybe(text),
        "fields": _maybe(st.lists(_maybe(field_json), max_size=6).map(_unique_names)),
        "url": _maybe(st.sampled_from(["https://idp.example/authorize?x=1", ""]) | text),
        "method": _maybe(st.sampled_from(["GET", "POST", "get"])),
        "capability": _maybe(st.sampled_from(["webauthn-get", "webauthn-create", "telepathy"])),
    },
)
action_json = _named(action_json, "action_json")

user_json = st.fixed_dictionaries(
    {},
    optional={"userId": _maybe(text), "username": _maybe(text), "groups": junk, "attributes": junk},
)
user_json = _named(user_json, "user_json")

state_json = st.fixed_dictionaries(
    {"state": _maybe(st.sampled_from(STATES) | text)},
    optional={
        "user": _maybe(user_json),
        "actions": _maybe(st.lists(_maybe(action_json), max_size=5)),
        "error": _maybe(text),
        "errorName": _maybe(
            st.sampled_from(["CodeMismatchException", "NotAuthorizedException", "Nope"]) | text
        ),
        "retriable": _maybe(st.booleans()),
        "extraTopLevel": junk,
    },
)
state_json = _named(state_json, "state_json")

# Whole replies that are not even objects, or objects without a state.
anything = st.one_of(state_json, state_json, state_json, junk)

RECORDED = [s.reply for s in load_all() if s.reply_is_state]

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


def _parse(value: Any) -> AuthState | None:
    """Parse like a client would; only a reply without a usable ``state`` may fail."""
    try:
        return AuthState.model_validate(value)
    except ValidationError:
        usable = (
            isinstance(value, dict)
            and "state" in value
            and isinstance(value["state"], str | int | float | bool | None)
        )
        assert not usable, f"a reply with state {value.get('state')!r} was rejected"  # type: ignore[union-attr]
        return None


@SETTINGS
@given(anything, st.sampled_from([None, *ScreenName]))
def test_any_reply_parses_classifies_and_builds(raw: Any, view: ScreenName | None) -> None:
    reply = _parse(raw)
    if reply is None:
        return
    name = classify_screen(reply, view)
    assert isinstance(name, ScreenName)
    screen = build_screen(Context(state=reply, view=view), MachineConfig())
    assert screen.name is name
    for form in screen.forms:
        for f in form.fields:
            assert isinstance(f.value, str)
    # The same reply through the machine, as the answer to getAuthState.
    machine, _ = AuthMachine().handle(Start())
    machine, _ = machine.handle(ServerReplied(reply))
    assert isinstance(machine.screen.name, ScreenName)
    # Round trip: what we produce parses back to what we produce.
    wire = reply.to_wire()
    assert AuthState.model_validate(wire).to_wire() == wire


def _text_of(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


hidden_field_json = st.fixed_dictionaries(
    {
        "name": st.sampled_from(FIELD_NAMES) | st.text(min_size=1, max_size=10),
        "type": st.just("hidden"),
        "defaultValue": st.one_of(st.sampled_from(CHALLENGES), json_value.filter(lambda v: v is not None)),
    },
    optional={"label": text, "required": st.booleans()},
)
hidden_field_json = _named(hidden_field_json, "hidden_field_json")
form_json = st.fixed_dictionaries(
    {
        "name": st.sampled_from(ACTIONS),
        "fields": st.lists(st.one_of(hidden_field_json, hidden_field_json, field_json), max_size=6).map(
            _unique_names
        ),
    },
    optional={
        "label": text,
        "url": st.sampled_from(["https://idp.example/authorize?x=1", ""]),
        "method": st.sampled_from(["GET", "POST"]),
        "capability": st.sampled_from(["webauthn-get", "webauthn-create", "telepathy"]),
    },
)
form_json = _named(form_json, "form_json")
state_with_forms = st.fixed_dictionaries(
    {"state": st.sampled_from(STATES), "actions": st.lists(form_json, min_size=1, max_size=4)},
    optional={"error": text, "retriable": st.booleans()},
)
state_with_forms = _named(state_with_forms, "state_with_forms")


@pytest.mark.slow
@SETTINGS
@given(state_with_forms)
def test_submitting_the_primary_form_echoes_every_hidden_default(raw: Any) -> None:
    reply = _parse(raw)
    assert reply is not None
    machine, effects = AuthMachine().handle(Start())
    machine, effects = machine.handle(ServerReplied(reply))
    if machine.phase is not Phase.IDLE:
        return  # a lone autoSignIn went out at once; covered by the rule tests
    primary = machine.screen.primary
    assume(primary is not None)
    assert primary is not None
    sent_names = [f.name for f in primary.fields if f.sent]
    candidates = [
        a for a in reply.actions if a.name == primary.action and [f.name for f in a.fields] == sent_names
    ]
    assert candidates, "the primary form does not come from any action of the reply"
    machine, effects = machine.handle(Submit(skip_validation=True))
    assert len(effects) == 1
    effect = effects[0]
    if isinstance(effect, RunWebAuthn):
        machine, effects = machine.handle(WebAuthnResult('{"id":"x"}'))
        (effect,) = effects
    if isinstance(effect, SubmitExternalForm):
        sent: dict[str, Any] = dict(effect.fields)
        compare = _text_of
    else:
        assert isinstance(effect, CallSetAuthState)
        sent = dict(effect.payload)
        assert sent["action"] == primary.action

        def compare(value: Any) -> Any:
            return value

    def echoed(action: Any) -> bool:
        for f in action.fields:
            if not f.hidden or not f.has_default or f.name == "action":
                continue
            if isinstance(effect, CallSetAuthState) and f.name == "credential" and primary.capability:
                continue  # replaced by the ceremony's result
            if f.name not in sent or sent[f.name] != compare(f.default_value):
                return False
        return True

    assert any(echoed(a) for a in candidates), (sent, candidates)


# ----------------------------------------------------------- event sequences

recorded = st.integers(0, len(RECORDED) - 1).map(RECORDED.__getitem__)  # short reprs on failure


def _lenient(value: Any) -> AuthState | None:
    try:
        return AuthState.model_validate(value)
    except ValidationError:
        return None


replies = st.one_of(recorded, recorded, state_json.map(_lenient).filter(lambda s: s is not None))
replies = _named(replies, "replies")
failures = st.builds(
    CallFailed,
    st.sampled_from(["network", "timeout", "protocol", "rpc"]),
    st.text(max_size=20),
    st.sampled_from([None, 401, 403, 500, -32601, -32700]),
    st.sampled_from([None, "NotAuthenticatedException", "Nope"]),
)
failures = _named(failures, "failures")
GOOD_VALUES = {
    FieldKind.USERNAME: "alice",
    FieldKind.EMAIL: "alice@example.com",
    FieldKind.PHONE: "+1 415 555 0123",
    FieldKind.CURRENT_PASSWORD: "Passw0rd!",
    FieldKind.NEW_PASSWORD: "N3w-Passw0rd!",
    FieldKind.CONFIRM_PASSWORD: "N3w-Passw0rd!",
    FieldKind.ONE_TIME_CODE: "123 456",
    FieldKind.TEXT: "x",
    FieldKind.NUMBER: "7",
}


PERSON_MOVES = st.sampled_from(
    ["submit", "submit", "submit", "navigate", "cancel", "retry", "refresh", "odd"]
)
NAV_TARGETS = st.sampled_from([*ScreenName, "nowhere"])
SENSIBLE = st.integers(0, 3)  # 0: type junk, else the sensible value
SHORT_TEXT = st.text(max_size=8)
ODD_EVENTS = st.one_of(
    st.builds(ServerReplied, replies),
    st.just(WebAuthnResult('{"id":"x"}')),
    st.builds(
        Submit, st.dictionaries(st.sampled_from(FIELD_NAMES), st.text(max_size=5)), st.sampled_from(ACTIONS)
    ),
    failures,
)
REPLY_OR_FAILURE = st.one_of(
    st.builds(ServerReplied, replies), st.builds(ServerReplied, replies), failures, st.just(Submit())
)
CEREMONY_OUTCOMES = st.one_of(
    st.builds(WebAuthnResult, st.sampled_from(['{"id":"cred-1","type":"public-key"}', "not-json"])),
    st.builds(WebAuthnFailed, st.sampled_from(["cancelled", "unavailable", "failed"]), st.text(max_size=10)),
    st.just(Cancel()),
)


def _person_event(data: st.DataObject, machine: AuthMachine) -> Event:
    """What a person could do on this screen, usually sensibly, sometimes not."""
    screen = machine.screen
    move = data.draw(PERSON_MOVES)
    if move == "submit" and screen.forms:
        form = screen.forms[data.draw(st.integers(0, len(screen.forms) - 1))]
        values: dict[str, str] = {}
        for f in form.visible_fields:
            good = f.choices[0].value if f.choices else GOOD_VALUES.get(f.kind, "x")
            values[f.name] = good if data.draw(SENSIBLE) else data.draw(SHORT_TEXT)
        return Submit(values, action=form.action, skip_validation=data.draw(st.booleans()))
    if move == "navigate":
        return Navigate(data.draw(NAV_TARGETS))
    if move == "cancel":
        return Cancel()
    if move == "retry":
        return Retry()
    if move == "refresh":
        return Refresh()
    return data.draw(ODD_EVENTS)


def _world_event(data: st.DataObject, machine: AuthMachine) -> Event:
    """What the shell feeds back: mostly the outcome of what is pending."""
    if machine.phase is Phase.CALLING:
        return data.draw(REPLY_OR_FAILURE)
    return data.draw(CEREMONY_OUTCOMES)


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.data(), st.booleans(), st.integers(5, 40))
def test_random_event_sequences_raise_only_invalid_transition_and_never_overlap_calls(
    data: st.DataObject, sign_up: bool, length: int
) -> None:
    machine = AuthMachine(config=MachineConfig(sign_up=sign_up))
    in_flight = 0
    for index in range(length):
        if index == 0:
            event: Event = Start()
        elif machine.phase is Phase.IDLE:
            event = _person_event(data, machine)
        else:
            event = _world_event(data, machine)
        before = machine
        try:
            machine, effects = machine.handle(event)
        except InvalidTransition:
            event_note(f"refused {type(event).__name__}")
            continue
        if isinstance(event, ServerReplied | CallFailed):
            assert in_flight == 1, "a reply was accepted with no call pending"
            in_flight -= 1
        for effect in effects:
            event_note(f"effect {type(effect).__name__}")
            if isinstance(effect, CallSetAuthState | CallGetAuthState):
                in_flight += 1
                assert in_flight == 1, f"two calls in flight after {event!r} on {before.screen.name}"
        assert (machine.phase is Phase.CALLING) == (in_flight == 1)
        screen = machine.screen
        event_note(f"screen {screen.name.value}")
        assert screen.pending == (machine.phase is not Phase.IDLE)
        assert sum(f.role is FormRole.PRIMARY for f in screen.forms) <= 1


@pytest.mark.parametrize(
    "raw", [{}, [], "signedOut", None, {"state": {"x": 1}}, {"state": ["signedIn"]}, {"actions": []}]
)
def test_a_reply_without_a_usable_state_is_a_validation_error(raw: Any) -> None:
    with pytest.raises(ValidationError):
        AuthState.model_validate(raw)
