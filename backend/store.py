"""The database behind the backend: one interface, SQLite (embedded default) or PostgreSQL.

Why an interface of two context managers: every repository (users, codes,
sessions, budgets) is written once, in the SQL both engines speak (``?``
placeholders, ``ON CONFLICT`` upserts, ``RETURNING``), and takes its
connection from ``transaction()`` (writes) or ``read()``. Transactions nest
per thread: an inner one joins the outer, so a repository method can be used
alone or inside a larger unit of work. Request handlers run in worker
threads, so "the current transaction" is per thread and per store.

What differs between engines lives in the two subclasses: how a connection
is obtained (a connection per thread for SQLite, a pool for PostgreSQL), the
column types of the schema (``ddl``), and how a transaction serialises the
read-check-write of a budget (``lock_keys``).

``engines.open_store`` picks the engine from the location: a ``postgresql://``
URL or a file path (a module of its own, as both engines import this one).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Final, Protocol

from .migrations import LATEST_VERSION, MIGRATIONS

SWEEP_EVERY_SECONDS: Final = 60.0


class Sweeps:
    """Deletes ``table``'s expired rows (``expires_at``) at most once a minute (per process).

    Why not on every insert: expiry columns carry no index, so a sweep reads the whole
    table, and one per sign-in (sessions, known devices) was work that grew with the
    number of live sessions (issue 15). Expired rows wait harmlessly until then: every
    read checks the expiry itself.
    """

    def __init__(self, table: str, every: float = SWEEP_EVERY_SECONDS) -> None:
        self._delete = f"DELETE FROM {table} WHERE expires_at <= ?"  # a table name of ours, never input
        self._every = every
        self._last: float | None = None

    def sweep(self, db: Database, now: float) -> None:
        """Inside the caller's transaction: delete the expired rows if a sweep is due."""
        if self._due(now):
            db.execute(self._delete, (now,))

    def _due(self, now: float) -> bool:
        """Whether to sweep now (a clock set back by more than ``every`` sweeps too)."""
        if self._last is not None and abs(now - self._last) < self._every:
            return False
        self._last = now
        return True


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of this backend."""


class Cursor(Protocol):
    """What a statement returns: rows that read by column name or position."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database(Protocol):
    """One connection inside a transaction; SQL uses ``?`` placeholders on every engine."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...


class Store(abc.ABC):
    """A migrated database and its per-thread transactions."""

    engine: str
    integrity_errors: tuple[type[Exception], ...] = ()
    """Raised by a statement that broke a unique key (a concurrent writer got there first)."""
    reads_never_wait: bool = False
    """A ``read()`` never waits for a lock or the network, so the event loop may make one itself."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[Database]:
        """A write transaction; nested calls on one thread join the outer one."""

    @abc.abstractmethod
    def read(self) -> AbstractContextManager[Database]:
        """For reads; inside a ``transaction()`` the reads join it."""

    @abc.abstractmethod
    def lock_keys(self, db: Database, keys: Iterable[str]) -> None:
        """Serialise transactions that touch the same ``keys`` until this one ends."""

    @abc.abstractmethod
    def ddl(self, statement: str) -> str:
        """A schema statement (written with SQLite's types) in this engine's dialect."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise unless the database answers a query (the health check)."""
        with self.read() as db:
            db.execute("SELECT version FROM schema_version").fetchone()

    @property
    def schema_version(self) -> int:
        with self.read() as db:
            row = db.execute("SELECT version FROM schema_version").fetchone()
            return int(row[0]) if row else 0

    def migrate(self) -> None:
        """Bring the schema to ``LATEST_VERSION``; refuse a database from a newer backend."""
        with self.transaction() as db:
            self.lock_keys(db, ["schema_version"])  # two processes starting at once migrate once
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
                        db.execute(self.ddl(statement))
                    db.execute("UPDATE schema_version SET version = ?", (migration.version,))
