"""Codes reach people: mail read from a real SMTP server, a command and a webhook get JSON.

And when a channel fails, the person gets a retriable error, the operator a
log line, and nobody's log ever holds the code.
"""

from __future__ import annotations

import http.server
import json
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from backend_support import STRONG, MakeBackend, RpcClient
from nicegui_authenticator.backend import codes as codes_module
from nicegui_authenticator.backend.mail_templates import WORDINGS, render
from nicegui_authenticator.backend.smtp_channel import parse_smtp_url
from smtp_server import code_in, free_port, running_smtp, text_and_html

TITLE = "Example <Inc> & Co"
KNOWN_CODE = "424242"


def _mail_backend(make_backend: MakeBackend, smtp_url: str, **changes: Any) -> Any:
    return make_backend(
        mfa="off", smtp_url=smtp_url, mail_from="Example <no-reply@example.com>", app_title=TITLE, **changes
    )


async def test_sign_up_code_arrives_by_smtp_as_text_and_html(make_backend: MakeBackend) -> None:
    with running_smtp() as smtp:
        backend = _mail_backend(make_backend, smtp.url())
        async with RpcClient(backend) as client:
            state = await client.set(
                "signUp", username="carol", password=STRONG, email="carol@example.com", autoSignIn="false"
            )
            assert state["state"] == "confirmingSignUp", state
            (mail,) = smtp.mailbox.wait_for("carol@example.com")
            assert mail["Subject"] == f"Confirm your {TITLE} account"
            assert mail["From"] == "Example <no-reply@example.com>"
            text, html = text_and_html(mail)
            code = code_in(mail)
            assert "expires in 10 minutes" in text and "Hello carol," in text and TITLE in text
            assert code in html and "Example &lt;Inc&gt; &amp; Co" in html and TITLE not in html
            assert backend.list_outbox() == []  # a real channel: no copy of the code kept
            state = await client.set("confirmSignUp", username="carol", code=code)
            assert "error" not in state, state
            state = await client.set("signIn", username="carol", password=STRONG)
            assert state["state"] == "signedIn"


async def test_reset_code_arrives_with_its_own_wording(make_backend: MakeBackend) -> None:
    with running_smtp() as smtp:
        backend = _mail_backend(make_backend, smtp.url())
        backend.add_user("dave", STRONG, temporary=False, email="dave@example.com")
        async with RpcClient(backend) as client:
            await client.set("resetPassword", username="dave")
            (mail,) = smtp.mailbox.wait_for("dave@example.com")
            assert mail["Subject"] == f"Reset your {TITLE} password"
            state = await client.set(
                "confirmResetPassword", username="dave", code=code_in(mail), newPassword="N3w-Passw0rd!"
            )
            assert "error" not in state, state


async def test_smtp_credentials_from_the_url_are_used(make_backend: MakeBackend) -> None:
    with running_smtp(username="mailer", password="s3cret/pass") as smtp:
        backend = _mail_backend(make_backend, smtp.url("mailer:s3cret%2Fpass"))
        async with RpcClient(backend) as client:
            await client.set("signUp", username="erin", password=STRONG, email="erin@example.com")
        assert smtp.mailbox.wait_for("erin@example.com")
        wrong = _mail_backend(make_backend, smtp.url("mailer:wrong"))
        async with RpcClient(wrong) as client:
            state = await client.set("signUp", username="fay", password=STRONG, email="fay@example.com")
        assert state["retriable"] is True and state["errorName"] == "CodeDeliveryFailureException"


async def test_failed_send_is_retriable_logged_and_never_leaks_the_code(
    make_backend: MakeBackend, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codes_module, "new_code", lambda: KNOWN_CODE)
    caplog.set_level(logging.DEBUG)
    port = free_port()  # nothing listens here yet
    backend = _mail_backend(make_backend, f"smtp://127.0.0.1:{port}")
    async with RpcClient(backend) as client:
        state = await client.set("signUp", username="gus", password=STRONG, email="gus@example.com")
        # The thin retriable reply: the client keeps the sign-up form and what was typed.
        assert state == {
            "state": "signedOut",
            "actions": [],
            "error": "We could not send the code. Please try again in a moment.",
            "retriable": True,
            "errorName": "CodeDeliveryFailureException",
        }
        assert "could not deliver the sign-up message to g***@e***.com" in caplog.text
        with running_smtp() as smtp:
            retry = _mail_backend(make_backend, smtp.url())
            async with RpcClient(retry) as again:
                state = await again.set("signUp", username="gus", password=STRONG, email="gus@example.com")
                assert state["state"] == "confirmingSignUp", state  # the failed attempt holds nothing
                (mail,) = smtp.mailbox.wait_for("gus@example.com")
                assert code_in(mail) == KNOWN_CODE
    # Every log line of this process but the test's own mail server (the recipient's side).
    ours = [record for record in caplog.records if not record.name.startswith("mail.log")]
    assert ours and all(KNOWN_CODE not in record.getMessage() for record in ours)


