"""SQLite storage: concurrency through the real app, restarts, schema versions."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from backend_support import STRONG, RpcClient, settings
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.migrations import LATEST_VERSION
from nicegui_authenticator.backend.settings import RateLimits, ScryptCost
from nicegui_authenticator.backend.store import SchemaTooNewError, open_store

USERS = 50
GENEROUS = RateLimits(failures_per_address=10_000, sends_per_address=10_000)


def _backend(tmp_path: Path) -> ReferenceBackend:
    # A real (if small) scrypt cost, so requests overlap in the worker threads.
    return ReferenceBackend(
        settings(
            tmp_path,
            db_path=str(tmp_path / "shared.sqlite3"),
            mfa="off",
            sign_in_with=("username",),
            rate_limits=GENEROUS,
            password_hash_cost=ScryptCost(n=2**10),
        )
    )


async def _sign_up_and_in(backend: ReferenceBackend, name: str) -> str:
    async with RpcClient(backend) as client:
        state = await client.set("signUp", username=name, password=STRONG, autoSignIn="false")
        assert state["state"] == "confirmingSignUp", state
        code = await asyncio.to_thread(backend.latest_code, name, "sign-up")
        state = await client.set("confirmSignUp", username=name, code=code)
        assert state["state"] == "signedOut" and "error" not in state, state
        state = await client.set("signIn", username=name, password=STRONG)
        assert state["state"] == "signedIn", state
        assert (await client.get())["user"]["username"] == name
        cookie = client.cookie()
        assert cookie
        return cookie


async def _sign_in(backend: ReferenceBackend, name: str) -> str:
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username=name, password=STRONG)
        assert state["state"] == "signedIn" and state["user"]["username"] == name, state
        return state["user"]["userSub"]


async def _still_signed_in(backend: ReferenceBackend, cookie: str) -> str:
    async with RpcClient(backend) as client:
        client.http.cookies.set(backend.settings.cookie_name, cookie)
        state = await client.get()
        assert state["state"] == "signedIn"
        return state["user"]["username"]


async def test_fifty_concurrent_sign_ups_and_sign_ins_survive_a_restart(tmp_path: Path) -> None:
    names = [f"user{i:02d}" for i in range(USERS)]
    backend = _backend(tmp_path)
    try:
        cookies = await asyncio.gather(*(_sign_up_and_in(backend, name) for name in names))
    finally:
        backend.close()
    assert len(set(cookies)) == USERS

    restarted = _backend(tmp_path)
    try:
        subs = await asyncio.gather(*(_sign_in(restarted, name) for name in names))
        assert len(set(subs)) == USERS
        # Sessions made before the restart are still valid after it.
        owners = await asyncio.gather(*(_still_signed_in(restarted, cookie) for cookie in cookies))
        assert owners == names
    finally:
        restarted.close()
    with sqlite3.connect(tmp_path / "shared.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM users WHERE status = 'CONFIRMED'").fetchone() == (USERS,)


def test_database_is_wal_and_versioned(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "v.sqlite3"))
    try:
        assert store.schema_version == LATEST_VERSION
        with store.transaction() as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()
    # Opening again does not re-run migrations (the tables already exist).
    open_store(str(tmp_path / "v.sqlite3")).close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_store(str(path)).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION + 1,))
    with pytest.raises(SchemaTooNewError):
        open_store(str(path))


def test_transactions_roll_back_on_error(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "t.sqlite3"))
    try:
        with pytest.raises(RuntimeError), store.transaction() as db:
            db.execute("INSERT INTO failures (key, ts) VALUES ('k', 1)")
            with store.transaction() as inner:  # nested: joins the outer transaction
                inner.execute("INSERT INTO failures (key, ts) VALUES ('k', 2)")
            raise RuntimeError("abort")
        with store.transaction() as db:
            assert db.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 0
    finally:
        store.close()


def test_expired_rows_do_not_pile_up(tmp_path: Path) -> None:
    from nicegui_authenticator.backend.codes import CodeBook
    from nicegui_authenticator.backend.rate_limit import RateLimiter, Subject

    store = open_store(str(tmp_path / "h.sqlite3"))
    try:
        limiter = RateLimiter(store, RateLimits(window_seconds=60))
        limiter.record_failure(Subject("one-off", "10.0.0.1"), now=1000.0)
        limiter.record_failure(Subject("other", "10.0.0.2"), now=1100.0)  # a window later: sweeps
        codes = CodeBook(store, lifetime=600, max_attempts=5)
        codes.issue("abandoned", now=1000.0)
        codes.issue("fresh", now=2000.0)
        with store.transaction() as db:
            assert {r[0] for r in db.execute("SELECT key FROM failures")} == {
                "fail:user:other",
                "fail:addr:10.0.0.2",
            }
            assert [r[0] for r in db.execute("SELECT key FROM codes")] == ["fresh"]
    finally:
        store.close()
