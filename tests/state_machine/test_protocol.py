"""Wire models: lenient on input, exact on output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nicegui_authenticator.state_machine import AuthAction, AuthField, AuthState, AuthUser
from nicegui_authenticator.state_machine.protocol import (
    RpcErrorObject,
    parse_auth_state,
)
from pydantic import ValidationError
from sm_support import load_all

RECORDED = [s for s in load_all() if s.reply_is_state]


@pytest.mark.parametrize("s", RECORDED, ids=[s.id for s in RECORDED])
def test_recorded_replies_round_trip_exactly(s: Any) -> None:
    """Parsed and produced again, every recorded AuthState is the same JSON, key order included."""
    state = parse_auth_state(s.result)
    assert state.to_wire() == s.result
    assert json.dumps(state.to_wire()) == json.dumps(s.result)


def test_unknown_state_and_field_type_are_kept() -> None:
    state = AuthState.model_validate(
        {
            "state": "awaitingMagicLink",
            "actions": [{"name": "checkInbox", "fields": [{"name": "when", "type": "datetime-local"}]}],
            "hint": "new key",
        }
    )
    assert state.state == "awaitingMagicLink"
    assert not state.is_known_state
    assert state.actions[0].fields[0].type == "datetime-local"
    assert state.model_extra == {"hint": "new key"}
    assert state.to_wire()["hint"] == "new key"


def test_missing_pieces_default_sensibly() -> None:
    state = AuthState.model_validate(
        {"state": "signedOut", "actions": [{"name": "signIn", "fields": [{"name": "username"}]}]}
    )
    f = state.actions[0].fields[0]
    assert (f.label, f.type, f.required, f.default_value) == ("", "text", False, None)
    assert state.actions[0].label == ""
    assert state.user is None
    assert state.error is None and state.error_name is None and state.retriable is None
    assert state.to_wire() == {
        "state": "signedOut",
        "actions": [
            {
                "name": "signIn",
                "label": "",
                "fields": [{"name": "username", "label": "", "type": "text", "required": False}],
            }
        ],
    }


@pytest.mark.parametrize(
    ("actions", "names"),
    [
        (None, ()),
        (False, ()),
        ("signIn", ()),
        ({"name": "signIn"}, ()),
        (
            [
                {"name": "signIn"},
                "junk",
                3,
                None,
                {"label": "no name"},
                {"name": {"x": 1}},
                {"name": ""},
                {"name": "signUp"},
            ],
            ("signIn", "signUp"),
        ),
        ([{"name": 7}], ("7",)),
    ],
)
def test_malformed_actions_are_dropped_not_the_reply(actions: Any, names: tuple[str, ...]) -> None:
    state = AuthState.model_validate({"state": "signedOut", "actions": actions})
    assert state.action_names() == names


def test_malformed_fields_are_dropped_and_wrong_types_count_as_missing() -> None:
    action = AuthAction.model_validate(
        {
            "name": "confirmSignIn",
            "label": ["not", "text"],
            "url": 5,
            "capability": {"x": 1},
            "method": None,
            "fields": [
                {"name": "session", "type": "hidden", "defaultValue": "S", "label": {"x": 1}},
                {"name": "code", "type": ["text"], "required": "true"},
                {"label": "nameless"},
                "junk",
                {"name": None},
            ],
        }
    )
    assert action.label == ""
    assert action.url == "5" and action.capability is None and action.method is None
    assert [f.name for f in action.fields] == ["session", "code"]
    assert action.fields[0].label == "" and action.fields[0].hidden
    assert action.fields[1].type == "text" and action.fields[1].required is True
    assert AuthAction.model_validate({"name": "x", "fields": "nope"}).fields == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"userId": 1, "username": True}, ("1", "true")),
        ({"userId": {"a": 1}, "username": None}, ("", "")),
        ({}, ("", "")),
    ],
)
def test_user_slots_are_lenient(raw: dict[str, Any], expected: tuple[str, str]) -> None:
    user = AuthUser.model_validate(raw)
    assert (user.user_id, user.username) == expected


def test_user_that_is_not_an_object_is_no_user() -> None:
    assert AuthState.model_validate({"state": "signedIn", "user": "alice"}).user is None
    assert AuthState.model_validate({"state": "signedIn", "user": ["alice"]}).user is None


def test_user_keeps_provider_keys() -> None:
    user = AuthUser.model_validate(
        {
            "userId": "u",
            "username": "carol",
            "userSub": "3bed",
            "groups": [],
            "attributes": {"email": "c@x.io"},
        }
    )
    assert user.display_name == "carol"
    assert user.to_wire() == {
        "userId": "u",
        "username": "carol",
        "userSub": "3bed",
        "groups": [],
        "attributes": {"email": "c@x.io"},
    }
    assert AuthUser(user_id="only-id").display_name == "only-id"


@pytest.mark.parametrize(
    ("raw", "error", "name", "retriable"),
    [
        (
            {"error": "Invalid code", "errorName": "CodeMismatchException", "retriable": True},
            "Invalid code",
            "CodeMismatchException",
            True,
        ),
        ({"error": {"message": "x"}, "errorName": ["x"], "retriable": "true"}, None, None, True),
        ({"error": 404, "retriable": "yes"}, "404", None, False),
    ],
)
def test_error_slots_are_lenient(
    raw: dict[str, Any], error: str | None, name: str | None, retriable: bool
) -> None:
    state = AuthState.model_validate({"state": "signedOut", "actions": [], **raw})
    assert (state.error, state.error_name, state.retriable) == (error, name, retriable)


@pytest.mark.parametrize(
    "raw", [{}, [], "signedOut", None, {"state": {"x": 1}}, {"state": ["signedIn"]}, {"actions": []}]
)
def test_a_reply_without_a_usable_state_is_rejected(raw: Any) -> None:
    with pytest.raises(ValidationError):
        parse_auth_state(raw)


def test_scalar_states_are_text() -> None:
    assert parse_auth_state({"state": 3}).state == "3"
    assert parse_auth_state({"state": None}).state == ""


def test_default_text_of_structured_defaults_is_compact_json() -> None:
    f = AuthField.model_validate(
        {"name": "opts", "type": "hidden", "defaultValue": {"challenge": "x", "n": [1, 2]}}
    )
    assert f.default_text == '{"challenge":"x","n":[1,2]}'
    assert AuthField(name="n", defaultValue=5).default_text == "5"
    assert AuthField(name="b", defaultValue=False).default_text == "false"
    assert AuthField(name="e", defaultValue="").has_default
    assert not AuthField(name="none").has_default


def test_action_helpers() -> None:
    google = AuthAction(name="signIn:google", url="https://idp/authorize")
    assert (google.base_name, google.provider, google.is_external) == ("signIn", "google", True)
    plain = AuthAction.model_validate(
        {"name": "confirmSignIn", "fields": [{"name": "challenge", "type": "hidden", "defaultValue": "code"}]}
    )
    assert (plain.base_name, plain.provider, plain.is_external) == ("confirmSignIn", None, False)
    assert plain.default_of("challenge") == "code"
    assert plain.default_of("session") is None


def test_rpc_error_objects() -> None:
    error = RpcErrorObject.model_validate(
        {"code": 401, "message": "Authentication required", "data": {"name": "NotAuthenticatedException"}}
    )
    assert error.http_status == 401
    assert error.data is not None and error.data.name == "NotAuthenticatedException"
    assert error.to_wire() == {
        "code": 401,
        "message": "Authentication required",
        "data": {"name": "NotAuthenticatedException"},
    }
    assert RpcErrorObject(code=-32601, message="Method not found").http_status == 500
    assert RpcErrorObject.model_validate({"code": 500, "data": "text"}).data is None
