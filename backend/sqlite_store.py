"""SQLite storage: one WAL-mode database file, a connection per thread.

Why a connection per thread: request handlers run in worker threads, and one
shared connection behind a lock made every request queue for every other
(issue 15: 594 of 686 worker samples waited on that lock). With a connection
per thread, readers never wait (WAL: a reader sees the last commit, even
while another connection or process writes), and writers are serialised by
SQLite itself: every write transaction is ``BEGIN IMMEDIATE``, which takes
the database's write lock up front, so two writers cannot deadlock upgrading
read locks, and the busy timeout makes the second wait instead of failing.
Several processes on one file are safe for the same reason.

Because ``BEGIN IMMEDIATE`` already serialises every write transaction,
``lock_keys`` has nothing to add here.

A connection lives as long as its thread: worker threads come and go (anyio
retires idle ones), and when one ends, its thread-local connection is freed
and closed with it. ``close()`` closes those still open.

``:memory:`` (a database per connection in SQLite) keeps one connection that
all threads share, one transaction at a time: it is for experiments only.

``reads_never_wait``: in WAL mode a reader takes no lock a writer holds, so a
read by primary key is a few microseconds of the calling thread's CPU and the
event loop may make it itself (``ReferenceBackend`` then answers a signed-in
getAuthState without a worker thread, which cost more than the reads). Only a
file database whose journal really is WAL qualifies; ``:memory:`` (one shared
connection behind a lock) and URIs (shared caches lock tables) do not.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Final

from .store import Database, Store

_log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS: Final = 10.0


class _Connection(sqlite3.Connection):
    """sqlite3's connection, made weakly referenceable so the store need not keep it alive."""


class SqliteStore(Store):
    engine = "sqlite"
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str) -> None:
        self._path = path
        self._uri = path.startswith("file:")
        if path != ":memory:" and not self._uri:
            _private_files(Path(path).expanduser())
        self._local = threading.local()
        self._connections: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._registry = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        self._one_at_a_time = threading.RLock() if path == ":memory:" else None
        self._closed = False
        self.migrate()
        if self._one_at_a_time is None and not self._uri:
            with self.read() as db:
                self.reads_never_wait = db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def _connect(self) -> _Connection:
        conn = sqlite3.connect(
            self._path,
            check_same_thread=False,  # close() runs on another thread
            isolation_level=None,
            timeout=BUSY_TIMEOUT_SECONDS,
            uri=self._uri,
            factory=_Connection,
        )
        assert isinstance(conn, _Connection)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        with self._registry:
            if self._closed:
                conn.close()
                raise RuntimeError("store is closed")
            self._connections.add(conn)
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise RuntimeError("store is closed")
        if self._one_at_a_time is not None:
            if self._shared is None:
                self._shared = self._connect()
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        local = self._local
        if getattr(local, "depth", 0):
            local.depth += 1
            try:
                yield self._connection()
            finally:
                local.depth -= 1
            return
        with self._one_at_a_time or nullcontext():
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            local.depth = 1
            try:
                yield conn
            except BaseException:
                local.depth = 0
                conn.execute("ROLLBACK")
                raise
            local.depth = 0
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Database]:
        if getattr(self._local, "depth", 0):
            yield self._connection()
            return
        with self._one_at_a_time or nullcontext():
            yield self._connection()

    def lock_keys(self, db: Database, keys: Iterable[str]) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already holds the database's write lock."""

    def ddl(self, statement: str) -> str:
        return statement

    def close(self) -> None:
        with self._registry:
            if self._closed:
                return
            self._closed = True
            connections = list(self._connections)
        for conn in connections:
            conn.close()

    @property
    def open_connections(self) -> int:
        """Connections not yet closed (one per live thread that used the store)."""
        return len(self._connections)


def _private_files(database: Path) -> None:
    """Only the server's user may read the database: 0600 files, a 0700 directory.

    The file is created 0600 before SQLite opens it; SQLite gives its ``-wal`` and
    ``-shm`` files the database file's mode. Files left wider by an earlier version
    are tightened. A directory made here is 0700, and so becomes an existing data
    directory of ours; the working directory and shared ones (sticky, like /tmp, or
    another user's) are left as they are, with a warning.
    """
    folder = database.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    mode = folder.stat()
    if mode.st_mode & 0o077:
        ours = mode.st_uid == os.getuid() and not mode.st_mode & stat.S_ISVTX
        if ours and folder.resolve() != Path.cwd().resolve():
            os.chmod(folder, 0o700)
        else:
            _log.warning("the database directory %s is open to other users (chmod 700 it)", folder)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    for file in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            os.chmod(file, 0o600)
