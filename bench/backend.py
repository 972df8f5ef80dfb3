"""Requests per second of the reference backend over real HTTP, against a bare Starlette baseline.

Run: ``python bench/backend.py`` (about 50 seconds). Each server runs in its
own process under uvicorn on 127.0.0.1 (both started once, only one loaded at
a time); the client is a minimal keep-alive HTTP/1.1 client (asyncio streams,
16 connections) in this process. Every sample of a row is taken right next to
a sample of the bare baseline, in alternating order, for several rounds, and
the ratio printed is the median of the per-round ratios: one noisy moment of
the shared machine then moves a pair, not every ratio. Measured:

* ``bare``: a Starlette endpoint that parses the JSON body and answers a
  fixed JSON-RPC result: the floor any JSON-RPC server on this stack pays;
* ``getAuthState`` signed out (no cookie) and signed in (cookie, two lookups);
* ``confirmSignIn`` with a wrong email-MFA code: rate-limit check, constant-time
  code check, attempt and failure bookkeeping. The attempt limits are raised
  (and the rate-limit window shortened to 1 s) for the run, so every request
  takes that full path instead of the cheap "limit reached" one;
* ``signIn``'s own CPU, besides its one password hash: sign-ins (a fresh
  browser each: new session, new known device) on a server whose scrypt cost
  is the cheapest there is, minus that cheap hash's CPU; its baseline is the
  CPU of one hash at the default cost, measured in this process right next to
  it. The ratio is the share of a sign-in's CPU that is not the hash (hashing
  is what bounds sign-ins per second, so the rest must stay a small share);
* the time of one password hash at the default scrypt cost.

Each row is printed twice: requests per wall second, and requests per second
of the server process's own CPU (utime + stime of all its threads, from /proc).
On the shared 2-core machine the first moves with the neighbours' load; the
second is what the code costs, and is the steadier ratio.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchkit.host import describe_host
from benchkit.stats import Row, print_table

DURATION = 1.0
WARMUP = 0.3
ROUNDS = 5
CONNECTIONS = 16
PATH = "/aws-blocks/api"
PASSWORD = "Corr3ct-Horse!"  # passes the default policy (not a common password)
SIGN_IN_ROW = "signIn, CPU besides the hash"
CHEAP_SCRYPT_N = 2**4  # the cheapest cost scrypt takes: its hash is a few microseconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(kind: str, port: int, db_dir: str) -> None:
    import uvicorn

    if kind == "bare":
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        async def endpoint(request: Request) -> JSONResponse:
            body = await request.json()
            return JSONResponse(
                {"jsonrpc": "2.0", "result": {"state": "signedOut", "actions": []}, "id": body.get("id")}
            )

        app: Any = Starlette(routes=[Route(PATH, endpoint, methods=["POST"])])
    else:
        import logging

        from nicegui_authenticator.backend.app import ReferenceBackend
        from nicegui_authenticator.backend.audit import AUDIT_LOGGER
        from nicegui_authenticator.backend.settings import BackendSettings, RateLimits, ScryptCost

        limits = RateLimits(
            window_seconds=1.0,
            failures_per_username=10**9,
            failures_per_account=10**9,
            failures_per_address=10**9,
        )
        settings = BackendSettings(
            db_path=str(Path(db_dir) / f"{kind}.sqlite3"),
            sign_in_with=("username",),
            max_code_attempts=10**9,
            rate_limits=limits,
            password_hash_cost=ScryptCost(n=CHEAP_SCRYPT_N) if kind == "cheap-hash" else ScryptCost(),
        )
        backend = ReferenceBackend(settings)
        backend.add_user("bench", PASSWORD, temporary=False, email="bench@example.com")
        backend.add_user("plain", PASSWORD, temporary=False)
        if kind == "cheap-hash":  # an account per connection: concurrent sign-ins to one would be paced
            for n in range(CONNECTIONS):
                backend.add_user(f"plain{n}", PASSWORD, temporary=False)
        with backend._parts.store.transaction() as db:  # enrol email MFA for "bench"
            db.execute("UPDATE users SET email_mfa = 1 WHERE username = 'bench'")
        app = backend.asgi_app
        # Audit lines are still made, but not printed: a run makes thousands (every wrong code).
        logging.getLogger(AUDIT_LOGGER).addHandler(logging.NullHandler())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


class Connection:
    """A keep-alive HTTP/1.1 connection that POSTs JSON and reads Content-Length replies."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int) -> None:
        self.reader, self.writer, self.port = reader, writer, port

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer, port)

    async def post(self, body: bytes, cookie: str = "") -> tuple[bytes, list[str]]:
        head = f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {len(body)}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        headers = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        if not headers[0].startswith("HTTP/1.1 200"):
            raise RuntimeError(headers[0])
        length = 0
        cookies = []
        for line in headers[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "set-cookie":
                cookies.append(value.strip().split(";")[0])
        return await self.reader.readexactly(length), cookies

    def close(self) -> None:
        self.writer.close()


def _call(method: str, params: list[Any]) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "method": f"authApi.{method}", "params": params, "id": 1}).encode()


