"""Where the reference backend's time goes: py-spy on its server while one row of ``bench/backend.py`` runs.

Run: ``python bench/benchkit/profile_backend.py ROW [SECONDS] [STACKS_FILE]`` (needs ``make install-bench``
for py-spy), ROW one of ``signed-in``, ``signed-out``, ``sign-in`` (a cheap-hash server, an account per
connection, as the bench's signIn row) or ``bare`` (the bare Starlette baseline). The server is started
and loaded exactly as ``bench/backend.py`` does; prints its requests per CPU-second and the functions
holding the most busy samples (``profile_page.top_lines``: inclusive and self, idle waits left out).

A tool for the closing note of a speed change (issue 15), not one of ``make bench``'s rows.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: bench/ holds benchkit
import backend as bench
from benchkit.profile_page import PY_SPY, top_lines

ROWS = {
    "signed-in": "getAuthState (signed in)",
    "signed-out": "getAuthState (signed out)",
}


def _load(row: str, port: int) -> tuple[bytes | list[bytes], str, str]:
    """The request body (or one per connection), cookie and expected reply text of ``row``."""
    if row == "bare":
        return bench._call("getAuthState", []), "", '"result"'
    if row == "sign-in":
        bodies = [
            bench._call(
                "setAuthState", [{"action": "signIn", "username": f"plain{n}", "password": bench.PASSWORD}]
            )
            for n in range(bench.CONNECTIONS)
        ]
        return bodies, "", '"signedIn"'
    return asyncio.run(bench._backend_rows(port))[ROWS[row]]


def main() -> int:
    row = sys.argv[1] if len(sys.argv) > 1 else "signed-in"
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    kind = {"bare": "bare", "sign-in": "cheap-hash"}.get(row, "backend")
    with tempfile.TemporaryDirectory() as tmp:
        port, server = bench._start(kind, tmp)
        out = Path(tmp) / "stacks.txt"
        try:
            asyncio.run(bench._wait_for(port, server))
            assert server.pid is not None
            body, cookie, check = _load(row, port)
            asyncio.run(bench._rate(port, server.pid, body, cookie, check))  # warm up, unprofiled
            command = [PY_SPY, "record", "--format", "raw", "--rate", "250", "--output", str(out)]
            spy = subprocess.Popen(
                [*command, "--pid", str(server.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)
            bench.DURATION = seconds
            sample = asyncio.run(bench._rate(port, server.pid, body, cookie, check))
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=30)
        finally:
            server.terminate()
            server.join(10)
        print(
            f"{row}: {sample.per_second:,.0f} req/s, {sample.per_cpu_second:,.0f} req per CPU-s (under py-spy)"
        )
        print("\n".join(top_lines(out.read_text())))
        if len(sys.argv) > 3:  # keep the collapsed stacks (e.g. for a flame graph)
            Path(sys.argv[3]).write_text(out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
