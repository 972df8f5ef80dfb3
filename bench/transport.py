"""What AuthClient costs over a bare httpx POST, measured against the same local server in one run.

    python bench/transport.py [--calls 2000] [--max-ratio 1.25]

A uvicorn server in a child process (so it does not share our GIL) answers
every POST with the recorded signedOut AuthState of the AWS Blocks basic
server. Two clients call it N times each, in alternating rounds so drift
(CPU frequency, other load) hits both alike:

* raw: ``httpx.AsyncClient.post`` of a fixed getAuthState body, then ``response.json()``;
* AuthClient: ``get_auth_state()``: body encoding with a fresh id, the cookie
  jar, streamed capped read, envelope checks, AuthState validation, logging guard.

It prints calls/s and µs/call for both, their ratio, and the in-process cost of
each layer AuthClient adds (measured without a socket), which is what the
ratio is made of. Exits 1 when the ratio exceeds ``--max-ratio``, and stops by
itself well under a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from nicegui_authenticator.client import AuthClient, CookieSession
from nicegui_authenticator.client.jsonrpc import decode_reply, encode_request

FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "tests/fixtures/aws-blocks/basic_signup_confirm_signin_signout.jsonl"
)
PATH = "/aws-blocks/api"
ROUNDS = 40
WARMUP = 200
DEADLINE_S = 50.0


def recorded_signed_out() -> dict[str, Any]:
    """The basic server's answer to the first getAuthState of a flow (step 1 of the recording)."""
    first = json.loads(FIXTURE.read_text(encoding="utf-8").splitlines()[0])
    assert first["request"]["body"]["method"] == "authApi.getAuthState", "unexpected fixture"
    result: dict[str, Any] = first["response"]["body"]["result"]
    assert result["state"] == "signedOut"
    return result


# -- the server (child process) ------------------------------------------------------------------


def serve() -> None:
    import uvicorn

    result = json.dumps(recorded_signed_out()).encode()
    prefix, suffix = b'{"jsonrpc":"2.0","result":' + result + b',"id":', b"}"

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        reply = prefix + str(json.loads(body)["id"]).encode() + suffix
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(reply)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": reply})

    # IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted sockets (no 40 ms delayed-ACK stalls).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    config = uvicorn.Config(
        app, lifespan="off", log_config=None, log_level="warning", access_log=False, interface="asgi3"
    )
    uvicorn.Server(config).run(sockets=[sock])


def start_server() -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    port = child.stdout.readline().strip()
    if not port.isdigit():
        child.kill()
        raise RuntimeError("the benchmark server did not start")
    url = f"http://127.0.0.1:{port}{PATH}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # wait until it answers
        try:
            httpx.post(url, content=encode_request("authApi.getAuthState", [], 1), timeout=1)
            return child, url
        except httpx.TransportError:
            time.sleep(0.05)
    child.kill()
    raise RuntimeError("the benchmark server does not answer")


# -- the clients ------------------------------------------------------------------------------------


