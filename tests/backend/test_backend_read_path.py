"""getAuthState on the event loop (issue 15): reads alone answer it, anything that writes goes to a thread.

Instrumented, not timed: the worker-thread hop is counted, and the session's
idle-deadline touch is read back from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from backend_support import STRONG, FakeClock, MakeBackend, RpcClient
from nicegui_authenticator.backend.sqlite_store import SqliteStore


def test_only_a_wal_file_database_lets_the_loop_read(tmp_path: Path) -> None:
    on_file = SqliteStore(str(tmp_path / "auth.sqlite3"))
    in_memory = SqliteStore(":memory:")
    try:
        assert on_file.reads_never_wait
        assert not in_memory.reads_never_wait
    finally:
        on_file.close()
        in_memory.close()


async def test_get_auth_state_hops_to_a_thread_only_to_write(
    make_backend: MakeBackend, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("rita", STRONG, temporary=False)
    hops: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(function, "__name__", "?"))
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)

    def last_seen() -> float:
        with backend._parts.store.read() as db:
            return float(db.execute("SELECT last_seen_at FROM web_sessions").fetchone()[0])

    async with RpcClient(backend) as client:
        await client.set("signIn", username="rita", password=STRONG)
        hops.clear()
        assert (await client.get())["state"] == "signedIn"
        assert hops == []  # used within the minute: reads only, on the loop
        signed_in_at = last_seen()
        clock.advance(120)
        assert (await client.get())["state"] == "signedIn"
        assert hops == ["get_auth_state"]  # due its idle-deadline touch: a write, in a thread
        assert last_seen() == signed_in_at + 120
        hops.clear()
        clock.advance(30)
        assert (await client.get())["state"] == "signedIn"
        assert hops == []
