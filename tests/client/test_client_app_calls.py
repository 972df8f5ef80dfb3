"""``AuthClient.call``: an app's own JSON-RPC methods, as the signed-in person, over real HTTP.

The replies come from the AWS Blocks recordings (``testApi.whoAmI`` is a
``requireAuth`` method of the recorded servers) or from small handlers that
inject one fault each. Every server is real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from local_server import LiveServer, Send, send_bytes
from nicegui_authenticator.client import (
    AuthClient,
    CookieSession,
    Forbidden,
    NotSignedIn,
    ProtocolError,
    RpcError,
    TransportError,
)
from replay_server import FIXTURES_DIR, load_flow
from test_client_faults import CountingTransport, Handler, closed_port, json_reply

__all__ = ["closed_port"]  # a fixture, used by name

MiB = 1024 * 1024


def recorded(flow: str, step: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The request and reply bodies of one recorded exchange."""
    (found,) = [s for s in load_flow(FIXTURES_DIR / f"{flow}.jsonl") if s.step == step]
    request: dict[str, Any] = found.request_body
    reply: dict[str, Any] = found.response_body
    return request, reply


def replay_reply(reply: dict[str, Any], status: int = 200) -> Handler:
    """Answer every request with the recorded reply, carrying the request's own id back."""
    return json_reply(lambda request: {**reply, "id": request["id"]}, status=status)


@pytest.mark.parametrize(
    ("flow", "step", "name"),
    [
        ("basic_signup_confirm_signin_signout", 11, "SessionExpiredException"),
        ("cognito_opt_errors", 5, "NotAuthenticatedException"),
    ],
)
async def test_recorded_who_am_i_401_is_not_signed_in(
    live_server: LiveServer, flow: str, step: int, name: str
) -> None:
    request, reply = recorded(flow, step)
    assert request["method"] == "testApi.whoAmI" and reply["error"]["code"] == 401
    handler = replay_reply(reply)
    base = live_server.mount(handler)
    async with AuthClient(base + "/aws-blocks/api") as client:
        with pytest.raises(NotSignedIn) as caught:
            await client.call("testApi.whoAmI")
    error = caught.value
    assert isinstance(error, RpcError)  # code that catches RpcError keeps working
    assert (error.code, error.name, error.message, error.response_status) == (
        401,
        name,
        "Authentication required",
        200,  # the recorded servers answer HTTP 200 for everything
    )
    assert error.method == "testApi.whoAmI"
    assert [(r["method"], r["params"]) for r in handler.requests] == [("testApi.whoAmI", [])]


async def test_recorded_who_am_i_result_with_the_sessions_cookie(live_server: LiveServer) -> None:
    """The signed-in call: the jar's cookie goes along and the result comes back as decoded JSON."""
    request, reply = recorded("basic_signup_confirm_signin_signout", 8)
    seen_cookies: list[str | None] = []

    async def respond(body: Any, send: Send) -> None:
        await send_bytes(send, 200, json.dumps({**reply, "id": body["id"]}).encode())

    class CookieWatcher(Handler):
        async def __call__(self, scope: Any, receive: Any, send: Send) -> None:
            headers = dict(scope.get("headers", []))
            seen_cookies.append(headers.get(b"cookie", b"").decode() or None)
            await super().__call__(scope, receive, send)

    base = live_server.mount(CookieWatcher(respond))
    endpoint = base + "/aws-blocks/api"
    session = CookieSession()
    session.store(endpoint, ["auth_peer-basic-auth=token-1; HttpOnly; SameSite=Lax; Path=/"])
    async with AuthClient(endpoint, session=session) as client:
        result = await client.call("testApi.whoAmI")
    assert result == reply["result"] and request["params"] == []
    assert seen_cookies == ["auth_peer-basic-auth=token-1"]


async def test_params_are_sent_as_given_and_any_json_result_is_returned(live_server: LiveServer) -> None:
    handler = json_reply(lambda request: {"jsonrpc": "2.0", "result": [1, None, "x"], "id": request["id"]})
    base = live_server.mount(handler)
    async with AuthClient(base + "/api") as client:
        assert await client.call("api.save", {"name": "Ada"}, 3, None) == [1, None, "x"]
        assert await client.call("api.ping") == [1, None, "x"]
    assert [(r["method"], r["params"]) for r in handler.requests] == [
        ("api.save", [{"name": "Ada"}, 3, None]),
        ("api.ping", []),
    ]


async def test_set_cookie_on_an_app_call_is_kept(live_server: LiveServer) -> None:
    """A method may refresh or clear the session; the jar follows, as a browser's would."""

    async def respond(request: Any, send: Send) -> None:
        body = json.dumps({"jsonrpc": "2.0", "result": True, "id": request["id"]}).encode()
        cookie = b"auth_session=fresh; HttpOnly; SameSite=Lax; Path=/"
        await send_bytes(send, 200, body, extra_headers=[(b"set-cookie", cookie)])

    base = live_server.mount(Handler(respond))
    async with AuthClient(base + "/api") as client:
        assert await client.call("api.touch") is True
        assert client.session.names() == ["auth_session"]


# -- typed failures ---------------------------------------------------------------------


def error_reply(code: int, name: str | None = None, message: str = "nope") -> Handler:
    data = {"name": name} if name else None
    error: dict[str, Any] = {"code": code, "message": message}
    if data:
        error["data"] = data
    return json_reply(lambda request: {"jsonrpc": "2.0", "error": error, "id": request["id"]})


