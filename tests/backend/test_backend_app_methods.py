"""An app's own API on the reference backend: ``ReferenceBackend.method`` behind the session and groups.

The headless tests drive it with the real ``AuthClient`` (in-process through
httpx's ASGI transport), the way a dashboard calls ``api.getProfile`` as the
signed-in person; the wire tests hold the replies to the recorded shapes.
"""

from __future__ import annotations

import json
import logging
import runpy
from pathlib import Path
from typing import Any

import httpx
import pytest
from backend_conformance import FIXTURES
from backend_support import STRONG, MakeBackend, RpcClient
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.app_methods import MethodError
from nicegui_authenticator.client import AuthClient, Forbidden, NotSignedIn, RpcError
from nicegui_authenticator.state_machine.protocol import AuthUser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def profile_backend(make_backend: MakeBackend, **changes: Any) -> ReferenceBackend:
    backend = make_backend(**changes)
    backend.add_user("ada", STRONG, temporary=False, email="ada@example.com")

    @backend.method("api.getProfile")
    async def get_profile(user: AuthUser) -> dict[str, Any]:
        return {"username": user.username, "groups": list(user.groups)}

    @backend.method("api.listInvoices", groups=["billing", "admins"])
    async def list_invoices(user: AuthUser, year: int) -> list[str]:
        return [f"{year}-001 for {user.username}"]

    return backend


def person(backend: ReferenceBackend) -> AuthClient:
    """One browser's session, talking to the backend in-process."""
    transport = httpx.ASGITransport(app=backend.asgi_app)
    return AuthClient("http://127.0.0.1/aws-blocks/api", transport=transport)


async def sign_in(client: AuthClient) -> None:
    state = await client.set_auth_state({"action": "signIn", "username": "ada", "password": STRONG})
    assert state.state == "signedIn", state


# -- the headless round trip (issue 9, point 6) -----------------------------------------


@pytest.mark.parametrize("mode", ["cognito", "basic"])
async def test_call_signed_in_signed_out_wrong_group_after_sign_out(
    make_backend: MakeBackend, mode: str
) -> None:
    backend = profile_backend(make_backend, mode=mode)
    async with person(backend) as client:
        with pytest.raises(NotSignedIn):  # signed out: nobody yet
            await client.call("api.getProfile")
        await sign_in(client)
        assert await client.call("api.getProfile") == {"username": "ada", "groups": []}
        with pytest.raises(Forbidden) as caught:  # signed in, in neither billing nor admins
            await client.call("api.listInvoices", 2026)
        assert (caught.value.code, caught.value.name) == (403, "ForbiddenException")
        await client.set_auth_state({"action": "signOut"})
        with pytest.raises(NotSignedIn) as after:
            await client.call("api.getProfile")
    expected = "SessionExpiredException" if mode == "basic" else "NotAuthenticatedException"
    assert (after.value.code, after.value.name, after.value.message) == (
        401,
        expected,
        "Authentication required",
    )


async def test_groups_open_the_method_and_removal_closes_it(make_backend: MakeBackend) -> None:
    backend = profile_backend(make_backend)
    async with person(backend) as client:
        await sign_in(client)
        assert backend.add_to_group("ada", "billing") is True
        assert backend.add_to_group("ada", "billing") is False
        assert await client.call("api.listInvoices", 2026) == ["2026-001 for ada"]
        assert await client.call("api.getProfile") == {"username": "ada", "groups": ["billing"]}
        assert backend.remove_from_group("ada", "billing") is True
        with pytest.raises(Forbidden):  # takes effect on the next call, no new sign-in needed
            await client.call("api.listInvoices", 2026)
        assert backend.remove_from_group("ada", "billing") is False


