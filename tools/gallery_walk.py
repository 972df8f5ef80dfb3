"""How the gallery reaches a screen: a running ``serve`` and a page object over the test hooks.

:mod:`gallery` walks every screen of the hosted page to photograph it; this
module is what a row of its table drives. :class:`Server` is one
``nicegui-authenticator serve`` on its embedded backend (free loopback port,
temporary database, codes appended to an outbox file); :class:`Walk` is one
browser page on it, with the steps a person takes (sign up, confirm, sign in,
set up a second factor) written against the public ``data-testid`` hooks
(PROTOCOL.md, "Test hooks"), so the gallery breaks where a test would.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Final

import pyotp
from playwright.sync_api import BrowserContext, CDPSession, Locator, Page, expect

TIMEOUT: Final = 30_000  # ms, for one screen to appear (generous: the tool often runs beside a test suite)
PASSWORD: Final = "Analytical-Engine1"
COMMAND: Final = [str(Path(sys.executable).parent / "nicegui-authenticator")]
_NAMES: Final = count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """``nicegui-authenticator serve`` with its own data directory, stopped by :meth:`stop`."""

    workdir: Path
    args: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"  # "localhost": the WebAuthn relying party id

    @property
    def db(self) -> Path:
        return self.workdir / "auth.sqlite3"

    @property
    def outbox(self) -> Path:
        return self.workdir / "outbox.jsonl"

    def start(self) -> Server:
        self.workdir.mkdir(parents=True, exist_ok=True)
        args = [
            "serve",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.workdir / "data"),
            "--db",
            str(self.db),
        ]
        args += ["--outbox-file", str(self.outbox), "--rp-id", "localhost", "--origin", self.base_url]
        # A person's shell: none of our settings (nor pytest's, which switch NiceGUI's test mode) leak in.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
        env.update({"PYTHONUNBUFFERED": "1", **self.env})
        with (self.workdir / "serve.log").open("ab") as log:
            self.process = subprocess.Popen(
                [*COMMAND, *args, *self.args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {(self.workdir / 'serve.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2):
                    return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"serve on port {self.port} did not come up")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def sent(self) -> list[dict[str, str]]:
        """Every code the backend "sent" so far (one JSON object a line)."""
        if not self.outbox.exists():
            return []
        return [json.loads(line) for line in self.outbox.read_text().splitlines() if line.strip()]

    def add_user(self, username: str, temporary_password: str) -> None:
        """An administrator-created account (``admin add-user``): it must choose a new password."""
        subprocess.run(
            [*COMMAND, "admin", "add-user", username, "--db", str(self.db)],
            input=f"{temporary_password}\n".encode(),
            capture_output=True,
            timeout=60,
            check=True,
        )


@dataclass
class Walk:
    """One person's page on a server: the steps of a gallery row."""

    server: Server
    context: BrowserContext
    page: Page
    otp: pyotp.TOTP | None = None
    used_codes: list[str] = field(default_factory=list)
    # The virtual authenticator's DevTools session and id, once a row adds one.
    _authenticator: tuple[CDPSession, str] | None = None

    # ------------------------------------------------------------------ lookups

    @property
    def root(self) -> Locator:
        return self.page.get_by_test_id("authenticator").first

    def hook(self, name: str) -> Locator:
        return self.root.get_by_test_id(name)

    def action(self, name: str) -> Locator:
        return self.hook(f"authenticator-action-{name}").first

    def expect_screen(self, name: str) -> None:
        expect(self.root).to_have_attribute("data-screen", name, timeout=TIMEOUT)

    # ------------------------------------------------------------------ steps

    def open(self, path: str = "/") -> None:
        self.page.goto(path)
        expect(self.root).to_be_visible(timeout=TIMEOUT)
        expect(self.root).not_to_have_attribute("data-screen", "loading", timeout=TIMEOUT)

    def fill(self, action: str, **values: str) -> None:
        for name, value in values.items():
            self.action(action).get_by_test_id(f"authenticator-{name}").fill(value)

    def submit(self, action: str) -> None:
        button = self.action(action).get_by_test_id("authenticator-submit")
        expect(button).to_be_enabled(timeout=TIMEOUT)
        button.click()

    def tab(self, name: str) -> None:
        self.hook(f"authenticator-tab-{name}").click()

    def link(self, name: str) -> None:
        self.hook(f"authenticator-link-{name}").first.click()

    def code(self, to: str, *, after: int, purpose: str | None = None) -> str:
        """The newest code sent to ``to`` since record ``after`` (waits for it)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for record in reversed(self.server.sent()[after:]):
                if record["to"] == to and purpose in (None, record["purpose"]):
                    return record["code"]
            time.sleep(0.1)
        raise RuntimeError(f"no code for {to!r} in {self.server.outbox}")

    def totp_code(self) -> str:
        """A code of the enrolled authenticator app the server has not seen (it refuses a replay)."""
        assert self.otp is not None, "no authenticator app set up on this walk"
        code = self.otp.now()
        if code in self.used_codes:
            code = self.otp.at(time.time() + self.otp.interval)  # one step of drift is accepted
        self.used_codes.append(code)
        return code

    # ------------------------------------------------------------------ flows

    def new_name(self, prefix: str = "ada") -> str:
        return f"{prefix}{next(_NAMES)}"

    def fill_sign_up(self, username: str, password: str = PASSWORD) -> None:
        self.tab("signUp")
        self.expect_screen("sign_up")
        self.fill("signUp", username=username, password=password, confirmPassword=password)

    def sign_up(self, username: str) -> None:
        """Create ``username``; ends on the confirmation screen."""
        self.fill_sign_up(username)
        self.submit("signUp")
        self.expect_screen("confirm_sign_up")

    def register(self, username: str) -> None:
        """Sign up and confirm ``username``; ends signed in (or in a required MFA enrolment)."""
        self.open()
        before = len(self.server.sent())
        self.sign_up(username)
        self.fill("confirmSignUp", code=self.code(username, after=before, purpose="sign-up"))
        self.submit("confirmSignUp")
        expect(self.root).not_to_have_attribute("data-screen", "confirm_sign_up", timeout=TIMEOUT)

    def signed_in(self, username: str) -> None:
        """A fresh account, signed in, the one-time second-factor suggestion dismissed."""
        self.register(username)
        self.expect_screen("signed_in")
        # It comes with the first sign-in (MFA is opt-in); a click before it is gone lands on a card
        # being redrawn and is lost.
        suggestion = self.hook("authenticator-suggestion")
        expect(suggestion).to_be_visible(timeout=TIMEOUT)
        self.hook("authenticator-suggestion-dismiss").click()
        expect(suggestion).to_have_count(0, timeout=TIMEOUT)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        if self.root.get_attribute("data-screen") != "sign_in":
            self.tab("signIn")
            self.expect_screen("sign_in")
        self.fill("signIn", username=username, password=password)
        self.submit("signIn")

    def sign_out(self) -> None:
        self.submit("signOut")
        self.expect_screen("sign_in")

    def set_up_totp(self) -> None:
        """From the signed-in card: enrol an authenticator app (its secret read off the screen)."""
        self.submit("startTotpSetup")
        self.expect_screen("setup_totp")
        secret = (self.hook("authenticator-totp-secret").text_content() or "").replace(" ", "")
        self.otp = pyotp.TOTP(secret)
        self.fill("completeTotpSetup", code=self.totp_code())
        self.submit("completeTotpSetup")
        self.expect_screen("signed_in")

    def set_up_email_codes(self, email: str) -> None:
        """From the signed-in card: enrol email codes as a second factor."""
        before = len(self.server.sent())
        self.fill("startEmailMfaSetup", email=email)
        self.submit("startEmailMfaSetup")
        self.expect_screen("confirm_code")
        self.fill("completeEmailMfaSetup", code=self.code(email, after=before))
        self.submit("completeEmailMfaSetup")
        self.expect_screen("signed_in")

    def add_passkey(self) -> None:
        """From the signed-in card: register a passkey with Chrome's virtual authenticator."""
        self.submit("startPasskeyRegistration")
        self.expect_screen("passkey_register")
        self.submit("completePasskeyRegistration")
        self.expect_screen("passkey_manage")

    def virtual_authenticator(self) -> None:
        """A platform authenticator with user verification, as Chrome's DevTools provide it."""
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("WebAuthn.enable")
        options = {
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": True,
            "hasUserVerification": True,
            "isUserVerified": True,
            "automaticPresenceSimulation": True,
        }
        added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
        self._authenticator = (cdp, str(added["authenticatorId"]))

    def presence(self, *, touched: bool) -> None:
        """Whether the virtual authenticator answers by itself. While it does, it also answers
        the sign-in page's passkey autofill at once: a row that stays signed out turns it off."""
        assert self._authenticator is not None, "virtual_authenticator() first"
        cdp, authenticator_id = self._authenticator
        cdp.send(
            "WebAuthn.setAutomaticPresenceSimulation",
            {"authenticatorId": authenticator_id, "enabled": touched},
        )