def _cpu_seconds(pid: int) -> float:
    """CPU time the process (all its threads) has used, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    """One DURATION of load on one server."""

    per_second: float  # requests completed per wall second
    per_cpu_second: float  # requests per second of the server's CPU: what neighbours cannot take away


async def _rate(port: int, pid: int, body: bytes | list[bytes], cookie: str = "", check: str = "") -> Sample:
    """Requests completed per second over DURATION, after WARMUP, on CONNECTIONS connections.

    ``body``: one for all connections, or one per connection. An unexpected reply fails the run.
    """
    bodies = body if isinstance(body, list) else [body] * CONNECTIONS
    connections = [await Connection.open(port) for _ in range(CONNECTIONS)]
    counting = False
    done = 0

    async def worker(connection: Connection, body: bytes) -> None:
        nonlocal done
        while True:
            reply, _ = await connection.post(body, cookie)
            if check and check.encode() not in reply:
                raise RuntimeError(f"unexpected reply: {reply[:200]!r}")
            if counting:
                done += 1

    tasks = [asyncio.create_task(worker(c, b)) for c, b in zip(connections, bodies, strict=True)]
    await asyncio.sleep(WARMUP)
    counting = True
    start, cpu_start = time.perf_counter(), _cpu_seconds(pid)
    await asyncio.sleep(DURATION)
    counting = False
    elapsed, cpu = time.perf_counter() - start, _cpu_seconds(pid) - cpu_start
    failed = [error for task in tasks if task.done() and (error := task.exception()) is not None]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if failed:
        raise failed[0]
    for c in connections:
        c.close()
    return Sample(done / elapsed, done / cpu if cpu else float("nan"))


async def _wait_for(port: int, process: multiprocessing.process.BaseProcess) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not process.is_alive():
            raise RuntimeError("server process died")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError("server did not start")


def _start(kind: str, db_dir: str) -> tuple[int, multiprocessing.process.BaseProcess]:
    port = _free_port()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(kind, port, db_dir), daemon=True
    )
    process.start()
    return port, process


async def _backend_rows(port: int) -> dict[str, tuple[bytes, str, str]]:
    """Each row's (request body, cookie, text its reply must hold), after one real sign-in each."""
    setup = await Connection.open(port)
    _, cookies = await setup.post(
        _call("setAuthState", [{"action": "signIn", "username": "plain", "password": PASSWORD}])
    )
    reply, _ = await setup.post(
        _call("setAuthState", [{"action": "signIn", "username": "bench", "password": PASSWORD}])
    )
    setup.close()
    fields = json.loads(reply)["result"]["actions"][0]["fields"]
    session = next(f["defaultValue"] for f in fields if f["name"] == "session")
    wrong = {"action": "confirmSignIn", "session": session, "challenge": "code", "code": "000000"}
    return {
        "getAuthState (signed out)": (_call("getAuthState", []), "", "signedOut"),
        "getAuthState (signed in)": (_call("getAuthState", []), cookies[0], "signedIn"),
        "confirmSignIn, wrong code": (_call("setAuthState", [wrong]), "", '"retriable":true'),
    }


def _hash_cpu(n: int | None = None, count: int = 1) -> float:
    """CPU seconds of one password check (a verify: what a sign-in pays) at scrypt ``n`` (default cost)."""
    from nicegui_authenticator.backend.passwords import PasswordHasher
    from nicegui_authenticator.backend.settings import ScryptCost

    hasher = PasswordHasher(ScryptCost() if n is None else ScryptCost(n=n))
    stored = hasher.hash(PASSWORD)
    start = time.process_time()
    for _ in range(count):
        hasher.verify(PASSWORD, stored)
    return (time.process_time() - start) / count