async def test_revoked_session_is_not_signed_in_and_its_cookie_is_cleared(make_backend: MakeBackend) -> None:
    backend = profile_backend(make_backend)
    async with person(backend) as client:
        await sign_in(client)
        # The known-device cookie (issue 11, finding 2) outlives sessions: the browser stays known.
        assert client.session.names() == ["auth_session", "known_device"]
        backend.sign_out_everywhere("ada")
        with pytest.raises(NotSignedIn):
            await client.call("api.getProfile")
        assert client.session.names() == ["known_device"]


async def test_user_groups_in_auth_state_as_cognito_reports_them(make_backend: MakeBackend) -> None:
    cognito = profile_backend(make_backend)
    basic = profile_backend(make_backend, mode="basic")
    for backend in (cognito, basic):
        backend.add_to_group("ada", "zeta")
        backend.add_to_group("ada", "admins")
        async with person(backend) as client:
            await sign_in(client)
            user = (await client.get_auth_state()).user
            assert user is not None and user.groups == ("admins", "zeta")
        assert backend.groups_of("ada") == ["admins", "zeta"]
    # Without groups, AuthBasic's user keeps its recorded shape (no "groups" key).
    basic.remove_from_group("ada", "zeta")
    basic.remove_from_group("ada", "admins")
    async with RpcClient(basic) as rpc:
        await rpc.set("signIn", username="ada", password=STRONG)
        assert set((await rpc.get())["user"]) == {"userId", "username", "createdAt"}
    async with RpcClient(cognito) as rpc:
        cognito.remove_from_group("ada", "zeta")
        await rpc.set("signIn", username="ada", password=STRONG)
        assert (await rpc.get())["user"]["groups"] == ["admins"]


def test_group_admin_refuses_bad_names_and_unknown_accounts(make_backend: MakeBackend) -> None:
    backend = profile_backend(make_backend)
    for bad in ("", "two words", "x" * 129, "tab\there"):
        with pytest.raises(ValueError):
            backend.add_to_group("ada", bad)
    with pytest.raises(LookupError):
        backend.add_to_group("nobody", "admins")
    assert backend.groups_of("ada") == []


# -- the wire: recorded shapes, no tracebacks ------------------------------------------------


