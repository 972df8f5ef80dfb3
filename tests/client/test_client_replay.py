"""Every recording, replayed over real HTTP through AuthClient.

For each flow, the client must send exactly the recorded requests (bodies and
cookies, checked by the replay server), return the recorded AuthState or raise
the recorded JSON-RPC error, and end each step with the cookie jar the
recorder's jar had (see ``replay_server.drive_with_auth_client``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from local_server import LiveServer
from recordings import recording_paths
from replay_server import ReplayServer, drive_with_auth_client, load_flow, uses_main_client

FLOWS = recording_paths()


@pytest.mark.parametrize("path", FLOWS, ids=[p.stem for p in FLOWS])
async def test_recorded_flow_replays_through_auth_client(path: Path, live_server: LiveServer) -> None:
    steps = load_flow(path)
    replay = ReplayServer(steps)
    endpoint = live_server.mount(replay) + steps[0].path
    await drive_with_auth_client(steps, endpoint)
    replay.check_finished()
    # The main client numbered its calls 1, 2, 3, ... (ids are per client).
    main_ids = [i for s, i in zip(replay.served, replay.request_ids, strict=True) if uses_main_client(s)]
    assert main_ids == list(range(1, len(main_ids) + 1))


def test_every_flow_has_client_steps() -> None:
    """Guard against a loader change that silently skips everything."""
    counts = {p.stem: sum(s.is_auth_call for s in load_flow(p)) for p in FLOWS}
    assert all(counts.values()), counts
    assert len(FLOWS) >= 15