async def _sign_in_pair(port: int, pid: int, cheap_hash: float, hash_first: bool) -> tuple[float, float]:
    """(signIn's CPU besides its hash, one default-cost hash's CPU), in ms, measured back to back."""
    body = [
        _call("setAuthState", [{"action": "signIn", "username": f"plain{n}", "password": PASSWORD}])
        for n in range(CONNECTIONS)
    ]
    hash_ms = _hash_cpu(count=2) * 1000 if hash_first else 0.0
    sample = await _rate(port, pid, body, check='"signedIn"')
    if not hash_first:
        hash_ms = _hash_cpu(count=2) * 1000
    return (1 / sample.per_cpu_second - cheap_hash) * 1000, hash_ms


async def _measure(db_dir: str) -> tuple[dict[str, list[tuple[Sample, Sample]]], list[tuple[float, float]]]:
    """Per row, ROUNDS pairs of (row sample, bare sample), the two measured back to back;
    and ROUNDS pairs of (signIn's CPU besides the hash, one default-cost hash), in ms."""
    bare_port, bare = _start("bare", db_dir)
    port, backend = _start("backend", db_dir)
    cheap_port, cheap = _start("cheap-hash", db_dir)
    try:
        await _wait_for(bare_port, bare)
        await _wait_for(port, backend)
        await _wait_for(cheap_port, cheap)
        rows = await _backend_rows(port)
        bare_body = _call("getAuthState", [])
        pairs: dict[str, list[tuple[Sample, Sample]]] = {name: [] for name in rows}
        sign_ins: list[tuple[float, float]] = []
        cheap_hash = _hash_cpu(CHEAP_SCRYPT_N, count=200)
        assert bare.pid is not None and backend.pid is not None and cheap.pid is not None
        for n in range(ROUNDS):
            sign_ins.append(await _sign_in_pair(cheap_port, cheap.pid, cheap_hash, hash_first=bool(n % 2)))
            for name, (body, cookie, check) in rows.items():
                # Alternate which goes first, so neither side always gets the quieter moment.
                if n % 2:
                    theirs = await _rate(bare_port, bare.pid, bare_body, check='"result"')
                    ours = await _rate(port, backend.pid, body, cookie=cookie, check=check)
                else:
                    ours = await _rate(port, backend.pid, body, cookie=cookie, check=check)
                    theirs = await _rate(bare_port, bare.pid, bare_body, check='"result"')
                pairs[name].append((ours, theirs))
        return pairs, sign_ins
    finally:
        for process in (bare, backend, cheap):
            process.terminate()
            process.join(10)


def _hash_times() -> tuple[float, float]:
    """(fastest, median) of five hashes: the fastest is the cost itself, the median shows machine load."""
    from nicegui_authenticator.backend.passwords import PasswordHasher
    from nicegui_authenticator.backend.settings import ScryptCost

    hasher = PasswordHasher(ScryptCost())
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        hasher.hash(PASSWORD)
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


def _per_second(sample: Sample) -> float:
    return sample.per_second


def _per_cpu_second(sample: Sample) -> float:
    return sample.per_cpu_second


async def main() -> int:
    fastest, median = _hash_times()  # first, while nothing else runs
    with tempfile.TemporaryDirectory() as db_dir:
        pairs, sign_ins = await _measure(db_dir)
    print(f"machine: {describe_host()}")
    print(
        f"uvicorn on 127.0.0.1, {CONNECTIONS} keep-alive connections, {DURATION:.0f} s per sample, "
        f"{ROUNDS} rounds; each sample next to a bare Starlette sample; ratio = median of per-round ratios"
    )
    rows = []
    for name, samples in pairs.items():
        target = ">= 0.5" if name == "getAuthState (signed in)" else ""
        for unit, rate in (("req/s", _per_second), ("req per CPU-s", _per_cpu_second)):
            ours = [rate(o) for o, _ in samples]
            bare = [rate(t) for _, t in samples]
            rows.append(Row(name, unit, "bare Starlette", ours, bare, target))
    rows.append(
        Row(
            SIGN_IN_ROW,
            "CPU ms per sign-in",
            "one password hash, default cost",
            [ours for ours, _ in sign_ins],
            [theirs for _, theirs in sign_ins],
            "<= 0.1",
        )
    )
    print_table(
        "req/s: requests per wall second; req per CPU-s: per second of the server process's CPU "
        "(all threads), which a busy neighbour on a shared machine cannot take away",
        rows,
    )
    from nicegui_authenticator.backend.settings import ScryptCost

    cost = ScryptCost()
    print(
        f"password hash (scrypt n=2**{cost.n.bit_length() - 1}, r={cost.r}, p={cost.p}): "
        f"{fastest * 1000:.0f} ms (median of 5: {median * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
