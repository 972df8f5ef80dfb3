"""Every shared recording, replayed over real HTTP through AuthClient.

For each flow, the client must send exactly the recorded requests (bodies and
cookies, checked by the replay server), return the recorded AuthState or raise
the recorded JSON-RPC error, and end each step with the cookie jar the
recorder's browser-like jar had.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from local_server import LiveServer
from nicegui_authenticator.client import AuthClient, CookieSession, RpcError
from nicegui_authenticator.state_machine.protocol import AuthState
from replay_server import RecordedStep, RecorderJar, ReplayServer, flow_paths, jar_values, load_flow

FLOWS = flow_paths()


async def _call(client: AuthClient, step: RecordedStep) -> AuthState:
    if step.verb == "getAuthState":
        return await client.get_auth_state()
    return await client.set_auth_state(step.payload)


async def _replay_step(client: AuthClient, step: RecordedStep) -> None:
    reply = step.response_body
    if "error" in reply:
        with pytest.raises(RpcError) as caught:
            await _call(client, step)
        error, data = reply["error"], reply["error"].get("data") or {}
        assert (caught.value.code, caught.value.message) == (error["code"], error["message"]), step.label
        assert caught.value.name == data.get("name"), step.label
        assert caught.value.retriable is bool(data.get("retriable")), step.label
    else:
        state = await _call(client, step)
        assert state.to_wire() == reply["result"], step.label


@pytest.mark.parametrize("path", FLOWS, ids=[p.stem for p in FLOWS])
async def test_recorded_flow_replays_through_auth_client(path: Path, live_server: LiveServer) -> None:
    steps = load_flow(path)
    replay = ReplayServer(steps)
    endpoint = live_server.mount(replay) + steps[0].path
    session = CookieSession()
    jar = RecorderJar(session, endpoint)
    async with AuthClient(endpoint, session=session) as client:
        for step in steps:
            if not step.is_auth_call:
                jar.skip(step)
                continue
            jar.before(step)
            if _uses_main_client(step):
                await _replay_step(client, step)
            else:
                # Another namespace (a probe of an unknown API) or a forced Host header
                # (the non-loopback probe): a client configured that way, same jar.
                headers = {"host": step.host_header} if step.host_header else None
                async with AuthClient(endpoint, step.namespace, session=session, headers=headers) as other:
                    await _replay_step(other, step)
            jar.after(step)
            assert jar_values(session) == jar.expected_after(step), step.label
    replay.check_finished()
    # The main client numbered its calls 1, 2, 3, ... (ids are per client).
    main_ids = [i for s, i in zip(replay.served, replay.request_ids, strict=True) if _uses_main_client(s)]
    assert main_ids == list(range(1, len(main_ids) + 1))


def _uses_main_client(step: RecordedStep) -> bool:
    return step.namespace == "authApi" and step.host_header is None


def test_every_flow_has_client_steps() -> None:
    """Guard against a loader change that silently skips everything."""
    counts = {p.stem: sum(s.is_auth_call for s in load_flow(p)) for p in FLOWS}
    assert all(counts.values()), counts
    assert len(FLOWS) >= 15
