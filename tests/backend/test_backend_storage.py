"""Storage on both engines: concurrency through the real app, restarts, schema versions, budgets.

Every test taking ``database`` runs twice: on a SQLite file and on a fresh
PostgreSQL database (``conftest.database``).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from backend_support import (
    CHEAP_COST,
    STRONG,
    STRONGER,
    FakeClock,
    MakeBackend,
    RpcClient,
    default,
    settings,
    sign_up_confirmed,
)
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.at_rest import Sealer
from nicegui_authenticator.backend.engines import open_store
from nicegui_authenticator.backend.migrations import LATEST_VERSION, MIGRATIONS
from nicegui_authenticator.backend.passwords import PasswordHasher
from nicegui_authenticator.backend.sessions import token_hash
from nicegui_authenticator.backend.settings import RateLimits, ScryptCost
from nicegui_authenticator.backend.store import SchemaTooNewError, Store

USERS = 50
GENEROUS = RateLimits(failures_per_address=10_000, sends_per_address=10_000)


def _backend(tmp_path: Path, database: str) -> ReferenceBackend:
    # A real (if small) scrypt cost, so requests overlap in the worker threads.
    return ReferenceBackend(
        settings(
            tmp_path,
            db_path=database,
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


async def test_fifty_concurrent_sign_ups_and_sign_ins_survive_a_restart(
    tmp_path: Path, database: str
) -> None:
    names = [f"user{i:02d}" for i in range(USERS)]
    backend = _backend(tmp_path, database)
    try:
        cookies = await asyncio.gather(*(_sign_up_and_in(backend, name) for name in names))
    finally:
        backend.close()
    assert len(set(cookies)) == USERS

    restarted = _backend(tmp_path, database)
    try:
        subs = await asyncio.gather(*(_sign_in(restarted, name) for name in names))
        assert len(set(subs)) == USERS
        # Sessions made before the restart are still valid after it.
        owners = await asyncio.gather(*(_still_signed_in(restarted, cookie) for cookie in cookies))
        assert owners == names
    finally:
        restarted.close()
    store = open_store(database)
    try:
        with store.read() as db:
            assert db.execute("SELECT COUNT(*) FROM users WHERE status = 'CONFIRMED'").fetchone()[0] == USERS
    finally:
        store.close()


def test_database_is_versioned(database: str) -> None:
    store = open_store(database)
    try:
        assert store.schema_version == LATEST_VERSION
    finally:
        store.close()
    # Opening again does not re-run migrations (the tables already exist).
    open_store(database).close()


async def test_a_sqlite_database_from_mains_schema_2_is_upgraded_in_place(tmp_path: Path) -> None:
    """A file the previous release made (schema 2: its tables, then user groups) keeps its
    accounts, groups and sessions, and gains the later migrations' tables and columns."""
    database = tmp_path / "old.sqlite3"
    released = [m for m in MIGRATIONS if m.version <= 2]
    assert [m.version for m in released] == [1, 2] and "user_groups" in released[1].statements[0]
    token = "a-session-from-before-the-upgrade"
    old = sqlite3.connect(database)
    with old:
        old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        old.execute("INSERT INTO schema_version (version) VALUES (2)")
        for statement in (s for m in released for s in m.statements):
            old.execute(statement)
        old.execute(
            """INSERT INTO users (id, sub, username, username_key, password_hash, status, created_at)
               VALUES (1, 'sub-ada', 'ada', 'ada', ?, 'CONFIRMED', 1)""",
            (PasswordHasher(CHEAP_COST).hash(STRONG),),
        )
        old.execute("INSERT INTO user_groups (user_id, group_name) VALUES (1, 'billing')")
        old.execute(
            "INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, 1, 1, ?)",
            (token_hash(token), time.time() + 3600),
        )
        old.execute("INSERT INTO failures (key, ts) VALUES ('fail:old', 1)")
    old.close()

    backend = ReferenceBackend(settings(tmp_path, db_path=str(database)))
    try:
        async with RpcClient(backend) as client:  # the old session still signs ada in
            client.http.cookies.set(backend.settings.cookie_name, token)
            user = (await client.get())["user"]
            assert user["username"] == "ada" and user["groups"] == ["billing"]
        async with RpcClient(backend) as client:  # and so do her password and the new tables
            assert (await client.set("signIn", username="ada", password=STRONG))["state"] == "signedIn"
            assert client.cookie("known_device")
        assert backend.groups_of("ada") == ["billing"]
    finally:
        backend.close()
    store = open_store(str(database))
    try:
        assert store.schema_version == LATEST_VERSION
        with store.read() as db:
            old_failures = db.execute("SELECT COUNT(*) FROM failures WHERE key = 'fail:old'").fetchone()
            assert old_failures[0] == 0  # open windows are forgotten once, by migration 3
    finally:
        store.close()


