"""Issue 11, finding 6 (second half): anonymous page loads must not pile up storage files."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from nicegui_authenticator.ui.hosted.storage_pruning import holds_no_sign_in, prune_anonymous_storage
from nicegui_authenticator.ui.session.browser_session import STORAGE_PREFIX, BrowserSessionApi

JAR_KEY = STORAGE_PREFIX + "0123456789abcdef"
NOW = 1_800_000_000.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _jar(*expires: float | None) -> dict[str, object]:
    cookies = [
        {"name": f"c{n}", "value": "v", "domain": "localhost", "path": "/", "expires": e, "created": NOW - 10}
        for n, e in enumerate(expires)
    ]
    return {JAR_KEY: {"version": 1, "cookies": cookies}}


def _write(directory: Path, name: str, data: object, *, age: float) -> Path:
    path = directory / f"storage-user-{name}.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    os.utime(path, (NOW - age, NOW - age))
    return path


def _load_anonymously(port: int, times: int) -> None:
    deadline = time.monotonic() + 40
    loaded = 0
    while loaded < times:
        try:
            # a fresh request without cookies each time: a new browser for NiceGUI
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                assert response.status == 200
            loaded += 1
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_finding_6_anonymous_storage_is_pruned(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    data = tmp_path / "data"
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "nicegui-authenticator"), "serve", "--port", str(port),
         "--data-dir", str(data)],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _load_anonymously(port, 5)
    finally:
        process.terminate()
        process.wait(timeout=20)  # NiceGUI writes pending storage on the way out
    sessions = data / "sessions"
    signed_in = _write(sessions, "signed-in", _jar(time.time() + 86400), age=48 * 3600)

    prune_anonymous_storage(sessions, older_than=0)

    assert sorted(p.name for p in sessions.glob("storage-user-*.json")) == [signed_in.name]


def test_pruning_keeps_recent_signed_in_and_unreadable_files(tmp_path: Path) -> None:
    hour = 3600.0
    gone = [
        _write(tmp_path, "expired-challenge", _jar(NOW - 60), age=7 * hour),
        _write(tmp_path, "no-jar", {"nicegui_authenticator.known_user.x": None}, age=7 * hour),
    ]
    kept = [
        _write(tmp_path, "recent", _jar(NOW - 60), age=hour),  # a visit may still be going on
        _write(tmp_path, "signed-in", _jar(NOW - 60, NOW + 86400), age=30 * hour),
        _write(tmp_path, "session-cookie", _jar(None), age=30 * hour),
        _write(tmp_path, "sealed", {JAR_KEY: "gAAAAB..."}, age=30 * hour),
        _write(tmp_path, "broken", "{not json", age=30 * hour),
    ]
    removed = prune_anonymous_storage(tmp_path, older_than=6 * hour, now=NOW)
    assert sorted(removed) == sorted(gone)
    assert all(path.exists() for path in kept) and not any(path.exists() for path in gone)


def test_holds_no_sign_in_reads_only_the_jar_format() -> None:
    assert holds_no_sign_in({}, NOW) is True
    assert holds_no_sign_in(_jar(NOW + 1), NOW) is False
    assert holds_no_sign_in(_jar(NOW - 1), NOW) is True
    assert holds_no_sign_in([], NOW) is None


async def test_an_empty_cookie_jar_is_not_stored() -> None:
    class NoCookies:
        endpoint = "http://localhost/aws-blocks/api"

        def for_session(self, session: object, **_: object) -> NoCookies:
            return self

        async def get_auth_state(self) -> str:
            return "signed out"

    store: dict[str, object] = {JAR_KEY: {"version": 1, "cookies": []}}
    api = BrowserSessionApi(NoCookies(), store, JAR_KEY)  # type: ignore[arg-type]
    await api.get_auth_state()
    assert store == {}