async def timed(call: Callable[[], Awaitable[object]], n: int) -> tuple[float, float]:
    """Wall-clock and this process's CPU seconds for ``n`` sequential calls."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        await call()
    return time.perf_counter() - wall, time.process_time() - cpu


@dataclass
class Totals:
    wall: float = 0.0
    cpu: float = 0.0

    def add(self, measured: tuple[float, float]) -> None:
        self.wall += measured[0]
        self.cpu += measured[1]


async def compare(url: str, calls: int) -> tuple[Totals, Totals, float, float, int]:
    """Totals for raw and AuthClient, the median per-round wall and CPU ratios, and calls per client."""
    raw_body = encode_request("authApi.getAuthState", [], 1)
    per_round = max(1, calls // ROUNDS)
    async with httpx.AsyncClient() as raw, AuthClient(url) as client:

        async def raw_call() -> object:
            response = await raw.post(url, content=raw_body, headers={"content-type": "application/json"})
            return response.json()

        await timed(raw_call, WARMUP)
        await timed(client.get_auth_state, WARMUP)
        raw_totals, client_totals = Totals(), Totals()
        wall_ratios, cpu_ratios = [], []
        for i in range(ROUNDS):
            if i % 2:  # alternate who goes first
                raw_round = await timed(raw_call, per_round)
                client_round = await timed(client.get_auth_state, per_round)
            else:
                client_round = await timed(client.get_auth_state, per_round)
                raw_round = await timed(raw_call, per_round)
            raw_totals.add(raw_round)
            client_totals.add(client_round)
            wall_ratios.append(client_round[0] / raw_round[0])
            cpu_ratios.append(client_round[1] / max(raw_round[1], 1e-9))
    return (
        raw_totals,
        client_totals,
        statistics.median(wall_ratios),
        statistics.median(cpu_ratios),
        per_round * ROUNDS,
    )


def layer_costs() -> dict[str, float]:
    """µs per call of what differs between the two paths, measured without a socket.

    AuthClient adds body encoding, the cookie jar and AuthState validation; it
    saves httpx's ``build_request`` (header/cookie/param merging: it builds an
    ``httpx.Request`` itself) and the parsing half of httpx's cookie extraction.
    """
    url = "http://127.0.0.1/aws-blocks/api"
    reply = json.dumps({"jsonrpc": "2.0", "result": recorded_signed_out(), "id": 7}).encode()
    body = encode_request("authApi.getAuthState", [], 7)
    session = CookieSession()
    session.store(url, ["auth=eyJhbGciOi.payload.sig; HttpOnly; Path=/"])
    empty = CookieSession()
    raw = httpx.AsyncClient()
    headers = [(b"content-type", b"application/json"), (b"accept", b"application/json")]
    timeout = {"timeout": httpx.Timeout(10.0).as_dict()}
    costs = {
        "raw: httpx build_request": lambda: raw.build_request("POST", url, content=body, headers=headers),
        "AuthClient: httpx.Request directly": lambda: httpx.Request(
            "POST", url, headers=headers, content=body, extensions=dict(timeout)
        ),
        "encode request body": lambda: encode_request("authApi.getAuthState", [], 7),
        "cookie header (empty jar)": lambda: empty.header_for("http://127.0.0.1/aws-blocks/api"),
        "cookie header (one cookie)": lambda: session.header_for("http://127.0.0.1/aws-blocks/api"),
        "json.loads only (raw does this too)": lambda: json.loads(reply),
        "decode reply + AuthState validation": lambda: decode_reply(
            reply, method="authApi.getAuthState", request_id=7, status=200
        ),
    }
    return {name: min(timeit.repeat(fn, number=2000, repeat=5)) / 2000 * 1e6 for name, fn in costs.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per client (bounded to 20000)")
    parser.add_argument("--max-ratio", type=float, default=1.25, help="fail above this AuthClient/raw ratio")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    calls = min(max(args.calls, ROUNDS), 20000)
    child, url = start_server()
    try:
        raw, ours, wall_ratio, cpu_ratio, n = asyncio.run(asyncio.wait_for(compare(url, calls), DEADLINE_S))
    finally:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
    print(
        f"getAuthState x {n} per client, sequential, against a local uvicorn (recorded signedOut AuthState)"
    )
    for name, totals in (("raw httpx POST + json", raw), ("AuthClient", ours)):
        per_call = totals.wall / n
        print(
            f"  {name:22s}: {1 / per_call:7.0f} calls/s {per_call * 1e6:8.1f} µs/call  (client CPU {totals.cpu / n * 1e6:6.1f} µs/call)"
        )
    print(f"  ratio AuthClient/raw, wall clock : {wall_ratio:.3f}  (median of {ROUNDS} alternating rounds)")
    print(
        f"  ratio AuthClient/raw, client CPU : {cpu_ratio:.3f}  (the gate: steady under load from other processes)"
    )
    print("  in-process cost of what differs between the two paths (µs/call):")
    for name, micros in layer_costs().items():
        print(f"    {name:38s} {micros:6.1f}")
    if cpu_ratio > args.max_ratio:
        print(f"FAIL: client CPU ratio {cpu_ratio:.3f} above {args.max_ratio}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