def test_sqlite_database_is_wal(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "v.sqlite3"))
    try:
        with store.transaction() as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()


def test_sqlite_threads_read_while_another_writes(tmp_path: Path) -> None:
    """A connection per thread: a read is not queued behind another thread's open transaction."""
    store = open_store(str(tmp_path / "r.sqlite3"))
    inside, release = threading.Event(), threading.Event()

    def writer() -> None:
        with store.transaction() as db:
            db.execute("INSERT INTO failures (key, ts) VALUES ('held', 1)")
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert inside.wait(10)
        with store.read() as db:  # the old single shared connection would block here until release
            assert db.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 0
    finally:
        release.set()
        thread.join()
    with store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 1
    store.close()


def test_sqlite_connections_end_with_their_threads(tmp_path: Path) -> None:
    """Worker threads come and go; their connections must not pile up (one file handle each)."""
    import gc

    from nicegui_authenticator.backend.sqlite_store import SqliteStore

    store = open_store(str(tmp_path / "t.sqlite3"))
    assert isinstance(store, SqliteStore)
    try:

        def read() -> None:
            with store.read() as db:
                db.execute("SELECT COUNT(*) FROM users").fetchone()

        for _ in range(3):
            threads = [threading.Thread(target=read) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        gc.collect()
        # Only this thread's own (it migrated the schema) is left of 25.
        assert store.open_connections == 1
        read()
        assert store.open_connections == 1
    finally:
        store.close()


def test_a_newer_schema_is_refused(database: str) -> None:
    store = open_store(database)
    with store.transaction() as db:
        db.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION + 1,))
    store.close()
    with pytest.raises(SchemaTooNewError):
        open_store(database)


def test_transactions_roll_back_on_error(database: str) -> None:
    store = open_store(database)
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


def test_expired_rows_do_not_pile_up(database: str) -> None:
    from nicegui_authenticator.backend.codes import CodeBook
    from nicegui_authenticator.backend.rate_limit import RateLimiter, Subject

    store = open_store(database)
    try:
        limiter = RateLimiter(store, RateLimits(window_seconds=60))
        limiter.record_failure(Subject("one-off", "10.0.0.1"), now=1000.0)
        limiter.record_failure(Subject("other", "10.0.0.2"), now=1100.0)  # a window later: sweeps
        codes = CodeBook(store, lifetime=600, max_attempts=5, digest=Sealer(bytes(32)).code_digest)
        codes.issue("abandoned", now=1000.0)
        codes.issue("fresh", now=2000.0)
        with store.transaction() as db:
            assert {r[0] for r in db.execute("SELECT key FROM failures")} == {
                "fail:pair:other|10.0.0.2",  # per account and address (issue 11, finding 2)
                "fail:user:other",
                "fail:addr:10.0.0.2",
            }
            assert [r[0] for r in db.execute("SELECT key FROM codes")] == ["fresh"]
    finally:
        store.close()


