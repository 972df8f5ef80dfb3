"""Finding 9 (issue 11): a TOTP secret waiting for its first code is sealed like an enrolled one.

A copy of the database taken while someone sets up an authenticator app must
not hand over the secret they are about to enrol: the challenge row (set-up
during sign-in) and the web session's pending ceremony (set-up from the
account screen) are read raw, on a SQLite file and on PostgreSQL, and searched
for the secret and for anything that looks like a base32 secret.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import psycopg
from backend_support import STRONG, FakeClock, RpcClient, default, session_of, settings, totp_now
from nicegui_authenticator.backend.app import ReferenceBackend

BASE32_RUN = re.compile(r"[A-Z2-7]{16,}")


def _raw_ceremony_rows(database: str) -> list[str]:
    """Every challenge row's data and every session's pending ceremony, as stored."""
    queries = (
        "SELECT data FROM challenges",
        "SELECT pending FROM web_sessions WHERE pending IS NOT NULL",
    )
    if "://" in database:
        with psycopg.connect(database) as db:
            return [str(row[0]) for query in queries for row in db.execute(query).fetchall()]
    with sqlite3.connect(database) as db:
        return [str(row[0]) for query in queries for row in db.execute(query).fetchall()]


def _assert_no_usable_secret(rows: list[str], secret: str) -> None:
    assert rows, "the ceremony was not stored at all"
    for row in rows:
        assert secret not in row, row
        assert not BASE32_RUN.search(row), row


async def test_finding_9_totp_secret_in_setup_is_sealed_in_the_raw_database(
    tmp_path: Path, database: str, clock: FakeClock
) -> None:
    backend = ReferenceBackend(
        settings(tmp_path, db_path=database, clock=clock, mfa="required", mfa_types=("TOTP",))
    )
    try:
        backend.add_user("sal", STRONG, temporary=False)
        async with RpcClient(backend) as client:
            # Set-up during sign-in: the secret waits in a challenge row.
            state = await client.set("signIn", username="sal", password=STRONG)
            secret = default(state, "confirmSignIn", "sharedSecret")
            _assert_no_usable_secret(_raw_ceremony_rows(database), secret)
            state = await client.set(
                "confirmSignIn",
                session=session_of(state),
                challenge="totpSetup",
                code=totp_now(secret, clock),
            )
            assert state["state"] == "signedIn", state  # the sealed secret still works
    finally:
        backend.close()


async def test_finding_9_totp_secret_pending_on_the_account_screen_is_sealed(
    tmp_path: Path, database: str, clock: FakeClock
) -> None:
    backend = ReferenceBackend(settings(tmp_path, db_path=database, clock=clock, mfa="optional"))
    try:
        backend.add_user("sid", STRONG, temporary=False)
        async with RpcClient(backend) as client:
            await client.set("signIn", username="sid", password=STRONG)
            state = await client.set("startTotpSetup")
            secret = default(state, "completeTotpSetup", "sharedSecret")
            _assert_no_usable_secret(_raw_ceremony_rows(database), secret)
            state = await client.set("completeTotpSetup", code=totp_now(secret, clock))
            assert "error" not in state, state
    finally:
        backend.close()


def test_a_ceremony_stored_before_sealing_is_still_read(tmp_path: Path, clock: FakeClock) -> None:
    """A challenge in flight across the upgrade (plain JSON) still answers; new ones are sealed."""
    database = str(tmp_path / "auth.sqlite3")
    backend = ReferenceBackend(settings(tmp_path, db_path=database, clock=clock))
    try:
        challenges = backend._parts.challenges
        token = challenges.create({"kind": "password", "user_id": None, "username": "old"}, clock())
        with sqlite3.connect(database) as db:
            db.execute("UPDATE challenges SET data = ?", ('{"kind": "password", "user_id": 7}',))
        found = challenges.get(token, clock())
        assert found is not None and found.data == {"kind": "password", "user_id": 7}
        fresh = challenges.create({"kind": "password", "user_id": 8}, clock())
        assert sorted(row.startswith("v1:") for row in _raw_ceremony_rows(database)) == [False, True]
        assert challenges.get(fresh, clock()) is not None
    finally:
        backend.close()
