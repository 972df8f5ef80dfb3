"""Running the backend for others: trusted proxies, health checks, workers, and what it refuses.

A backend behind nginx sees nginx's address on every request; it must take
the visitor's from ``X-Forwarded-For``, but only when a configured proxy
sent it. A load balancer needs ``/healthz``. Development mode shows codes,
so it stays on loopback; production mode must be able to deliver codes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
from backend_support import STRONG, FakeClock, MakeBackend, RpcClient, result_of
from nicegui_authenticator.backend.client_address import TrustedProxies
from nicegui_authenticator.backend.engines import open_store
from nicegui_authenticator.backend.serving import check_serving
from nicegui_authenticator.backend.settings import BackendSettings, RateLimits
from nicegui_authenticator.client.visitor_hop import HEADER as VISITOR_HEADER
from nicegui_authenticator.client.visitor_hop import sign_visitor
from nicegui_authenticator.ui.hosted.cli import main as command

CLI = Path(sys.executable).with_name("nicegui-authenticator")
PROXY = "10.0.0.1"


def test_forwarded_for_is_read_from_the_right_and_only_from_trusted_proxies() -> None:
    proxies = TrustedProxies(["10.0.0.0/24", "::1"])
    assert proxies.client_address("10.0.0.1", "203.0.113.7") == "203.0.113.7"
    # The client wrote the leftmost entry itself; the proxy appended what it saw.
    assert proxies.client_address("10.0.0.1", "1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert proxies.client_address("10.0.0.1", "203.0.113.7, 10.0.0.2") == "203.0.113.7"  # two proxies
    assert proxies.client_address("198.51.100.9", "203.0.113.7") == "198.51.100.9"  # not a proxy
    assert proxies.client_address("10.0.0.1", "not-an-ip, 203.0.113.7") == "203.0.113.7"
    assert proxies.client_address("10.0.0.1", "203.0.113.7, garbage") == "10.0.0.1"
    assert TrustedProxies([]).client_address("10.0.0.1", "203.0.113.7") == "10.0.0.1"
    assert TrustedProxies(["*"]).client_address("198.51.100.9", "203.0.113.7") == "203.0.113.7"


async def _wrong_sign_in(backend: Any, peer: str, forwarded_for: str | None) -> str:
    async with RpcClient(backend, address=peer) as client:
        if forwarded_for is not None:
            client.http.headers["X-Forwarded-For"] = forwarded_for
        state = await client.set("signIn", username=f"u-{forwarded_for}", password="Wr0ng-guess!")
        return str(state.get("errorName"))


async def test_forwarded_for_is_honoured_from_a_trusted_proxy(make_backend: MakeBackend) -> None:
    """Two visitors behind one trusted proxy have separate per-address budgets."""
    backend = make_backend(forwarded_allow_ips=(PROXY,), rate_limits=RateLimits(failures_per_address=2))
    for _ in range(2):
        assert await _wrong_sign_in(backend, PROXY, "203.0.113.7") == "NotAuthorizedException"
    assert await _wrong_sign_in(backend, PROXY, "203.0.113.7") == "TooManyRequestsException"
    assert await _wrong_sign_in(backend, PROXY, "203.0.113.8") == "NotAuthorizedException"


async def test_forwarded_for_is_ignored_from_anyone_else(make_backend: MakeBackend) -> None:
    """An untrusted client cannot pick a fresh address per guess with a header."""
    backend = make_backend(forwarded_allow_ips=(PROXY,), rate_limits=RateLimits(failures_per_address=2))
    attacker = "198.51.100.9"
    for n in range(2):
        assert await _wrong_sign_in(backend, attacker, f"203.0.113.{n}") == "NotAuthorizedException"
    assert await _wrong_sign_in(backend, attacker, "203.0.113.99") == "TooManyRequestsException"


async def test_healthz_is_200_while_the_database_answers(make_backend: MakeBackend, database: str) -> None:
    backend = make_backend(db_path=database)
    async with RpcClient(backend) as client:
        response = await client.http.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_healthz_is_503_when_the_database_does_not_answer(
    make_backend: MakeBackend, database: str
) -> None:
    backend = make_backend(db_path=database)
    if database.startswith("postgresql://"):
        name = urlsplit(database).path.lstrip("/")
        with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    else:
        backend._parts.store.close()  # the file's connections are gone
    async with RpcClient(backend) as client:
        response = await client.http.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})


async def test_dev_outbox_answers_only_for_a_loopback_host(make_backend: MakeBackend) -> None:
    backend = make_backend(dev=True)
    async with RpcClient(backend) as client:
        for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
            response = await client.http.get("/dev/outbox.json", headers={"Host": host})
            assert response.status_code == 200, host
        for host in ("auth.example.com", "attacker.example:8000", "10.0.0.5:8000"):
            for path in ("/dev/outbox", "/dev/outbox.json"):
                response = await client.http.get(path, headers={"Host": host})
                assert response.status_code == 404, (host, path)


def test_dev_backend_refuses_a_non_loopback_bind(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert command(["backend", "--dev", "--host", "0.0.0.0", "--db", str(tmp_path / "a.sqlite3")]) == 2
    assert "binds loopback only, not 0.0.0.0" in capsys.readouterr().err


def test_production_backend_refuses_to_start_without_a_delivery_method(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [k for k in os.environ if k.startswith("NICEGUI_AUTHENTICATOR_")]:
        monkeypatch.delenv(name)
    assert command(["backend", "--db", str(tmp_path / "p.sqlite3")]) == 2
    assert "no way to deliver codes" in capsys.readouterr().err
    assert command(["backend", "--db", str(tmp_path / "p.sqlite3"), "--code-delivery", "log"]) == 2
    # Any real channel will do, on any interface.
    smtp = BackendSettings(smtp_url="smtps://u:p@mail.example.com", mail_from="no-reply@example.com")
    check_serving(smtp, "0.0.0.0", workers=2)
    check_serving(BackendSettings(delivery_hook="webhook:https://sms.example.com/send"), "0.0.0.0", 1)
    check_serving(BackendSettings(dev=True), "127.0.0.1", 1)
    with pytest.raises(ValueError, match="--mail-from"):
        BackendSettings(smtp_url="smtps://u:p@mail.example.com")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _workers_of(pid: int) -> list[int]:
    """Processes that uvicorn spawned as workers of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.fixture