class CountingVerifier:
    """Wraps a backend's password check to count how many wrong guesses were really verified."""

    def __init__(self, backend: ReferenceBackend) -> None:
        hasher: Any = backend._parts.hasher
        self._verify = hasher.verify
        self._lock = threading.Lock()
        self.calls = 0
        hasher.verify = self

    def __call__(self, password: str, encoded: str | None) -> bool:
        with self._lock:
            self.calls += 1
        result: bool = self._verify(password, encoded)
        return result


def _racing_backend(tmp_path: Path, database: str, limits: RateLimits, **extra: Any) -> ReferenceBackend:
    """A backend whose hashes are slow enough that every parallel request is in flight while
    the first one hashes: the window a check-then-record budget would leave open."""
    return ReferenceBackend(
        settings(
            tmp_path,
            db_path=database,
            mfa="off",
            sign_in_with=("username",),
            rate_limits=limits,
            password_hash_cost=ScryptCost(n=2**12),
            **extra,
        )
    )


async def _parallel_wrong_sign_ins(
    backend: ReferenceBackend, parallel: int
) -> tuple[list[dict[str, Any]], CountingVerifier]:
    """Sign "victim" up, then send ``parallel`` wrong passwords at once, each from a client of
    its own; the answers and the count of passwords checked. Closes ``backend``."""
    try:
        async with RpcClient(backend) as client:
            await sign_up_confirmed(client, "victim")
        verifier = CountingVerifier(backend)

        async def wrong_password() -> dict[str, Any]:
            async with RpcClient(backend) as client:
                return await client.set("signIn", username="victim", password="Wr0ng-guess!")

        return list(await asyncio.gather(*(wrong_password() for _ in range(parallel)))), verifier
    finally:
        backend.close()


async def test_attempt_budget_cannot_be_raced_by_parallel_wrong_passwords(
    tmp_path: Path, database: str
) -> None:
    limit, parallel = 10, 20
    # The budget alone (the delay has its own test below).
    backend = _racing_backend(
        tmp_path, database, RateLimits(failures_per_username=limit, delay_base_seconds=0)
    )
    answers, verifier = await _parallel_wrong_sign_ins(backend, parallel)
    names = sorted(answer.get("errorName", "") for answer in answers)
    print(f"{backend._parts.store.engine}: {verifier.calls} of {parallel} parallel wrong passwords checked")
    assert verifier.calls == limit
    assert names == ["LimitExceededException"] * (parallel - limit) + ["NotAuthorizedException"] * limit


async def test_change_password_budget_cannot_be_raced_from_one_stolen_session(
    tmp_path: Path, database: str
) -> None:
    """A cookie thief sends 20 wrong current passwords at once: the budget checks exactly its limit."""
    limit, parallel = 3, 20
    backend = _racing_backend(
        tmp_path, database, RateLimits(failures_per_username=limit, delay_base_seconds=0)
    )
    try:
        async with RpcClient(backend) as thief:
            await sign_up_confirmed(thief, "victim")
            signed_in = await thief.set("signIn", username="victim", password=STRONG)
            assert signed_in["state"] == "signedIn", signed_in
            verifier = CountingVerifier(backend)
            answers = await asyncio.gather(
                *(
                    thief.set("changePassword", currentPassword="Wr0ng-guess!", newPassword=STRONGER)
                    for _ in range(parallel)
                )
            )
    finally:
        backend.close()
    names = sorted(answer.get("errorName", "") for answer in answers)
    assert verifier.calls == limit
    assert names == ["LimitExceededException"] * (parallel - limit) + ["NotAuthorizedException"] * limit


async def test_the_delay_after_failures_cannot_be_raced_either(tmp_path: Path, database: str) -> None:
    """Finding 2: the exponential delay is checked with the budget, in one locked transaction."""
    parallel = 12
    limits = RateLimits(delay_after_failures=3)
    backend = _racing_backend(tmp_path, database, limits, clock=FakeClock())
    answers, verifier = await _parallel_wrong_sign_ins(backend, parallel)
    waits = sorted(answer.get("retryAfter", 0) for answer in answers)
    assert verifier.calls == limits.delay_after_failures
    assert waits == [0] * limits.delay_after_failures + [1] * (parallel - limits.delay_after_failures)


