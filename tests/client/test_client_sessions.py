"""One pool, many people: sessions never see each other's cookies.

The server here is a small setAuthState server of our own: ``signIn`` sets a
per-user session cookie, ``getAuthState`` answers from the cookie alone, and
``signOut`` clears it. It also fails any request carrying more than one
session, so a leak shows up server-side as well as in what the client reads.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
from typing import Any

import httpx
import pytest
from local_server import LiveServer, Receive, Scope, Send, read_body, send_bytes
from nicegui_authenticator.client import AuthClient, AuthStateApi, CookieSession, InProcessApi
from nicegui_authenticator.state_machine.protocol import AuthState
from replay_server import parse_cookie_header

SIGN_IN = {"name": "signIn", "fields": [{"name": "username"}, {"name": "password", "type": "password"}]}


class SessionServer:
    """A minimal setAuthState server keyed by an HttpOnly session cookie."""

    COOKIE = "sid"

    def __init__(self, *, jitter: float = 0.0) -> None:
        self.users: dict[str, str] = {}  # session token -> username
        self.violations: list[str] = []
        self.requests = 0
        self.jitter = jitter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.requests += 1
        request = json.loads(await read_body(receive))
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        cookie_header = headers.get("cookie", "")
        if cookie_header.count(f"{self.COOKIE}=") > 1:
            self.violations.append(f"two sessions in one request: {cookie_header}")
        token = parse_cookie_header(cookie_header).get(self.COOKIE)
        if self.jitter:
            await asyncio.sleep(random.random() * self.jitter)  # interleave concurrent flows
        set_cookie: list[tuple[bytes, bytes]] = []
        if request["method"].endswith(".setAuthState"):
            payload = request["params"][0]
            if payload["action"] == "signIn":
                token = secrets.token_urlsafe(16)
                self.users[token] = payload["username"]
                set_cookie.append(
                    (b"set-cookie", f"{self.COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/".encode())
                )
            elif payload["action"] == "signOut":
                self.users.pop(token or "", None)
                token = None
                set_cookie.append((b"set-cookie", f"{self.COOKIE}=; Max-Age=0; Path=/".encode()))
        user = self.users.get(token or "")
        result: dict[str, Any]
        if user is None:
            result = {"state": "signedOut", "actions": [SIGN_IN]}
        else:
            result = {
                "state": "signedIn",
                "user": {"userId": user, "username": user},
                "actions": [{"name": "signOut"}],
            }
        body = json.dumps({"jsonrpc": "2.0", "result": result, "id": request["id"]}).encode()
        await send_bytes(send, 200, body, extra_headers=set_cookie)


def username(state: AuthState) -> str | None:
    return state.user.username if state.user else None


async def test_two_sessions_never_see_each_others_cookies(live_server: LiveServer) -> None:
    server = SessionServer()
    endpoint = live_server.mount(server) + "/api"
    async with AuthClient(endpoint) as alice:
        bob = alice.for_session(CookieSession())
        await alice.set_auth_state({"action": "signIn", "username": "alice", "password": "pw-a"})
        assert username(await bob.get_auth_state()) is None
        await bob.set_auth_state({"action": "signIn", "username": "bob", "password": "pw-b"})
        assert username(await alice.get_auth_state()) == "alice"
        assert username(await bob.get_auth_state()) == "bob"
        await alice.set_auth_state({"action": "signOut"})
        assert username(await alice.get_auth_state()) is None
        assert username(await bob.get_auth_state()) == "bob"
        assert alice.session.names() == [] and bob.session.names() == ["sid"]
    assert server.violations == []


async def test_100_concurrent_flows_through_one_pool(live_server: LiveServer) -> None:
    server = SessionServer(jitter=0.005)
    endpoint = live_server.mount(server) + "/api"
    # 20 connections for 100 flows: httpcore's pool scans every connection for every
    # waiting request, so a pool much larger than needed costs more than it saves.
    owner = AuthClient(endpoint, limits=httpx.Limits(max_connections=20, max_keepalive_connections=20))
    saved: dict[str, Any] = {}

    async def flow(i: int) -> list[str | None]:
        me = f"user-{i:03d}"
        client = owner.for_session(CookieSession())
        seen = [username(await client.get_auth_state())]
        await client.set_auth_state({"action": "signIn", "username": me, "password": f"pw-{i}"})
        for _ in range(3):
            seen.append(username(await client.get_auth_state()))
        saved[me] = client.session.to_json()
        await client.set_auth_state({"action": "signOut"})
        seen.append(username(await client.get_auth_state()))
        await client.aclose()  # a sibling: must not close the shared pool
        return seen

    async with owner:
        outcomes = await asyncio.wait_for(asyncio.gather(*(flow(i) for i in range(100))), timeout=20)
    for i, seen in enumerate(outcomes):
        me = f"user-{i:03d}"
        assert seen == [None, me, me, me, None], me
    assert server.violations == [] and server.requests == 100 * 7
    # Every saved jar held exactly one session, and each a different one.
    tokens = {next(c["value"] for c in jar["cookies"]) for jar in saved.values()}
    assert len(tokens) == 100


async def test_a_saved_session_signs_the_same_person_back_in(live_server: LiveServer) -> None:
    endpoint = live_server.mount(SessionServer()) + "/api"
    async with AuthClient(endpoint) as first:
        await first.set_auth_state({"action": "signIn", "username": "carol", "password": "pw"})
        stored = json.loads(json.dumps(first.session.to_json()))  # as app.storage.user keeps it
    async with AuthClient(endpoint, session=CookieSession.from_json(stored)) as later:
        assert username(await later.get_auth_state()) == "carol"


async def test_httpx_client_jar_never_holds_cookies(live_server: LiveServer) -> None:
    """A sibling with an empty jar must not inherit cookies httpx saw on the shared client."""
    endpoint = live_server.mount(SessionServer()) + "/api"
    async with AuthClient(endpoint) as client:
        await client.set_auth_state({"action": "signIn", "username": "dave", "password": "pw"})
        fresh = client.for_session(CookieSession())
        assert username(await fresh.get_auth_state()) is None
        assert fresh.session.names() == []


async def test_closing_siblings_and_owner(live_server: LiveServer) -> None:
    endpoint = live_server.mount(SessionServer()) + "/api"
    owner = AuthClient(endpoint)
    sibling = owner.for_session(CookieSession())
    async with sibling:
        await sibling.get_auth_state()
    assert sibling.is_closed and not owner.is_closed
    other = owner.for_session(CookieSession())
    assert (await owner.get_auth_state()).state == "signedOut"
    await owner.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await other.get_auth_state()


async def test_request_ids_increase_per_client(live_server: LiveServer) -> None:
    seen: list[int] = []
    server = SessionServer()

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        body = await read_body(receive)
        seen.append(json.loads(body)["id"])

        async def replay_body() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        await server(scope, replay_body, send)

    endpoint = live_server.mount(recording) + "/api"
    async with AuthClient(endpoint) as client:
        sibling = client.for_session(CookieSession())
        for _ in range(3):
            await client.get_auth_state()
        await sibling.get_auth_state()
        await client.set_auth_state({"action": "signOut"})
    assert seen == [1, 2, 3, 1, 4]


async def test_in_process_through_asgi_transport_keeps_cookies() -> None:
    """The reference backend is driven this way: no socket, same client, same jar rules."""
    server = SessionServer()
    transport = httpx.ASGITransport(app=server)
    async with AuthClient("http://127.0.0.1/aws-blocks/api", transport=transport) as client:
        await client.set_auth_state({"action": "signIn", "username": "erin", "password": "pw"})
        assert username(await client.get_auth_state()) == "erin"
        assert client.session.names() == ["sid"]


def test_both_implementations_satisfy_the_protocol() -> None:
    class Fake:
        def get_auth_state(self) -> dict[str, Any]:
            return {"state": "signedOut"}

        def set_auth_state(self, payload: dict[str, Any]) -> dict[str, Any]:
            return {"state": "signedOut"}

    assert isinstance(AuthClient("http://127.0.0.1/api"), AuthStateApi)
    assert isinstance(InProcessApi(Fake()), AuthStateApi)
