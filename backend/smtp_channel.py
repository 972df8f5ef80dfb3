"""Sending mail with aiosmtplib: ``smtp://`` or ``smtps://`` URLs, one connection per message.

URL forms (user and password are percent-decoded)::

    smtps://user:pass@mail.example.com        implicit TLS, port 465
    smtp://user:pass@mail.example.com:587     STARTTLS required (credentials off loopback)
    smtp://relay.internal                     port 25, STARTTLS when the server offers it
    smtp://127.0.0.1:2525?starttls=no         plain, e.g. a local relay or a test server

Why STARTTLS is required for credentials sent off this machine: with
"upgrade when offered" an attacker in the path strips the offer and reads
the password. ``?starttls=required|auto|no`` overrides the choice.

Handlers are synchronous and run in worker threads, so ``send`` runs the
coroutine on a private event loop of that thread (``asyncio.run``): no
handler ever waits on the server's main loop, and a slow mail server holds
only the thread of the request that is sending.

``aiosmtplib`` is imported by the first ``send``: a server that sends no mail
(development mode, an outbox file, a hook) never loads it, and its start is
shorter for it (issue 15).
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Final, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from .mail_templates import RenderedMessage

StartTls = Literal["required", "auto", "no"]
SEND_TIMEOUT_SECONDS: Final = 20.0


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool
    start_tls: StartTls
    username: str | None
    password: str | None

    def __repr__(self) -> str:  # never show the password (settings get printed in errors)
        return f"SmtpServer({self.host}:{self.port}, tls={self.implicit_tls}, starttls={self.start_tls})"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_smtp_url(url: str) -> SmtpServer:
    """``smtp[s]://[user[:pass]@]host[:port][?starttls=required|auto|no]``; ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("--smtp-url must look like smtp[s]://user:pass@host:port")
    implicit = parts.scheme == "smtps"
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    choice = parse_qs(parts.query).get("starttls", [""])[-1].lower()
    if choice and choice not in {"required", "auto", "no"}:
        raise ValueError("--smtp-url: starttls must be required, auto or no")
    start_tls: StartTls
    if implicit:
        start_tls = "no"
    elif choice:
        start_tls = choice  # type: ignore[assignment]  # checked against the three names above
    else:
        start_tls = "required" if username and not _is_loopback(parts.hostname) else "auto"
    default_port = 465 if implicit else (587 if username else 25)
    return SmtpServer(parts.hostname, parts.port or default_port, implicit, start_tls, username, password)


def compose(sender: str, recipient: str, content: RenderedMessage) -> EmailMessage:
    """A ``multipart/alternative`` mail: the plain text first, the HTML as the richer part."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = content.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    message["Auto-Submitted"] = "auto-generated"  # no vacation replies to a no-reply address
    message.set_content(content.text)
    message.add_alternative(content.html, subtype="html")
    return message


def send(server: SmtpServer, message: EmailMessage) -> None:
    """Deliver ``message`` or raise (``aiosmtplib.SMTPException``, ``OSError``, ``TimeoutError``)."""
    import aiosmtplib

    start_tls = {"required": True, "auto": None, "no": False}[server.start_tls]
    asyncio.run(
        aiosmtplib.send(
            message,
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            start_tls=start_tls,
            timeout=SEND_TIMEOUT_SECONDS,
        )
    )
