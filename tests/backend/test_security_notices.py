"""Finding 1 (issue 11): the account's address hears of every security change, as delivered.

One account goes through every change a thief with a fresh sign-in could make
(or the owner could), and each notice is read from the in-process SMTP server
the way its owner would read it: the right (old) address, what changed, when,
what to do if it was not them, in text and HTML, and never a code or secret.
"""

from __future__ import annotations

import re
from email.message import EmailMessage

from backend_support import STRONG, STRONGER, FakeClock, MakeBackend, RpcClient, default, totp_now
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.backend.mail_templates import when_phrase
from smtp_server import Mailbox, code_in, running_smtp, text_and_html

OLD, NEW = "nora@example.com", "nora.new@example.com"
MAIL = {"mail_from": "Example <no-reply@example.com>", "app_title": "Example"}
SIX_DIGITS = re.compile(r"\b\d{6}\b")
BASE32_RUN = re.compile(r"[A-Z2-7]{16,}")


def _notice(mailbox: Mailbox, to: str, count: int, clock: FakeClock, *, subject: str, lead: str) -> None:
    """The ``count``-th message to ``to`` is the notice of one change, fit to act on."""
    mail: EmailMessage = mailbox.wait_for(to, count=count)[-1]
    text, html = text_and_html(mail)
    assert subject in str(mail["Subject"]), (mail["Subject"], subject)
    for body in (text, html):
        assert lead in body, (lead, body)
        assert f"When: {when_phrase(clock.now)}" in body, body
        assert "If this was not you, reset your password now" in body, body
        assert not SIX_DIGITS.search(body) and not BASE32_RUN.search(body), body


async def test_finding_1_every_security_change_is_notified_with_what_when_and_what_to_do(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    with running_smtp() as smtp:
        box = smtp.mailbox
        backend = make_backend(mfa="optional", smtp_url=smtp.url(), **MAIL)
        backend.add_user("nora", STRONG, temporary=False, email=OLD)
        device = SoftAuthenticator()
        async with RpcClient(backend) as client:
            await client.set("signIn", username="nora", password=STRONG)

            secret = default(await client.set("startTotpSetup"), "completeTotpSetup", "sharedSecret")
            assert "error" not in await client.set("completeTotpSetup", code=totp_now(secret, clock))
            _notice(box, OLD, 1, clock, subject="authenticator app was set up", lead="authenticator app")

            await client.set("startEmailMfaSetup", email=NEW)
            code = code_in(box.wait_for(NEW)[-1])
            assert "error" not in await client.set("completeEmailMfaSetup", code=code)
            # The email change goes to the address the account had before it.
            _notice(box, OLD, 2, clock, subject="email of your Example account", lead="email address")

            clock.advance(61)
            assert "error" not in await client.set("setPreferredMfa", mfaType="TOTP")
            _notice(box, NEW, 2, clock, subject="two-step sign-in method", lead="preferred second step")

            state = await client.set("startPasskeyRegistration")
            options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
            await client.set("completePasskeyRegistration", credential=device.create(options))
            _notice(box, NEW, 3, clock, subject="passkey was added", lead="new passkey")

            assert "error" not in await client.set("deletePasskey", credentialId=device.id)
            _notice(box, NEW, 4, clock, subject="passkey was removed", lead="passkey was just removed")

            state = await client.set("changePassword", currentPassword=STRONG, newPassword=STRONGER)
            assert "error" not in state, state
            _notice(box, NEW, 5, clock, subject="password was changed", lead="password of your account")

            assert "error" not in await client.set("disableMfa")
            _notice(box, NEW, 6, clock, subject="turned off", lead="turned off")

        async with RpcClient(backend) as rescue:
            await rescue.set("resetPassword", username="nora")
            reset_code = code_in(box.wait_for(NEW, count=7)[-1])
            state = await rescue.set(
                "confirmResetPassword", username="nora", code=reset_code, newPassword=STRONG
            )
            assert "error" not in state, state
            _notice(box, NEW, 8, clock, subject="password was reset", lead="every device was signed out")
        assert len(box.wait_for(OLD)) == 2  # nothing after the change went to the old address


async def test_finding_1_email_codes_set_up_at_the_same_address_are_notified(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    """Enrolling the account's own address changes the preferred second step: that is news too."""
    with running_smtp() as smtp:
        backend = make_backend(mfa="optional", smtp_url=smtp.url(), **MAIL)
        backend.add_user("otto", STRONG, temporary=False, email="otto@example.com")
        async with RpcClient(backend) as client:
            await client.set("signIn", username="otto", password=STRONG)
            await client.set("startEmailMfaSetup", email="otto@example.com")
            code = code_in(smtp.mailbox.wait_for("otto@example.com")[-1])
            assert "error" not in await client.set("completeEmailMfaSetup", code=code)
            _notice(
                smtp.mailbox,
                "otto@example.com",
                2,
                clock,
                subject="Email codes were set up",
                lead="second step",
            )