@pytest.fixture
def recording_command(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """An executable that appends the JSON it reads to a file (and fails when told to)."""
    received = tmp_path / "received.jsonl"
    script = tmp_path / "send-sms"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib\n"
        "data = sys.stdin.read()\n"
        f"pathlib.Path({str(received)!r}).open('a').write(data + '\\n')\n"
        f"sys.exit(1 if pathlib.Path({str(tmp_path / 'fail')!r}).exists() else 0)\n"
    )
    script.chmod(0o755)
    yield script, received


async def test_command_delivery_gets_the_message_as_json(
    make_backend: MakeBackend, recording_command: tuple[Path, Path], tmp_path: Path
) -> None:
    script, received = recording_command
    backend = make_backend(
        mfa="off", sign_in_with=("phone",), delivery_hook=f"command:{script}", app_title="Acme"
    )
    async with RpcClient(backend) as client:
        state = await client.set("signUp", username="+14155550100", password=STRONG, autoSignIn="false")
        assert state["state"] == "confirmingSignUp", state
        (line,) = received.read_text().splitlines()
        message = json.loads(line)
        assert (message["channel"], message["to"], message["purpose"], message["app"]) == (
            "sms",
            "+14155550100",
            "sign-up",
            "Acme",
        )
        assert message["expiresInSeconds"] == 600 and message["code"] in message["text"]
        state = await client.set("confirmSignUp", username="+14155550100", code=message["code"])
        assert "error" not in state, state
        (tmp_path / "fail").touch()
        state = await client.set("resetPassword", username="+14155550100")
        assert state["retriable"] is True and state["errorName"] == "CodeDeliveryFailureException"


class _Recorder(http.server.BaseHTTPRequestHandler):
    bodies: ClassVar[list[dict[str, Any]]]
    status: ClassVar[int]

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


async def test_webhook_delivery_posts_json(make_backend: MakeBackend) -> None:
    recorder = type("Recorder", (_Recorder,), {"bodies": [], "status": 204})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/codes"
        backend = make_backend(mfa="off", delivery_hook=f"webhook:{url}")
        async with RpcClient(backend) as client:
            state = await client.set("signUp", username="hal", password=STRONG, email="hal@example.com")
            assert state["state"] == "confirmingSignUp", state
            (body,) = recorder.bodies
            assert (body["channel"], body["to"], body["purpose"]) == ("email", "hal@example.com", "sign-up")
            recorder.status = 503
            state = await client.set("resendSignUpCode", username="hal")
            assert state["retriable"] is True and state["errorName"] == "CodeDeliveryFailureException"
    finally:
        server.shutdown()
        server.server_close()


def test_every_purpose_renders_text_and_escaped_html() -> None:
    for purpose in WORDINGS:
        has_code = purpose in {"sign-up", "password-reset", "sign-in", "mfa-setup"}
        message = render(
            purpose,
            title="T&T",
            username="<script>x</script>",
            code="123456" if has_code else None,
            lifetime_seconds=600,
        )
        assert "T&T" in message.subject and "<script>" in message.text
        assert "<script>" not in message.html and "&lt;script&gt;" in message.html
        assert ("123456" in message.html) is has_code and ("10 minutes" in message.text) is has_code


def test_smtp_url_chooses_tls_sensibly() -> None:
    implicit = parse_smtp_url("smtps://u:p@mail.example.com")
    assert (implicit.port, implicit.implicit_tls, implicit.start_tls) == (465, True, "no")
    submission = parse_smtp_url("smtp://u:p%40ss@mail.example.com")
    assert (submission.port, submission.start_tls, submission.password) == (587, "required", "p@ss")
    relay = parse_smtp_url("smtp://relay.internal")
    assert (relay.port, relay.start_tls, relay.username) == (25, "auto", None)
    local = parse_smtp_url("smtp://u:p@127.0.0.1:2525")
    assert local.start_tls == "auto"  # loopback: nothing on the path to strip the offer
    assert parse_smtp_url("smtp://u:p@mail.example.com?starttls=no").start_tls == "no"
    assert "p%40ss" not in repr(submission) and "p@ss" not in repr(submission)
    for bad in ("http://mail.example.com", "smtp://", "smtp://h?starttls=maybe"):
        with pytest.raises(ValueError):
            parse_smtp_url(bad)


def test_security_notices_go_out_without_a_code(make_backend: MakeBackend) -> None:
    with running_smtp() as smtp:
        backend = _mail_backend(make_backend, smtp.url())
        delivery = backend._parts.delivery
        assert delivery.notify("ivy@example.com", "ivy", "password-changed")
        (mail,) = smtp.mailbox.wait_for("ivy@example.com")
        text, _ = text_and_html(mail)
        assert mail["Subject"] == f"Your {TITLE} password was changed"
        assert "reset your password now" in text and "code" not in text.lower()
    # The server is gone: a notice reports the failure instead of raising (the change stands).
    assert not delivery.notify("ivy@example.com", "ivy", "password-changed")
    # Without a real channel there is nobody to tell.
    assert not make_backend()._parts.delivery.notify("ivy@example.com", "ivy", "mfa-disabled")