async def test_a_right_password_does_not_spend_the_budget(tmp_path: Path, database: str) -> None:
    backend = ReferenceBackend(
        settings(
            tmp_path,
            db_path=database,
            mfa="off",
            sign_in_with=("username",),
            rate_limits=RateLimits(failures_per_username=3, failures_per_address=3),
        )
    )
    try:
        async with RpcClient(backend) as client:
            await sign_up_confirmed(client, "regular")
            for _ in range(5):
                state = await client.set("signIn", username="regular", password=STRONG)
                assert state["state"] == "signedIn", state
                await client.set("signOut")
    finally:
        backend.close()


async def test_the_same_username_signed_up_in_parallel_exists_once(tmp_path: Path, database: str) -> None:
    backend = _backend(tmp_path, database)
    try:
        # Eight strangers racing for one name (each with a password of their own: the
        # same password again would be the owner asking for a fresh code, issue 12 item 1).
        async def sign_up(n: int) -> dict[str, Any]:
            async with RpcClient(backend) as client:
                return await client.set(
                    "signUp", username="twin", password=f"{STRONG}-{n}", autoSignIn="false"
                )

        answers = await asyncio.gather(*(sign_up(n) for n in range(8)))
    finally:
        backend.close()
    outcomes = sorted(answer.get("errorName") or answer["state"] for answer in answers)
    assert outcomes == ["UsernameExistsException"] * 7 + ["confirmingSignUp"], outcomes


def test_a_code_has_one_winner_among_parallel_right_answers(database: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from nicegui_authenticator.backend.codes import CodeBook, CodeCheck

    store: Store = open_store(database)
    try:
        codes = CodeBook(store, lifetime=600, max_attempts=5, digest=Sealer(bytes(32)).code_digest)
        code = codes.issue("race", now=1000.0)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: codes.check("race", code, 1001.0), range(8)))
    finally:
        store.close()
    assert results.count(CodeCheck.OK) == 1
    assert set(results) == {CodeCheck.OK, CodeCheck.MISSING}


ICLOUD = UUID("fbfc3007-154e-4ecc-8c0b-6e020557d7bd")


async def test_names_dates_and_single_use_challenges_on_both_stores(
    make_backend: MakeBackend, database: str, clock: FakeClock
) -> None:
    """Migration 5's columns and the spent-challenge record work on SQLite and PostgreSQL alike."""
    backend = make_backend(db_path=database)
    device = SoftAuthenticator(aaguid=ICLOUD.bytes)
    async with RpcClient(backend) as client:
        backend.add_user("sam", STRONG, temporary=False)
        await client.set("signIn", username="sam", password=STRONG)
        state = await client.set("startPasskeyRegistration")
        options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
        await client.set("completePasskeyRegistration", credential=device.create(options))
        await client.set("signOut")
        discoverable = "signInWithDiscoverablePasskey"
        options = default(await client.get(), discoverable, "credentialRequestOptions")
        assertion = device.get(options)
        clock.advance(30)
        assert (await client.set(discoverable, credential=assertion))["state"] == "signedIn"
        state = await client.set("renamePasskey", credentialId=device.id, name="Phone")
        named = next(a["passkey"] for a in state["actions"] if a["name"] == "renamePasskey")
        assert named["name"] == "Phone" and named["lastUsedAt"]
        await client.set("signOut")
        assert (await client.set(discoverable, credential=assertion))["state"] == "signedOut"  # spent
    stored = backend._parts.passkeys.get(device.id)
    assert stored is not None and stored.aaguid == str(ICLOUD) and stored.last_used_at == clock()
