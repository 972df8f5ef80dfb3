"""The JSON-RPC layer, bytes in and out, without a socket."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nicegui_authenticator.client import AuthClientError, ProtocolError, RpcError
from nicegui_authenticator.client.jsonrpc import decode_reply, encode_request, excerpt, set_auth_state_params
from nicegui_authenticator.state_machine.protocol import AuthState

SIGNED_OUT = {"state": "signedOut", "actions": [{"name": "signIn", "label": "Sign In", "fields": []}]}
METHOD = "authApi.getAuthState"


def reply(**envelope: Any) -> bytes:
    return json.dumps(envelope).encode()


def decode(body: bytes, *, status: int = 200, request_id: int = 7) -> Any:
    return decode_reply(
        body, method=METHOD, request_id=request_id, status=status, content_type="application/json"
    )


# -- requests -----------------------------------------------------------------------------


def test_request_bodies_are_the_recorded_envelope_in_recorded_key_order() -> None:
    body = encode_request("authApi.setAuthState", [{"action": "signIn", "username": "zoë"}], 3)
    assert (
        body
        == '{"jsonrpc":"2.0","method":"authApi.setAuthState","params":[{"action":"signIn","username":"zoë"}],"id":3}'.encode()
    )
    assert json.loads(encode_request(METHOD, [], 1)) == {
        "jsonrpc": "2.0",
        "method": METHOD,
        "params": [],
        "id": 1,
    }


def test_set_auth_state_params_hold_one_flat_object_with_an_action() -> None:
    payload = {"action": "signIn", "username": "alice"}
    params = set_auth_state_params(payload)
    assert params == [payload] and params[0] is not payload
    bad_payloads: list[dict[str, Any]] = [{}, {"action": ""}, {"action": 3}, {"username": "alice"}]
    for bad in bad_payloads:
        with pytest.raises(ValueError, match="action"):
            set_auth_state_params(bad)


def test_a_payload_json_cannot_carry_is_refused_before_sending() -> None:
    with pytest.raises(ValueError):
        encode_request(METHOD, [{"action": "x", "n": float("nan")}], 1)
    with pytest.raises(TypeError):
        not_json: Any = object()
        encode_request(METHOD, [{"action": "x", "when": not_json}], 1)


# -- replies ------------------------------------------------------------------------------


def test_a_result_becomes_an_auth_state() -> None:
    state = decode(reply(jsonrpc="2.0", result=SIGNED_OUT, id=7))
    assert state.state == "signedOut" and state.action_names() == ("signIn",)


def test_a_result_without_actions_has_none() -> None:
    state = decode(reply(jsonrpc="2.0", result={"state": "signedIn", "user": {"username": "a"}}, id=7))
    assert state.actions == () and state.user is not None


def test_unknown_states_and_keys_are_kept() -> None:
    state = decode(reply(jsonrpc="2.0", result={"state": "somethingNew", "extra": [1]}, id=7))
    assert state.state == "somethingNew" and state.to_wire()["extra"] == [1]


@pytest.mark.parametrize(
    ("result", "fragment"),
    [
        ([SIGNED_OUT], "array"),
        ("signedOut", "string"),
        (None, "null"),
        ({"actions": []}, "no 'state'"),
        ({"state": None}, "empty"),
        ({"state": {"name": "signedOut"}}, "state"),
    ],
)
def test_a_result_that_is_not_an_auth_state(result: object, fragment: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(reply(jsonrpc="2.0", result=result, id=7))
    assert caught.value.reason == "not_auth_state" and fragment in str(caught.value)


def test_validation_messages_do_not_quote_the_input() -> None:
    secret = "session-value-that-must-not-leak"
    with pytest.raises(ProtocolError) as caught:
        decode(reply(jsonrpc="2.0", result={"state": {"session": secret}}, id=7))
    assert secret not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>oops</html>", "not_json"),
        (b"", "not_json"),
        (b"\xff\xfe\x00garbage", "not_json"),
        (reply(result=SIGNED_OUT, id=7), "bad_envelope"),
        (reply(jsonrpc="1.0", result=SIGNED_OUT, id=7), "bad_envelope"),
        (json.dumps([{"jsonrpc": "2.0", "result": SIGNED_OUT, "id": 7}]).encode(), "bad_envelope"),
        (reply(jsonrpc="2.0", result=SIGNED_OUT, error={"code": 1}, id=7), "bad_envelope"),
        (reply(jsonrpc="2.0", error="boom", id=7), "bad_envelope"),
        (reply(jsonrpc="2.0", error={"code": "401", "message": "x"}, id=7), "bad_envelope"),
        (reply(jsonrpc="2.0", id=7), "missing_result"),
        (reply(jsonrpc="2.0", result=SIGNED_OUT, id=8), "id_mismatch"),
        (reply(jsonrpc="2.0", result=SIGNED_OUT, id=None), "id_mismatch"),
        (reply(jsonrpc="2.0", result=SIGNED_OUT, id="7"), "id_mismatch"),
        (reply(jsonrpc="2.0", result=SIGNED_OUT, id=7.0), "id_mismatch"),
        (reply(jsonrpc="2.0", result=SIGNED_OUT), "id_mismatch"),
        (reply(jsonrpc="2.0", error={"code": 401, "message": "x"}, id=8), "id_mismatch"),
    ],
)
def test_protocol_errors(body: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(body)
    assert caught.value.reason == reason
    assert caught.value.http_status == 200 and caught.value.method == METHOD


def test_an_id_of_true_is_not_id_1() -> None:
    with pytest.raises(ProtocolError, match="id"):
        decode(reply(jsonrpc="2.0", result=SIGNED_OUT, id=True), request_id=1)


def test_a_json_rpc_error_becomes_rpc_error() -> None:
    body = reply(
        jsonrpc="2.0",
        error={
            "code": 401,
            "message": "Authentication required",
            "data": {"name": "NotAuthenticatedException"},
        },
        id=7,
    )
    with pytest.raises(RpcError) as caught:
        decode(body)
    error = caught.value
    assert (error.code, error.message, error.name, error.retriable) == (
        401,
        "Authentication required",
        "NotAuthenticatedException",
        False,
    )
    assert (error.http_status, error.response_status) == (401, 200)
    assert (
        str(error) == "authApi.getAuthState failed: Authentication required (401 NotAuthenticatedException)"
    )


def test_a_parse_error_may_carry_a_null_id() -> None:
    with pytest.raises(RpcError) as caught:
        decode(reply(jsonrpc="2.0", error={"code": -32700, "message": "Parse error"}, id=None))
    assert (caught.value.code, caught.value.http_status, caught.value.name) == (-32700, 500, None)


def test_retriable_comes_from_error_data() -> None:
    body = reply(jsonrpc="2.0", error={"code": 504, "message": "slow", "data": {"retriable": True}}, id=7)
    with pytest.raises(RpcError) as caught:
        decode(body)
    assert caught.value.retriable is True and caught.value.http_status == 504


def test_a_non_2xx_status_with_a_json_rpc_error_is_still_rpc_error() -> None:
    body = reply(
        jsonrpc="2.0", error={"code": 413, "message": "too big", "data": {"name": "PayloadTooLarge"}}, id=7
    )
    with pytest.raises(RpcError) as caught:
        decode(body, status=413)
    assert (caught.value.name, caught.value.response_status) == ("PayloadTooLarge", 413)


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><title>502 Bad Gateway</title>",
        reply(detail="Not Found"),
        reply(jsonrpc="2.0", result=SIGNED_OUT, id=7),
    ],
)
def test_a_non_2xx_status_without_a_json_rpc_error_is_http_status(body: bytes) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(body, status=502)
    assert caught.value.reason == "http_status" and caught.value.http_status == 502
    assert "502" in str(caught.value)


def test_server_messages_are_cleaned_and_bounded() -> None:
    body = reply(jsonrpc="2.0", error={"code": 500, "message": "bad\x00\x1b[31m" + "x" * 1000}, id=7)
    with pytest.raises(RpcError) as caught:
        decode(body)
    assert "\x00" not in caught.value.message and "\x1b" not in caught.value.message
    assert len(caught.value.message) <= 300


def test_excerpts_are_short_single_line_and_printable() -> None:
    text = excerpt(b"<html>\n\n  <body>\x00\x07" + b"A" * 500)
    assert text.startswith("'<html> <body>") and text.endswith("…'")
    assert len(text) <= 64 and "\n" not in text and "\x00" not in text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "jsonrpc": st.sampled_from(["2.0", "1.0", 2]),
        "result": json_values | st.just(SIGNED_OUT),
        "error": json_values
        | st.fixed_dictionaries({"code": st.integers(), "message": json_values, "data": json_values}),
        "id": st.sampled_from([7, 8, None, "7"]),
    },
)


@settings(max_examples=300, deadline=None)
@given(
    body=st.binary(max_size=64) | envelopes.map(lambda e: json.dumps(e).encode()),
    status=st.sampled_from([200, 204, 401, 500]),
)
def test_any_reply_is_an_auth_state_or_a_typed_error(body: bytes, status: int) -> None:
    """Whatever a server sends, the caller sees an AuthState or an AuthClientError, nothing else."""
    try:
        state = decode(body, status=status)
    except AuthClientError:
        return
    assert isinstance(state, AuthState) and state.state
