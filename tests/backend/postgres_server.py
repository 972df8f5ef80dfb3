"""A throw-away PostgreSQL server for tests: initdb in a temp dir, loopback port, stopped after.

Debian's server binaries live in ``/usr/lib/postgresql/<version>/bin`` (``make
test`` installs the package). PostgreSQL refuses to run as root, so as root
the cluster is created and run as the ``postgres`` user the package creates
(``runuser``); as anyone else it runs as that user. Authentication is
``trust`` on the loopback address and a socket directory inside the temp
dir: nothing outside this machine's loopback can reach it, and it lives only
as long as the test session.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


def server_binaries() -> Path | None:
    """The newest installed ``/usr/lib/postgresql/*/bin`` that has ``initdb``, if any."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    """A running cluster; ``new_database()`` hands each test a fresh, empty database."""

    port: int
    user: str
    _pg_ctl: Callable[..., object] = lambda *args: None
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def stop(self) -> None:
        """Stop the server as an operator would (``-m fast``: sessions are ended, not waited for)."""
        self._pg_ctl("stop", "-m", "fast")

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        """``pg_ctl restart``: every connection a client held is gone afterwards."""
        self._pg_ctl("restart", "-m", "fast")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user(argv: list[str]) -> tuple[list[str], str]:
    """``argv`` run as the user that owns the cluster, and that user's name."""
    if os.geteuid() != 0:
        return argv, pwd.getpwuid(os.geteuid()).pw_name
    return ["runuser", "-u", "postgres", "--", *argv], "postgres"


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL server binaries not found: `make test` installs Debian's postgresql")
    root = Path(tempfile.mkdtemp(prefix="nicegui-auth-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    _, user = _as_server_user([])
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    run = lambda *argv: subprocess.run(  # noqa: E731
        _as_server_user([str(a) for a in argv])[0], check=True, capture_output=True, text=True
    )
    try:
        run(binaries / "initdb", "-D", data, "-A", "trust", "-U", user, "--no-sync", "-E", "UTF8")
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off -c max_connections=200"

        def pg_ctl(command: str, *extra: str) -> None:
            run(binaries / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", command, *extra)

        pg_ctl("start")
        try:
            yield PostgresServer(port, user, pg_ctl)
        finally:
            # Not checked: a test may have left the server stopped.
            stop = [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            subprocess.run(_as_server_user(stop)[0], check=False, capture_output=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
