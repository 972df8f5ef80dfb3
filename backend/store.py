"""SQLite storage: one WAL-mode database file, migrated at open, safe across threads.

Why one connection behind a lock: request handlers run in worker threads (the
hashing must stay off the event loop), and every statement here takes
microseconds, so serialising them costs nothing measurable while ruling out
SQLite's lock-upgrade deadlocks between connections of one process. Several
processes on one file are still safe: WAL mode, ``BEGIN IMMEDIATE`` for writes
and a busy timeout let SQLite arbitrate between them.

Writes go through ``transaction()``; transactions nest (an inner one joins
the outer), so a repository method can be used alone or as part of a larger
unit of work. Pure reads use ``read()``, which takes no database write lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .migrations import LATEST_VERSION, MIGRATIONS


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of this backend."""


class Store:
    """The database connection, its lock, and the schema version it is at."""

    def __init__(self, path: str) -> None:
        if path != ":memory:" and not path.startswith("file:"):
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=10.0, uri=path.startswith("file:")
        )
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        self._closed = False
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA busy_timeout=10000")
        self._migrate()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        with self._lock:
            if self._closed:
                raise RuntimeError("store is closed")
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._conn
            except BaseException:
                self._depth = 0
                self._conn.execute("ROLLBACK")
                raise
            self._depth = 0
            self._conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """For reads: takes no database write lock (in WAL mode readers never wait for a writer,
        even one in another process); inside a ``transaction()`` the reads join it."""
        with self._lock:
            if self._closed:
                raise RuntimeError("store is closed")
            yield self._conn

    @property
    def schema_version(self) -> int:
        with self.read() as db:
            row = db.execute("SELECT version FROM schema_version").fetchone()
            return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def _migrate(self) -> None:
        with self.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM schema_version").fetchone()
            current = int(row[0]) if row else 0
            if row is None:
                db.execute("INSERT INTO schema_version (version) VALUES (0)")
            if current > LATEST_VERSION:
                raise SchemaTooNewError(
                    f"database schema version {current} is newer than this backend's {LATEST_VERSION}"
                )
            for migration in MIGRATIONS:
                if migration.version > current:
                    for statement in migration.statements:
                        db.execute(statement)
                    db.execute("UPDATE schema_version SET version = ?", (migration.version,))
