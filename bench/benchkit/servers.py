"""Start and stop the servers a bench measures: ``serve`` (the real command) and the bare page.

Each runs as its own process group on a free loopback port with a clean
environment (NiceGUI changes behaviour when it sees pytest's variables), and is
stopped by the bench that started it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMAND = str(Path(sys.executable).parent / "nicegui-authenticator")
PASSWORD = "Corr3ct-Horse!"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_", "COV_CORE_"))}
    # Cached bytecode, as an installed package has it from pip: without it an editable checkout
    # recompiles ~200 modules of ours on every start (a third of a second on the 2-core VM).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


@dataclass
class Server:
    """A started server: its process, port, and how long it took to answer its first 200."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    start_seconds: float

    @property
    def url(self) -> str:
        # "localhost", not 127.0.0.1: the embedded backend's WebAuthn relying party id.
        return f"http://localhost:{self.port}"

    def rss_mib(self) -> float:
        """Resident memory of the server process, from /proc (Linux)."""
        return _rss_mib(self.process.pid)

    def tree_rss_mib(self) -> float:
        """Resident memory of the server and every process it started (a worker pool would count)."""
        return sum(_rss_mib(pid) for pid in _process_tree(self.process.pid))

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def _rss_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:  # a child that just ended
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0  # a zombie has no VmRSS


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from each thread's ``children`` list in /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except FileNotFoundError:
                continue
    return found


def _start(name: str, args: list[str], port: int, workdir: Path, env: dict[str, str] | None) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    log = (workdir / f"{name}.log").open("ab")
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=workdir, env=_clean_env(env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = started + 60
    url = f"http://127.0.0.1:{port}/"
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {(workdir / f'{name}.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return Server(name, process, port, time.perf_counter() - started)
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"{name} did not answer in 60 s")


def start_serve(workdir: Path, *extra: str, env: dict[str, str] | None = None) -> Server:
    """The real ``nicegui-authenticator serve`` (embedded backend, development mode)."""
    port = free_port()
    args = [COMMAND, "serve", "--port", str(port), "--data-dir", str(workdir / "data")]
    args += ["--db", str(workdir / "auth.sqlite3"), "--outbox-file", str(workdir / "outbox.jsonl")]
    args += ["--origin", f"http://localhost:{port}", *extra]
    return _start("serve", args, port, workdir, env)


def start_bare(workdir: Path) -> Server:
    """The bare NiceGUI page (one label, one input)."""
    port = free_port()
    return _start("bare", [sys.executable, str(HERE / "bare_page.py"), str(port)], port, workdir, None)


def add_users(db: Path, plain: list[str], email_mfa: list[str]) -> None:
    """Accounts for the benches, written before ``serve`` opens the database.

    ``plain`` users sign straight in; ``email_mfa`` users are asked for an email
    code after their password (the cheap-call rows submit a wrong one).
    """
    from nicegui_authenticator.backend.app import ReferenceBackend
    from nicegui_authenticator.backend.settings import BackendSettings

    with ReferenceBackend(BackendSettings(db_path=str(db))) as backend:
        for name in plain:
            backend.add_user(name, PASSWORD, temporary=False)
        for name in email_mfa:
            backend.add_user(name, PASSWORD, temporary=False, email=f"{name}@example.com")
        with backend._parts.store.transaction() as db_:
            db_.executemany("UPDATE users SET email_mfa = 1 WHERE username = ?", [(n,) for n in email_mfa])
