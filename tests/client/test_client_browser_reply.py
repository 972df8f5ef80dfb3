"""Browser session mode: what the browser reports about its fetch becomes the same AuthState or typed error
as a server-side call would (``client/browser_reply.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nicegui_authenticator.client import NotSignedIn, ProtocolError, RpcError, TransportError
from nicegui_authenticator.client.browser_reply import auth_state_from_browser
from test_client_app_calls import recorded

METHOD = "authApi.setAuthState"
URL = "http://localhost:8000/aws-blocks/api"


def decode(answer: object, request_id: int = 3, max_bytes: int = 1024 * 1024) -> Any:
    return auth_state_from_browser(answer, method=METHOD, request_id=request_id, url=URL, max_bytes=max_bytes)


def reply(body: object, status: int = 200, content_type: str = "application/json") -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    return {"status": status, "contentType": content_type, "body": text}


def test_a_recorded_reply_is_the_auth_state_it_carries() -> None:
    _, body = recorded("basic_signup_confirm_signin_signout", 1)
    state = decode(reply(body), request_id=body["id"])
    assert state.state == body["result"]["state"]
    assert [a.name for a in state.actions] == [a["name"] for a in body["result"]["actions"]]


def test_a_recorded_error_reply_is_an_rpc_error_and_ids_are_checked() -> None:
    _, body = recorded("cognito_opt_errors", 5)
    with pytest.raises(RpcError) as caught:
        decode(reply(body), request_id=body["id"])
    assert (caught.value.code, caught.value.name) == (401, "NotAuthenticatedException")
    assert not isinstance(caught.value, NotSignedIn)  # only app calls turn 401 into NotSignedIn
    with pytest.raises(ProtocolError) as mismatch:
        decode(reply({"jsonrpc": "2.0", "result": {"state": "signedOut"}, "id": 99}), request_id=1)
    assert mismatch.value.reason == "id_mismatch"


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ({"failure": "network", "detail": "TypeError: Failed to fetch"}, "network"),
        ({"failure": "read_timeout", "detail": "AbortError: aborted"}, "read_timeout"),
        ({"failure": "something new"}, "network"),
        (None, "network"),  # the page went away
        ({"body": "{}"}, "network"),  # no status: not a reply
    ],
)
def test_no_reply_is_a_transport_error(answer: object, kind: str) -> None:
    with pytest.raises(TransportError) as caught:
        decode(answer)
    assert caught.value.kind == kind and caught.value.method == METHOD
    assert URL in str(caught.value)


def test_an_html_error_page_and_non_json_are_protocol_errors() -> None:
    with pytest.raises(ProtocolError) as page:
        decode(reply("<html>Bad gateway</html>", status=502, content_type="text/html"))
    assert (page.value.reason, page.value.http_status) == ("http_status", 502)
    with pytest.raises(ProtocolError) as text:
        decode(reply("hello"))
    assert text.value.reason == "not_json"


def test_the_cap_holds_whether_or_not_the_browser_applied_it() -> None:
    with pytest.raises(ProtocolError) as flagged:
        decode({"status": 200, "contentType": "application/json", "tooLarge": True})
    assert flagged.value.reason == "too_large"
    big = reply({"jsonrpc": "2.0", "result": {"state": "x" * 2000}, "id": 3})
    with pytest.raises(ProtocolError) as ignored:
        decode(big, max_bytes=1000)
    assert ignored.value.reason == "too_large"
    assert decode(big, max_bytes=4000).state == "x" * 2000


def test_hostile_server_text_stays_text() -> None:
    body = {
        "jsonrpc": "2.0",
        "result": {"state": "signedOut", "error": "<img src=x onerror=alert(1)>", "actions": []},
        "id": 3,
    }
    assert decode(reply(body)).error == "<img src=x onerror=alert(1)>"