@pytest.mark.parametrize(
    ("handler", "expected", "code"),
    [
        (error_reply(401), NotSignedIn, 401),
        (error_reply(400, "SessionExpiredException"), NotSignedIn, 400),
        (error_reply(403, "ForbiddenException", "Forbidden"), Forbidden, 403),
        (error_reply(-32601, None, "Method not found"), RpcError, -32601),
        (error_reply(500, "InternalError"), RpcError, 500),
    ],
)
async def test_rpc_errors_are_typed(
    live_server: LiveServer, handler: Handler, expected: type[RpcError], code: int
) -> None:
    base = live_server.mount(handler)
    async with AuthClient(base + "/api") as client:
        with pytest.raises(RpcError) as caught:
            await client.call("api.getProfile")
    assert type(caught.value) is expected and caught.value.code == code


@pytest.mark.parametrize(("status", "expected"), [(401, NotSignedIn), (403, Forbidden)])
async def test_http_401_and_403_without_json_rpc_are_typed_too(
    live_server: LiveServer, status: int, expected: type[RpcError]
) -> None:
    """A gateway in front of the API may answer with a bare status and an HTML page."""

    async def respond(request: Any, send: Send) -> None:
        await send_bytes(send, status, b"<html>denied</html>", content_type=b"text/html")

    base = live_server.mount(Handler(respond))
    async with AuthClient(base + "/api") as client:
        with pytest.raises(expected) as caught:
            await client.call("api.getProfile")
    assert caught.value.code == status and caught.value.response_status == status


async def test_html_500_stays_a_protocol_error(live_server: LiveServer) -> None:
    async def respond(request: Any, send: Send) -> None:
        await send_bytes(send, 500, b"<html>oops</html>", content_type=b"text/html")

    base = live_server.mount(Handler(respond))
    async with AuthClient(base + "/api") as client:
        with pytest.raises(ProtocolError) as caught:
            await client.call("api.getProfile")
    assert caught.value.reason == "http_status" and caught.value.http_status == 500


async def test_reply_with_wrong_id_is_a_protocol_error(live_server: LiveServer) -> None:
    handler = json_reply(lambda request: {"jsonrpc": "2.0", "result": {}, "id": request["id"] + 1})
    base = live_server.mount(handler)
    async with AuthClient(base + "/api") as client:
        with pytest.raises(ProtocolError) as caught:
            await client.call("api.getProfile")
    assert caught.value.reason == "id_mismatch"


async def test_reply_over_the_cap_is_refused(live_server: LiveServer) -> None:
    big = {"jsonrpc": "2.0", "result": "x" * (2 * MiB), "id": 1}
    base = live_server.mount(json_reply(lambda request: {**big, "id": request["id"]}))
    async with AuthClient(base + "/api") as client:
        with pytest.raises(ProtocolError) as caught:
            await client.call("api.export")
    assert caught.value.reason == "too_large"
    async with AuthClient(base + "/api", max_response_bytes=4 * MiB) as client:
        assert await client.call("api.export") == "x" * (2 * MiB)


async def test_connection_refused_is_a_transport_error_and_never_retried(closed_port: int) -> None:
    transport = CountingTransport()
    async with AuthClient(f"http://127.0.0.1:{closed_port}/api", transport=transport) as client:
        with pytest.raises(TransportError) as caught:
            await client.call("api.getProfile")
    assert caught.value.kind == "connect" and caught.value.method == "api.getProfile"
    assert transport.attempts == 1  # an app method may not be safe to repeat


async def test_read_timeout_is_a_transport_error(live_server: LiveServer) -> None:
    async def slow(request: Any, send: Send) -> None:
        await asyncio.sleep(2)
        await send_bytes(send, 200, b"{}")

    base = live_server.mount(Handler(slow))
    async with AuthClient(base + "/api", timeout=httpx.Timeout(5.0, read=0.2)) as client:
        with pytest.raises(TransportError) as caught:
            await client.call("api.slow")
    assert caught.value.kind == "read_timeout"


async def test_bad_method_names_and_closed_clients_are_refused() -> None:
    client = AuthClient("http://127.0.0.1:9/api")
    with pytest.raises(ValueError, match="method"):
        await client.call("")
    with pytest.raises(ValueError, match="method"):
        await client.call("api.get profile")
    with pytest.raises(TypeError):
        await client.call("api.save", object())  # type: ignore[arg-type]
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.call("api.getProfile")


async def test_a_sibling_reports_not_signed_in_to_its_owner(live_server: LiveServer) -> None:
    """How the UI learns that a session it shows as signed in has ended on the server."""
    codes = iter([401, 403, 401])
    handler = json_reply(
        lambda request: {
            "jsonrpc": "2.0",
            "error": {"code": next(codes), "message": "no"},
            "id": request["id"],
        }
    )
    base = live_server.mount(handler)
    told: list[NotSignedIn] = []
    async with AuthClient(base + "/api") as pool:
        sibling = pool.for_session(CookieSession(), on_not_signed_in=told.append)
        with pytest.raises(NotSignedIn) as first:
            await sibling.call("api.getProfile")
        with pytest.raises(Forbidden):
            await sibling.call("api.getProfile")
        assert told == [first.value]
        with pytest.raises(NotSignedIn):  # the owner itself has no hook
            await pool.call("api.getProfile")
    assert len(told) == 1
