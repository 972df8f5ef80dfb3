"""The services of docs/deploy.md's several-process walk-through, started on loopback for one test module.

nginx (the shipped site, TLS) -> two ``serve --production`` processes sharing
NiceGUI's storage in Redis -> one ``backend`` with two workers on PostgreSQL,
mail through an SMTP server. Every service is a Debian package or this
project, started on free loopback ports and stopped by ``running_topology``.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from browser_harness import Process
from nginx_site import free_port, running_site
from postgres_server import running_postgres
from smtp_server import SmtpServer, running_smtp

HOP_SECRET = "topology-visitor-hop-secret-0123456789abcdef"
STORAGE_SECRET = "topology-storage-secret-0123456789abcdefgh"


class Topology:
    def __init__(self, workdir: Path, smtp: SmtpServer, database: str, redis_url: str) -> None:
        self.workdir = workdir
        backend_port = free_port()
        self.backend = Process(
            "backend",
            ["backend", "--host", "127.0.0.1", "--port", str(backend_port), "--workers", "2", "--mfa", "off"],
            backend_port,
            workdir,
            ready_path="/healthz",
            env={
                "NICEGUI_AUTHENTICATOR_DB": database,
                "NICEGUI_AUTHENTICATOR_SMTP_URL": smtp.url(),
                "NICEGUI_AUTHENTICATOR_MAIL_FROM": "Topology <no-reply@example.com>",
                "NICEGUI_AUTHENTICATOR_VISITOR_HOP_SECRET": HOP_SECRET,
                # The key sealing secrets at rest: a database server needs one (issue 11, finding 9).
                "NICEGUI_AUTHENTICATOR_SECRET_KEY": "5e" * 32,
                "NICEGUI_AUTHENTICATOR_RP_ID": "localhost",
                # These tests measure the budgets through nginx and the hop. The delay after
                # failures refuses early attempts without counting them, so with it the
                # attacker would need minutes of waiting to spend a budget; it has its own
                # tests (tests/backend/test_security_findings.py, finding 2).
                "NICEGUI_AUTHENTICATOR_FAILURE_DELAY": "0",
            },
        )
        endpoint = f"http://127.0.0.1:{backend_port}/aws-blocks/api"
        self.serves = []
        for _ in range(2):
            port = free_port()
            args = ["serve", "--production", "--host", "127.0.0.1", "--port", str(port)]
            args += ["--forwarded-allow-ips", "127.0.0.1", "--endpoint", endpoint]
            args += ["--data-dir", str(workdir / f"serve-{port}")]
            env = {
                "NICEGUI_AUTHENTICATOR_STORAGE_SECRET": STORAGE_SECRET,
                "NICEGUI_AUTHENTICATOR_VISITOR_HOP_SECRET": HOP_SECRET,
                "NICEGUI_REDIS_URL": redis_url,
                "NICEGUI_REDIS_KEY_PREFIX": "topology:",
            }
            self.serves.append(Process(f"serve-{port}", args, port, workdir, env=env))

    def stop(self) -> None:
        for process in (*self.serves, self.backend):
            process.stop()


@dataclass(frozen=True)
class Running:
    """The started topology: its processes, the mail server, nginx's https base URL, Redis."""

    processes: Topology
    smtp: SmtpServer
    base: str
    redis_url: str

    @property
    def nginx(self) -> tuple[str, int]:
        """Where nginx's TLS port listens (for a forwarder that reaches it from another address)."""
        port = urlsplit(self.base).port
        assert port is not None
        return "127.0.0.1", port


@contextlib.contextmanager
def running_redis() -> Iterator[str]:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="nicegui-auth-redis-"))
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*argv, "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def running_topology(workdir: Path) -> Iterator[Running]:
    with running_redis() as redis_url, running_postgres() as postgres, running_smtp() as smtp:
        topology = Topology(workdir, smtp, postgres.new_database(), redis_url)
        try:
            topology.backend.start()
            for serve in topology.serves:
                serve.start()
            with running_site((topology.serves[0].port, topology.serves[1].port)) as base:
                yield Running(topology, smtp, base, redis_url)
        finally:
            topology.stop()