def two_workers(database: str, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICEGUI_AUTHENTICATOR_")}
    # Workers share the key that seals secrets at rest (a database server gets none made up).
    env["NICEGUI_AUTHENTICATOR_KEY_PATH"] = str(tmp_path / "workers.key")
    argv = [str(CLI), "backend", "--port", str(port), "--db", database, "--dev", "--workers", "2"]
    argv += ["--mfa", "off", "--sign-in-with", "username", "--forwarded-allow-ips", "127.0.0.1"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while len(_workers_of(process.pid)) < 2 or not _answers(base):
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.2)
    try:
        yield base, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _call(client: httpx.Client, action: str, **fields: Any) -> dict[str, Any]:
    body = {
        "jsonrpc": "2.0",
        "method": "authApi.setAuthState",
        "params": [{"action": action, **fields}],
        "id": 1,
    }
    response = client.post("/aws-blocks/api", json=body)
    assert response.status_code == 200, response.text
    return result_of(response)


def test_backend_workers_share_everything_through_the_database(
    two_workers: tuple[str, subprocess.Popen[str]],
) -> None:
    base, process = two_workers
    workers = _workers_of(process.pid)
    assert len(workers) == 2
    with httpx.Client(base_url=base) as client:
        assert _call(client, "signUp", username="multi", password=STRONG, autoSignIn="false")["state"] == (
            "confirmingSignUp"
        )
        (record,) = client.get("/dev/outbox.json").json()
        assert "error" not in _call(client, "confirmSignUp", username="multi", code=record["code"])
        assert _call(client, "signIn", username="multi", password=STRONG)["state"] == "signedIn"
        os.kill(workers[0], signal.SIGKILL)  # whichever worker held anything in memory is gone
        deadline = time.monotonic() + 30
        while True:  # the surviving worker (and uvicorn's replacement) answer from the database
            try:
                body = {"jsonrpc": "2.0", "method": "authApi.getAuthState", "params": [], "id": 2}
                state = result_of(client.post("/aws-blocks/api", json=body))
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert state["state"] == "signedIn" and state["user"]["username"] == "multi"
        assert httpx.get(f"{base}/healthz").status_code == 200


HOP_SECRET = "a-secret-the-page-and-backend-share-0123456789"


async def _wrong_sign_in_told(backend: Any, told: str | None) -> str:
    async with RpcClient(backend, address="127.0.0.1") as client:  # every call comes from the page
        if told is not None:
            client.http.headers[VISITOR_HEADER] = told
        state = await client.set("signIn", username="someone", password="Wr0ng-guess!")
        return str(state.get("errorName"))


async def test_a_signed_visitor_address_gives_each_visitor_their_own_budget(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(
        visitor_hop_secret=HOP_SECRET,
        rate_limits=RateLimits(failures_per_address=2, failures_per_username=100),
    )
    attacker = sign_visitor(HOP_SECRET, "203.0.113.66", clock())
    for _ in range(2):
        assert await _wrong_sign_in_told(backend, attacker) == "NotAuthorizedException"
    assert await _wrong_sign_in_told(backend, attacker) == "TooManyRequestsException"
    bystander = sign_visitor(HOP_SECRET, "198.51.100.20", clock())
    assert await _wrong_sign_in_told(backend, bystander) == "NotAuthorizedException"


async def test_an_unsigned_or_forged_visitor_address_is_ignored(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(
        visitor_hop_secret=HOP_SECRET,
        rate_limits=RateLimits(failures_per_address=2, failures_per_username=100),
    )
    forged = [
        "203.0.113.1",  # no signature at all
        sign_visitor("not-the-shared-secret-0123456789abcdef", "203.0.113.2", clock()),
        sign_visitor(HOP_SECRET, "203.0.113.3", clock() - 3600),  # an old, captured header
        sign_visitor(HOP_SECRET, "203.0.113.4", clock()).replace("203.0.113.4", "203.0.113.5", 1),
        f"203.0.113.6;{int(clock())};\u00e9\u00e9",  # not ASCII: refused, not a crash
        "203.0.113.7;\u00b2;x",
    ]
    answers = [await _wrong_sign_in_told(backend, told) for told in forged]
    # All counted against the page's own address: the third is already over its budget.
    assert answers == ["NotAuthorizedException"] * 2 + ["TooManyRequestsException"] * 4


def test_visitor_hop_secret_must_be_long() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        BackendSettings(visitor_hop_secret="short")


@pytest.mark.topology
async def test_acknowledged_sign_ups_survive_kill_9_of_a_worker(
    two_workers: tuple[str, subprocess.Popen[str]], database: str
) -> None:
    """200 concurrent sign-ups; one worker is killed mid-load; every acknowledged one is stored."""
    base, process = two_workers
    victim = _workers_of(process.pid)[0]
    total, kill_after = 200, 50
    acknowledged: list[str] = []
    failures: list[str] = []
    killed = asyncio.Event()

    async def sign_up(client: httpx.AsyncClient, n: int) -> None:
        name = f"load{n:03d}"
        visitor = {"X-Forwarded-For": f"10.1.0.{n}"}  # many visitors behind one trusted proxy
        body = {
            "jsonrpc": "2.0",
            "method": "authApi.setAuthState",
            "params": [{"action": "signUp", "username": name, "password": STRONG, "autoSignIn": "false"}],
            "id": 1,
        }
        try:
            response = await client.post("/aws-blocks/api", json=body, headers=visitor)
        except httpx.TransportError as exc:
            failures.append(type(exc).__name__)
            return  # the killed worker's requests: never acknowledged
        if (
            response.status_code == 200
            and response.json().get("result", {}).get("state") == "confirmingSignUp"
        ):
            acknowledged.append(name)
        else:
            failures.append(f"{response.status_code} {response.text[:200]}")
        if len(acknowledged) == kill_after and not killed.is_set():
            killed.set()
            os.kill(victim, signal.SIGKILL)

    limits = httpx.Limits(max_connections=32)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await asyncio.gather(*(sign_up(client, n) for n in range(total)))
    assert killed.is_set()
    store = open_store(database)
    try:
        with store.read() as db:
            present = {row[0] for row in db.execute("SELECT username FROM users")}
    finally:
        store.close()
    lost = sorted(set(acknowledged) - present)
    print(
        f"\n{store.engine}: {len(acknowledged)} of {total} sign-ups acknowledged, {len(lost)} lost after kill -9"
    )
    print(f"unacknowledged: {len(failures)} ({', '.join(sorted(set(failures))[:3])})")
    assert lost == []
    assert len(acknowledged) > kill_after