def recorded_error(flow: str, step: int) -> dict[str, Any]:
    for line in (FIXTURES / f"{flow}.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record["step"] == step:
            assert record["response"]["status"] == 200
            error: dict[str, Any] = record["response"]["body"]["error"]
            return error
    raise AssertionError(f"no step {step} in {flow}")


@pytest.mark.parametrize(
    ("mode", "flow", "step"),
    [("basic", "basic_signup_confirm_signin_signout", 11), ("cognito", "cognito_opt_errors", 5)],
)
async def test_unauthenticated_reply_is_the_recorded_one(
    make_backend: MakeBackend, mode: str, flow: str, step: int
) -> None:
    backend = profile_backend(make_backend, mode=mode)
    async with RpcClient(backend) as rpc:
        body = {"jsonrpc": "2.0", "method": "api.getProfile", "params": [], "id": 7}
        response = await rpc.http.post(rpc.path, json=body)
    assert response.status_code == 200
    assert response.json() == {"jsonrpc": "2.0", "error": recorded_error(flow, step), "id": 7}
    assert "set-cookie" not in response.headers  # no cookie came, none to clear


async def test_handler_failures_never_leak(
    make_backend: MakeBackend, caplog: pytest.LogCaptureFixture
) -> None:
    backend = profile_backend(make_backend)

    @backend.method("api.crash")
    async def crash(user: AuthUser) -> None:
        raise ValueError("secret-value-from-the-database")

    @backend.method("api.notJson")
    async def not_json(user: AuthUser) -> object:
        return {"when": object()}

    @backend.method("api.missing")
    async def missing(user: AuthUser, invoice: str) -> None:
        raise MethodError(404, f"No invoice {invoice}", "NotFoundException")

    async with person(backend) as client:
        await sign_in(client)
        for method in ("api.crash", "api.notJson"):
            with caplog.at_level(logging.ERROR), pytest.raises(RpcError) as caught:
                await client.call(method)
            assert (caught.value.code, caught.value.message, caught.value.name) == (
                -32603,
                "Internal error",
                "InternalError",
            )
        with pytest.raises(RpcError) as wrong_arity:  # the handler's signature is the contract
            await client.call("api.getProfile", "unexpected")
        assert wrong_arity.value.code == -32603
        with pytest.raises(RpcError) as own:
            await client.call("api.missing", "A-1")
        assert (own.value.code, own.value.message, own.value.name) == (
            404,
            "No invoice A-1",
            "NotFoundException",
        )
    logged = caplog.text
    assert "secret-value" not in logged and "Traceback" not in logged
    assert "internal error in api.crash: ValueError at" in logged


async def test_sync_handlers_and_object_params(make_backend: MakeBackend) -> None:
    backend = profile_backend(make_backend)

    @backend.method("api.add")
    def add(user: AuthUser, a: int, b: int) -> int:  # sync: runs in a worker thread
        return a + b

    async with RpcClient(backend) as rpc:
        await rpc.set("signIn", username="ada", password=STRONG)
        for params in ([2, 3], {"a": 2, "b": 3}):  # object params are read like Object.values
            body = {"jsonrpc": "2.0", "method": "api.add", "params": params, "id": 1}
            assert (await rpc.http.post(rpc.path, json=body)).json()["result"] == 5


async def test_unknown_app_methods_answer_in_the_recorded_wording(make_backend: MakeBackend) -> None:
    backend = profile_backend(make_backend)
    async with RpcClient(backend) as rpc:
        for method, message in (
            ("api.nope", "Method not found: 'nope' on API 'api'"),
            ("nope.getProfile", "Method not found: API 'nope' not found. Available: authApi, api"),
            ("authApi.getProfile", "Method not found: 'getProfile' on API 'authApi'"),
        ):
            body = {"jsonrpc": "2.0", "method": method, "params": [], "id": 3}
            error = (await rpc.http.post(rpc.path, json=body)).json()["error"]
            assert (error["code"], error["message"]) == (-32601, message)


def test_registration_is_checked(make_backend: MakeBackend) -> None:
    backend = profile_backend(make_backend)

    async def handler(user: AuthUser) -> None:
        return None

    for name in ("getProfile", "api.", ".x", "api.get profile", "authApi.getAuthState", "api.getProfile"):
        with pytest.raises(ValueError):
            backend.method(name)(handler)
    with pytest.raises(ValueError):
        backend.method("api.nobody", groups=[])(handler)
    with pytest.raises(ValueError):
        backend.method("api.bad", groups=["two words"])(handler)
    assert backend.method("authApi.whoAmI")(handler) is handler  # another verb in the auth namespace is fine


async def test_the_api_backend_example_guards_its_methods(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``examples/api_backend.py`` as a module: profile for anyone signed in, invoices for billing."""
    monkeypatch.setenv("NICEGUI_AUTHENTICATOR_DB", str(tmp_path / "example.sqlite3"))
    monkeypatch.setenv("NICEGUI_AUTHENTICATOR_MFA", "off")
    example = runpy.run_path(str(EXAMPLES / "api_backend.py"), run_name="api_backend_example")
    backend: ReferenceBackend = example["backend"]
    try:
        backend.add_user("ada", STRONG, temporary=False)
        async with person(backend) as client:
            await sign_in(client)
            assert await client.call("api.getProfile") == {"username": "ada", "groups": []}
            with pytest.raises(Forbidden):
                await client.call("api.getInvoice", "2026-001")
            backend.add_to_group("ada", "billing")
            assert await client.call("api.getInvoice", "2026-001") == {"number": "2026-001", "amount": 1200}
            with pytest.raises(RpcError) as missing:
                await client.call("api.getInvoice", "1999-001")
            assert (missing.value.code, missing.value.name) == (404, "NotFoundException")
    finally:
        backend.close()
