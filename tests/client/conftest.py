"""Fixtures shared by the client tests: one live HTTP server for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from local_server import LiveServer


@pytest.fixture(scope="session")
def _live_server_process() -> Iterator[LiveServer]:
    server = LiveServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def live_server(_live_server_process: LiveServer) -> Iterator[LiveServer]:
    """The session's server, with nothing mounted when the test starts or ends."""
    _live_server_process.unmount()
    try:
        yield _live_server_process
    finally:
        _live_server_process.unmount()
