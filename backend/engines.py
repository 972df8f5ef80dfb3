"""Which store a database location names: a ``postgresql://`` URL, else a SQLite file.

Its own module because both engines import ``store`` (their base class): if
``store`` chose between them, each would import the other through it.
"""

from __future__ import annotations

from typing import Final

from .store import Store

POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")


def is_postgres_url(location: str) -> bool:
    return location.startswith(POSTGRES_SCHEMES)


def open_store(location: str) -> Store:
    """The store at ``location``: a ``postgresql://`` URL, else a SQLite file path."""
    if is_postgres_url(location):
        from .postgres_store import PostgresStore  # psycopg is only needed for PostgreSQL

        return PostgresStore(location)
    from .sqlite_store import SqliteStore

    return SqliteStore(location)
