"""The production topology of docs/deploy.md, on one machine, driven by Chromium through nginx.

nginx (the shipped site, TLS) -> two ``serve --production`` processes sharing
NiceGUI's storage in Redis -> one ``backend`` with two workers on PostgreSQL,
mail through an SMTP server. Every service is a Debian package or this
project, started here on loopback ports and stopped at the end.

A person signs up (the code read from the mail), is signed in, and stays
signed in while either ``serve`` process is killed and the page reloaded.
Sign-in times through nginx and straight to one ``serve`` are printed (not
asserted): the price of the proxy hop.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from auth_driver import AuthUI
from browser_harness import CHROMIUM, LAUNCH_ARGS, PASSWORD, Process
from nginx_site import SITE, free_port, running_site
from playwright.sync_api import Browser, sync_playwright
from postgres_server import running_postgres
from smtp_server import SmtpServer, code_in, running_smtp

pytestmark = [pytest.mark.topology, pytest.mark.browser]

HOP_SECRET = "topology-visitor-hop-secret-0123456789abcdef"
STORAGE_SECRET = "topology-storage-secret-0123456789abcdefgh"
SIGN_INS = 5


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


@pytest.fixture
def redis_url() -> Iterator[str]:
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


@pytest.fixture
def topology(tmp_path: Path, redis_url: str) -> Iterator[tuple[Topology, SmtpServer, str]]:
    with running_postgres() as postgres, running_smtp() as smtp:
        topology = Topology(tmp_path, smtp, postgres.new_database(), redis_url)
        try:
            topology.backend.start()
            for serve in topology.serves:
                serve.start()
            with running_site((topology.serves[0].port, topology.serves[1].port)) as base:
                yield topology, smtp, base
        finally:
            topology.stop()


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _timed_sign_ins(browser: Browser, base_url: str, username: str) -> list[float]:
    context = browser.new_context(base_url=base_url, ignore_https_errors=True, locale="en-US")
    try:
        ui = AuthUI(context.new_page())
        ui.open("/")
        seconds = []
        for _ in range(SIGN_INS):
            ui.fill("signIn", username=username, password=PASSWORD)
            started = time.perf_counter()
            ui.submit("signIn")
            ui.expect_signed_in(username)
            seconds.append(time.perf_counter() - started)
            ui.sign_out()
        return seconds
    finally:
        context.close()


def _fail_timeout() -> float:
    found = re.search(r"fail_timeout=(\d+)s", SITE.read_text())
    assert found, "the nginx site names a fail_timeout"
    return float(found.group(1))


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def _redis_values(url: str) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(url)
    try:
        values = []
        for key in client.scan_iter("topology:*"):
            kind = client.type(key)
            if kind == b"string":
                values.append(client.get(key) or b"")
            elif kind == b"hash":
                values.extend(client.hgetall(key).values())
        return values
    finally:
        client.close()


def test_sign_up_and_stay_signed_in_while_either_page_process_dies(
    topology: tuple[Topology, SmtpServer, str], browser: Browser, redis_url: str
) -> None:
    processes, smtp, base = topology
    context = browser.new_context(base_url=base, ignore_https_errors=True, locale="en-US")
    try:
        page = context.new_page()
        ui = AuthUI(page)
        ui.open("/")
        ui.sign_up("topo", email="topo@example.com")
        (mail,) = smtp.mailbox.wait_for("topo@example.com")
        ui.fill("confirmSignUp", code=code_in(mail))
        ui.submit("confirmSignUp")
        ui.expect_signed_in("topo")
        stored = _redis_values(redis_url)
        assert stored, "the page processes keep browser storage in Redis"
        assert not any(b"auth_session" in value for value in stored), "cookie jars are sealed"
        # Whichever process held the page, one of these two kills hit it.
        for dead, alive in ((0, 1), (1, 0)):
            processes.serves[dead].kill()
            killed_at = time.monotonic()
            page.reload()
            ui.expect_signed_in("topo")
            assert processes.serves[alive].process is not None
            processes.serves[dead].start()
            # nginx shuns a failed process for fail_timeout; with both shunned it has nowhere to go.
            time.sleep(max(0.0, killed_at + _fail_timeout() + 1 - time.monotonic()))
        ui.sign_out()
    finally:
        context.close()

    through_nginx = _timed_sign_ins(browser, base, "topo")
    direct = _timed_sign_ins(browser, processes.serves[0].base_url, "topo")
    print(
        f"\nsign-in through nginx p50 {_p(through_nginx, 50):.0f} ms p95 {_p(through_nginx, 95):.0f} ms; "
        f"direct p50 {_p(direct, 50):.0f} ms p95 {_p(direct, 95):.0f} ms ({SIGN_INS} each)"
    )
