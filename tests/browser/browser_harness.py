"""Processes and browser plumbing for the Playwright suite (no tests here).

The suite drives the real command a newcomer runs: ``nicegui-authenticator
serve`` as a subprocess on a free port with its own temporary data directory,
so what passes here is what ``make run`` shows. Codes come from the file the
backend appends every "sent" code to (``--outbox-file``); TOTP secrets come
from decoding the QR code as rendered on screen.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import zxingcpp
from accessibility import assert_accessible
from PIL import Image
from playwright.sync_api import BrowserContext, CDPSession, Locator, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"
# The console script a newcomer runs, from the same environment as the tests.
COMMAND = [str(Path(sys.executable).parent / "nicegui-authenticator")]
PASSWORD = "Corr3ct-Horse!"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers: up
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


@dataclass
class Process:
    """One server subprocess (``serve``, ``backend``, an example app), restartable."""

    name: str
    args: list[str]
    port: int
    workdir: Path
    ready_path: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=lambda: list(COMMAND))
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    @property
    def base_url(self) -> str:
        # "localhost", not 127.0.0.1: the WebAuthn relying party id is "localhost".
        return f"http://localhost:{self.port}"

    def start(self) -> Process:
        self.workdir.mkdir(parents=True, exist_ok=True)
        # A clean environment as a person's shell has: NiceGUI switches to its test
        # mode when it sees pytest's variables, and our own settings must not leak in.
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTEST_", "NICEGUI_", "COV_CORE_"))
        }
        env.update({"PYTHONUNBUFFERED": "1", **self.env})
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*self.command, *self.args],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_http(f"http://127.0.0.1:{self.port}{self.ready_path}", self.process, self.log_path)
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def kill(self) -> None:
        """Stop at once, as a crashed or unplugged backend would."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=5)

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


