"""InProcessApi: a user's fake backend behaves like a server, without a socket."""

from __future__ import annotations

from typing import Any

import pytest
from nicegui_authenticator.client import AuthStateApi, InProcessApi, ProtocolError, RpcError
from nicegui_authenticator.state_machine.protocol import AuthState, parse_auth_state

SIGNED_OUT = {"state": "signedOut", "actions": [{"name": "signIn", "fields": [{"name": "username"}]}]}


class SyncFake:
    """Returns plain dicts, like a test author's quick fake."""

    def __init__(self) -> None:
        self.received: list[Any] = []

    def get_auth_state(self) -> dict[str, Any]:
        return SIGNED_OUT

    def set_auth_state(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.received.append(payload)
        payload["mutated"] = True  # must not reach the caller's mapping
        return {"state": "signedIn", "user": {"userId": "1", "username": payload.get("username", "")}}


class AsyncFake:
    """Async methods returning models, like the reference backend's service object."""

    async def get_auth_state(self) -> AuthState:
        return parse_auth_state(SIGNED_OUT)

    async def set_auth_state(self, payload: dict[str, Any]) -> AuthState:
        if payload["action"] == "startPasskeyRegistration":
            raise RpcError(
                "authApi.setAuthState failed: Authentication required (401 NotAuthenticatedException)",
                code=401,
                server_message="Authentication required",
                name="NotAuthenticatedException",
                retriable=False,
                response_status=200,
            )
        return parse_auth_state({"state": "confirmingSignIn", "actions": []})


async def test_a_sync_fake_returning_dicts() -> None:
    fake = SyncFake()
    api = InProcessApi(fake)
    assert isinstance(api, AuthStateApi)
    assert (await api.get_auth_state()).action_names() == ("signIn",)
    payload = {"action": "signIn", "username": "alice", "password": "pw"}
    state = await api.set_auth_state(payload)
    assert state.user is not None and state.user.username == "alice"
    assert fake.received == [{"action": "signIn", "username": "alice", "password": "pw", "mutated": True}]
    assert "mutated" not in payload


async def test_an_async_fake_returning_models_and_raising_rpc_errors() -> None:
    api = InProcessApi(AsyncFake())
    assert (await api.get_auth_state()).state == "signedOut"
    assert (await api.set_auth_state({"action": "confirmSignIn"})).state == "confirmingSignIn"
    with pytest.raises(RpcError) as caught:
        await api.set_auth_state({"action": "startPasskeyRegistration"})
    assert caught.value.name == "NotAuthenticatedException"


@pytest.mark.parametrize("result", [None, [], "signedOut", {"actions": []}, {"state": ""}])
async def test_a_fake_returning_something_no_server_could_send(result: Any) -> None:
    class Broken:
        def get_auth_state(self) -> Any:
            return result

        def set_auth_state(self, payload: Any) -> Any:
            return result

    api = InProcessApi(Broken(), namespace="auth")
    with pytest.raises(ProtocolError) as caught:
        await api.get_auth_state()
    assert caught.value.reason == "not_auth_state" and caught.value.method == "auth.getAuthState"
    assert caught.value.http_status is None


async def test_payloads_must_be_what_json_rpc_can_carry() -> None:
    api = InProcessApi(SyncFake())
    with pytest.raises(ValueError, match="action"):
        await api.set_auth_state({"username": "alice"})
    with pytest.raises(TypeError):
        await api.set_auth_state({"action": "signIn", "when": object()})  # type: ignore[dict-item]


def test_an_object_without_the_two_methods_is_refused() -> None:
    class HalfFake:
        def get_auth_state(self) -> dict[str, Any]:
            return SIGNED_OUT

    with pytest.raises(TypeError, match="set_auth_state"):
        InProcessApi(HalfFake())
