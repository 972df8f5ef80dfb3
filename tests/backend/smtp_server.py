"""A real SMTP server in the test process (aiosmtpd), on a free loopback port, that keeps its mail.

Used by the delivery tests and anything that must read a code the way a
person would: from the mail that arrived.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Mailbox:
    """What the server received: parsed messages with their envelope recipients."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.arrived:
            self.messages.append((list(envelope.rcpt_tos), parsed))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, recipient: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """The messages to ``recipient`` once there are ``count`` of them."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                found = [m for rcpts, m in self.messages if recipient in rcpts]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                assert left > 0, f"no mail for {recipient} within {timeout}s"
                self.arrived.wait(left)


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "expected a text and an HTML part"
    return str(text.get_content()), str(html.get_content())


def code_in(message: EmailMessage) -> str:
    text, _ = text_and_html(message)
    found = re.search(r"^\s+(\d{6})\s*$", text, re.MULTILINE)
    assert found, text
    return found.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox

    def url(self, credentials: str = "") -> str:
        userinfo = f"{credentials}@" if credentials else ""
        return f"smtp://{userinfo}127.0.0.1:{self.port}"


@contextlib.contextmanager
def running_smtp(*, username: str | None = None, password: str | None = None) -> Iterator[SmtpServer]:
    """Accepts mail for anyone; with ``username``, only after AUTH with that password."""
    mailbox = Mailbox()
    options: dict[str, Any] = {}
    if username is not None:

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = (
                isinstance(data, LoginPassword)
                and data.login.decode() == username
                and data.password.decode() == password
            )
            return AuthResult(success=ok, handled=False)  # let aiosmtpd answer 535 on failure

        options = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield SmtpServer(port, mailbox)
    finally:
        controller.stop()
