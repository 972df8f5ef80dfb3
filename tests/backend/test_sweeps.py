"""Expired sessions are swept at most once a minute (issue 15), and refused whether swept or not."""

from __future__ import annotations

from pathlib import Path

from nicegui_authenticator.backend.at_rest import Sealer
from nicegui_authenticator.backend.sessions import WebSessions
from nicegui_authenticator.backend.sqlite_store import SqliteStore
from nicegui_authenticator.backend.users import Users


def test_expired_sessions_are_refused_at_once_and_swept_within_a_minute(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "auth.sqlite3"))
    try:
        sessions = WebSessions(store, Sealer(bytes(32)), lifetime=10)
        ann = Users(store).create(username="ann", password_hash="x", status="CONFIRMED", now=1000.0).id

        def rows() -> int:
            with store.read() as db:
                return int(db.execute("SELECT COUNT(*) FROM web_sessions").fetchone()[0])

        old = sessions.create(ann, now=1000.0)
        other = sessions.create(ann, now=1005.0)
        sessions.create(ann, now=1020.0)  # both earlier ones expired; the last sweep was at 1000
        assert rows() == 3
        assert sessions.lookup(old, now=1020.0) is None  # refused all the same (and deleted)
        assert rows() == 2
        sessions.create(ann, now=1061.0)  # a minute after the last sweep: the expired ones go
        assert rows() == 1
        assert sessions.lookup(other, now=1061.0) is None
    finally:
        store.close()