@dataclass
class Outbox:
    """The JSON lines the backend appends for every code it "sends" (``--outbox-file``)."""

    path: Path

    def records(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def count(self) -> int:
        return len(self.records())

    def wait_code(self, to: str, *, purpose: str | None = None, after: int = 0, timeout: float = 10.0) -> str:
        """The newest code for ``to`` among records past index ``after`` (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for record in reversed(self.records()[after:]):
                if record["to"] == to and (purpose is None or record["purpose"] == purpose):
                    return record["code"]
            if time.monotonic() > deadline:
                raise AssertionError(f"no {purpose or ''} code for {to!r} in {self.path}: {self.records()}")
            time.sleep(0.1)


@dataclass
class Serve:
    """A running ``nicegui-authenticator serve`` with its outbox."""

    process: Process
    outbox: Outbox
    db: Path

    @property
    def base_url(self) -> str:
        return self.process.base_url

    @property
    def port(self) -> int:
        return self.process.port


def start_serve(workdir: Path, *extra: str, embedded: bool = True) -> Serve:
    """``serve`` on a free port; embedded ones get a database, an outbox file and WebAuthn origins."""
    port = free_port()
    db = workdir / "auth.sqlite3"
    outbox = workdir / "outbox.jsonl"
    args = ["serve", "--port", str(port), "--data-dir", str(workdir / "data")]
    if embedded:
        args += ["--db", str(db), "--outbox-file", str(outbox), "--rp-id", "localhost"]
        args += ["--origin", f"http://localhost:{port}"]
    process = Process("serve", [*args, *extra], port, workdir).start()
    return Serve(process, Outbox(outbox), db)


def start_backend(workdir: Path, *extra: str, port: int | None = None) -> tuple[Process, Outbox]:
    """``nicegui-authenticator backend --dev`` alone (for ``serve --endpoint``)."""
    port = port or free_port()
    outbox = workdir / "backend-outbox.jsonl"
    args = ["backend", "--port", str(port), "--db", str(workdir / "backend.sqlite3"), "--dev"]
    args += ["--outbox-file", str(outbox), *extra]
    process = Process("backend", args, port, workdir, ready_path="/dev/outbox.json")
    return process.start(), Outbox(outbox)


def admin(*args: str, db: Path, stdin: str = "") -> str:
    """Run ``nicegui-authenticator admin ... --db DB`` (the documented admin command)."""
    result = subprocess.run(
        [*COMMAND, "admin", *args, "--db", str(db)],
        input=stdin.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"admin {args} failed: {result.stderr.decode()}")
    return result.stdout.decode()


# -- browser helpers -----------------------------------------------------------------------


def virtual_authenticator(context: BrowserContext, page: Page) -> tuple[CDPSession, str]:
    """A platform authenticator with user verification, as Chrome's DevTools provide it."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, str(result["authenticatorId"])


def presence(cdp: CDPSession, authenticator_id: str, *, touched: bool) -> None:
    """Whether the virtual authenticator answers by itself, as if touched.

    While it does, it also answers the sign-in page's passkey autofill request
    (conditional mediation) at once, which signs in whoever holds a passkey on
    it as soon as the sign-in screen shows: a test that wants to stay signed
    out turns it off first.
    """
    cdp.send(
        "WebAuthn.setAutomaticPresenceSimulation", {"authenticatorId": authenticator_id, "enabled": touched}
    )


def credentials(cdp: CDPSession, authenticator_id: str) -> list[dict[str, Any]]:
    result = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    creds: list[dict[str, Any]] = result["credentials"]
    return creds


def decode_qr(locator: Locator) -> str:
    """The text of the QR code as it appears on screen (a screenshot, decoded with zxing)."""
    png = locator.screenshot()
    image = Image.open(io.BytesIO(png)).convert("L")
    # A white margin helps the detector when the element's own quiet zone is tight.
    framed = Image.new("L", (image.width + 80, image.height + 80), 255)
    framed.paste(image, (40, 40))
    results = zxingcpp.read_barcodes(framed)
    if not results:
        raise AssertionError("no QR code could be decoded from the rendered element")
    return str(results[0].text)


def totp_from_qr(locator: Locator) -> pyotp.TOTP:
    uri = decode_qr(locator)
    otp = pyotp.parse_uri(uri)
    assert isinstance(otp, pyotp.TOTP), uri
    return otp


def fresh_totp_code(otp: pyotp.TOTP, used: Sequence[str] = ()) -> str:
    """A code the server has not seen (it refuses a replayed time step).

    The server accepts one step of clock drift, so when this step's code is
    spent the next step's code is used instead of waiting up to 30 seconds.
    """
    code = otp.now()
    return otp.at(time.time() + otp.interval) if code in used else code


def screenshot(page: Page, name: str, *, readme: bool = False, locator: Locator | None = None) -> Path:
    """Check ``page`` with axe-core, then save ``name.png`` under test-artifacts/screenshots
    (and docs/screenshots for the README set): every named state is also an accessibility check."""
    assert_accessible(page, name)
    target_dir = README_SCREENSHOTS if readme else SCREENSHOTS
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / f"{name}.png"
    # The pointer stays where the last click was; on the next screen the button under
    # it would show Quasar's hover tint (a pale primary button that looks disabled).
    page.mouse.move(0, 0)
    page.wait_for_timeout(250)  # let Quasar's transitions (ripples, focus rings) settle
    if locator is not None:
        locator.screenshot(path=str(path), animations="disabled")
    else:
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def unique(prefix: str) -> str:
    """A username no other test (or earlier run on the same database) uses."""
    return f"{prefix}{time.monotonic_ns() % 10**10:010d}"


@contextlib.contextmanager
def dumped_on_failure(processes: Sequence[Process]) -> Iterator[None]:
    """Print the servers' logs when the block fails (pytest shows captured output)."""
    try:
        yield
    except BaseException:
        for process in processes:
            print(f"--- {process.name} log ({process.log_path}) ---\n{process.log_tail()}")
        raise


Waiter = Callable[[], bool]
ContextFactory = Callable[..., BrowserContext]
"""The ``new_context`` fixture: ``new_context(base_url)`` -> a fresh BrowserContext (a separate person)."""


def wait_until(condition: Waiter, timeout: float = 10.0, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.05)


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_name(text: str) -> str:
    return _SAFE.sub("_", text)[:120]
