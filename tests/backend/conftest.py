"""Fixtures for the backend tests: a fake clock and a backend factory that cleans up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backend_support import FakeClock, MakeBackend, settings
from nicegui_authenticator.backend.app import ReferenceBackend
from postgres_server import PostgresServer, running_postgres


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_backend(tmp_path: Path, clock: FakeClock) -> Iterator[MakeBackend]:
    """``make_backend(mode="basic", ...)``: a backend on a fresh database in ``tmp_path``."""
    made: list[ReferenceBackend] = []

    def make(**changes: Any) -> ReferenceBackend:
        changes.setdefault("clock", clock)
        changes.setdefault("db_path", str(tmp_path / f"auth-{len(made)}.sqlite3"))
        backend = ReferenceBackend(settings(tmp_path, **changes))
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the session; each test takes a fresh database from it."""
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: a SQLite file, then a fresh PostgreSQL database (the same tests run on both)."""
    if request.param == "sqlite":
        return str(tmp_path / "auth.sqlite3")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()
