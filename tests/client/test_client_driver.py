"""The one effect runner both shells use, and the one way user callbacks are called.

The runner is exercised through a recording port, so each test sees exactly
what a shell is asked to do: which transport the calls went to, when to redraw,
and which event a sign-in change is reported with.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pytest
from nicegui_authenticator.client.callbacks import call_handler
from nicegui_authenticator.client.driver import EffectRunner, ShellPort
from nicegui_authenticator.client.headless import HeadlessAuthenticator
from nicegui_authenticator.client.headless_port import HeadlessPort
from nicegui_authenticator.state_machine import (
    AuthMachine,
    AuthState,
    AuthUser,
    Event,
    InvalidTransition,
    Retry,
    RunWebAuthn,
    Screen,
    ScreenName,
    Start,
    Submit,
    SubmitExternalForm,
    WebAuthnFailed,
    WebAuthnResult,
)
from pydantic import JsonValue

SIGNED_OUT = {
    "state": "signedOut",
    "actions": [
        {
            "name": "signIn",
            "label": "Sign in",
            "fields": [
                {"name": "username", "label": "Username", "type": "text", "required": True},
                {"name": "password", "label": "Password", "type": "password", "required": True},
            ],
        }
    ],
}
SIGNED_IN = {
    "state": "signedIn",
    "user": {"userId": "u-1", "username": "ada"},
    "actions": [{"name": "signOut", "label": "Sign out", "fields": []}],
}


class ScriptedApi:
    """Answers getAuthState with the signed-out state and signIn with the signed-in one."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def get_auth_state(self) -> AuthState:
        self.calls.append("get")
        return AuthState.model_validate(SIGNED_OUT)

    async def set_auth_state(self, payload: Mapping[str, JsonValue]) -> AuthState:
        self.calls.append(str(payload["action"]))
        return AuthState.model_validate(SIGNED_IN)


class RecordingPort:
    def __init__(self, api: ScriptedApi) -> None:
        self._api = api
        self.shown: list[ScreenName] = []
        self.changes: list[tuple[str | None, type[Event]]] = []

    @property
    def api(self) -> ScriptedApi:
        return self._api

    def show(self, screen: Screen) -> None:
        self.shown.append(screen.name)

    async def run_webauthn(self, request: RunWebAuthn) -> WebAuthnResult | WebAuthnFailed:
        raise AssertionError("no ceremony in these flows")

    async def submit_external_form(self, request: SubmitExternalForm) -> None:
        raise AssertionError("no external form in these flows")

    async def copy_to_clipboard(self, text: str) -> bool:
        return False

    async def auth_changed(self, user: AuthUser | None, cause: Event) -> None:
        self.changes.append((user.username if user else None, type(cause)))


def _runner() -> tuple[EffectRunner, RecordingPort]:
    port = RecordingPort(ScriptedApi())
    shell: ShellPort = port
    return EffectRunner(AuthMachine(), shell), port


async def test_calls_go_through_the_ports_transport_and_every_step_is_shown() -> None:
    runner, port = _runner()
    screen = await runner.feed(Start())
    assert screen.name is ScreenName.SIGN_IN
    assert port.api.calls == ["get"]
    # Start puts a call in flight (loading), the reply shows the sign-in screen.
    assert port.shown == [ScreenName.LOADING, ScreenName.SIGN_IN]


async def test_a_sign_in_is_reported_to_the_port_with_the_event_that_caused_it() -> None:
    runner, port = _runner()
    await runner.feed(Start())
    screen = await runner.feed(Submit({"username": "ada", "password": "Passw0rd!"}))
    assert screen.name is ScreenName.SIGNED_IN
    assert port.api.calls == ["get", "signIn"]
    assert port.changes == [("ada", Submit)]


async def test_feed_raises_for_an_event_the_machine_refuses() -> None:
    runner, port = _runner()
    await runner.feed(Start())
    before = runner.machine
    with pytest.raises(InvalidTransition, match="nothing to retry"):
        await runner.feed(Retry())
    assert runner.machine is before and port.api.calls == ["get"]


async def test_offer_drops_a_refused_widget_event_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    runner, port = _runner()
    await runner.feed(Start())
    before, shown = runner.machine, list(port.shown)
    with caplog.at_level(logging.DEBUG, logger="nicegui_authenticator.client.driver"):
        screen = await runner.offer(Retry())
    assert screen is before.screen and runner.machine is before
    assert port.shown == shown and port.api.calls == ["get"]
    assert any("Retry" in r.getMessage() and "nothing to retry" in r.getMessage() for r in caplog.records)


async def test_the_headless_shell_raises_refused_events_from_its_caller() -> None:
    auth = HeadlessAuthenticator(ScriptedApi())
    await auth.start()
    with pytest.raises(InvalidTransition, match="nothing to retry"):
        await auth.retry()


async def test_the_headless_port_records_what_a_browser_would_do() -> None:
    port = HeadlessPort(ScriptedApi())
    form = SubmitExternalForm("https://idp.example/authorize", "POST", {"state": "x"})
    await port.submit_external_form(form)
    assert await port.copy_to_clipboard("SECRET")
    assert port.external_forms == [form] and port.clipboard == ["SECRET"]
    failed = await port.run_webauthn(RunWebAuthn("get", "{}", "verifyPasskey"))
    assert isinstance(failed, WebAuthnFailed) and failed.reason == "unavailable"


async def test_call_handler_calls_sync_and_awaits_async_handlers() -> None:
    seen: list[str] = []

    def plain(name: str) -> str:
        seen.append(f"plain {name}")
        return "p"

    async def coroutine(name: str) -> str:
        seen.append(f"async {name}")
        return "a"

    assert await call_handler(plain, "x") == "p"
    assert await call_handler(coroutine, name="y") == "a"
    assert seen == ["plain x", "async y"]
