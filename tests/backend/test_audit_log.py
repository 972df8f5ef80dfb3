"""Finding 11: one audit channel carries every security event, once each, and no secret.

The test walks one account through every event the channel knows, counts the
lines per (event, outcome) and then searches the captured text for every
password, code and cookie the walk used.
"""

from __future__ import annotations

import json
import logging
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from backend_support import STRONG, STRONGER, FakeClock, MakeBackend, RpcClient, default, totp_now
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.backend.audit import AUDIT_LOGGER
from nicegui_authenticator.backend.visitor_hop import HEADER as VISITOR_HEADER

OWNER, STRANGER, TRAVEL = "198.51.100.7", "203.0.113.66", "192.0.2.50"
WRONG = ("Wrong-Horse-1", "Wrong-Horse-2", "Wrong-Horse-3", "Wrong-Horse-4", "Wrong-Horse-5", "Wrong-Horse-6")


def _audit_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    records = [r for r in caplog.records if r.name == AUDIT_LOGGER]
    lines = [json.loads(r.getMessage()) for r in records]
    assert lines == [r.audit for r in records]  # type: ignore[attr-defined]
    return lines


async def test_finding_11_every_security_event_is_audited_once_without_secrets(
    make_backend: MakeBackend, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=AUDIT_LOGGER)
    backend = make_backend(mfa="optional", visitor_hop_secret="h" * 32)
    backend.add_user("aud", STRONG, temporary=False, email="aud@example.com")
    secrets: list[str] = [STRONG, STRONGER, *WRONG]
    async with RpcClient(backend, address=OWNER) as owner:
        await owner.set("signIn", username="aud", password=WRONG[0])
        assert (await owner.set("signIn", username="aud", password=STRONG))["state"] == "signedIn"
        secrets += [owner.cookie() or "", owner.cookie(backend.settings.known_device_cookie_name) or ""]
        await owner.set("reauthenticate", password=WRONG[1])
        await owner.set("reauthenticate", password=STRONG)
        await owner.set("startEmailMfaSetup", email="aud.new@example.com")
        setup_code = backend.latest_code("aud.new@example.com") or ""
        assert "error" not in await owner.set("completeEmailMfaSetup", code=setup_code)
        state = await owner.set("startTotpSetup")
        totp_secret = default(state, "completeTotpSetup", "sharedSecret")
        assert "error" not in await owner.set("completeTotpSetup", code=totp_now(totp_secret, clock))
        secrets.append(totp_secret)
        await owner.set("setPreferredMfa", mfaType="EMAIL")
        async with RpcClient(backend, address=TRAVEL) as other:
            challenge = await other.set("signIn", username="aud", password=STRONG)
            assert challenge["state"] == "confirmingSignIn", challenge
            mfa_code = backend.latest_code("aud.new@example.com", "sign-in") or ""
            wrong_code = "000000" if mfa_code != "000000" else "111111"
            session = default(challenge, "confirmSignIn", "session")
            await other.set("confirmSignIn", session=session, challenge="code", code=wrong_code)
        secrets += [setup_code, mfa_code, session]
        device = SoftAuthenticator()
        state = await owner.set("startPasskeyRegistration")
        options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
        state = await owner.set("completePasskeyRegistration", credential=device.create(options))
        credential_id = default(state, "deletePasskey", "credentialId")
        await owner.set("deletePasskey", credentialId=credential_id)
        await owner.set("disableMfa")
        await owner.set("changePassword", currentPassword=WRONG[2], newPassword=STRONGER)
        await owner.set("changePassword", currentPassword=STRONG, newPassword=STRONGER)
        assert (await owner.set("signOutEverywhere"))["state"] == "signedOut"
    async with RpcClient(backend, address=STRANGER) as stranger:
        for guess in WRONG[3:]:
            await stranger.set("signIn", username="aud", password=guess)
        assert (await stranger.set("signIn", username="aud", password="one-more"))["retryAfter"] == 1
        refused = await stranger.http.post(
            backend.settings.path, content="{}", headers={"content-type": "text/plain"}
        )
        assert refused.status_code == 403
        stranger.http.headers[VISITOR_HEADER] = "10.1.2.3;forged-signature"
        await stranger.get()
    async with RpcClient(backend, address=OWNER) as rescue:
        await rescue.set("resetPassword", username="aud")
        reset_code = backend.latest_code("aud", "password-reset") or ""
        await rescue.set("confirmResetPassword", username="aud", code=wrong_code, newPassword=STRONG + "x")
        await rescue.set("confirmResetPassword", username="aud", code=reset_code, newPassword=STRONG + "x")
        await rescue.set("signIn", username="aud", password=STRONG + "x")
        secrets += [reset_code, rescue.cookie() or ""]
        await rescue.set("signOut")

    lines = _audit_lines(caplog)
    seen = Counter((line["event"], line["outcome"]) for line in lines)
    assert seen == Counter(
        {
            ("sign_in", "failure"): 1 + len(WRONG[3:]),  # the owner's typo, the stranger's guesses
            ("sign_in", "success"): 2,
            ("reauthentication", "failure"): 1,
            ("reauthentication", "success"): 1,
            ("mfa.email_enrolled", "success"): 1,
            ("mfa.totp_enrolled", "success"): 1,
            ("email.changed", "success"): 1,
            ("mfa.preference", "success"): 1,
            ("sign_in.challenge", "failure"): 1,
            ("passkey.added", "success"): 1,
            ("passkey.removed", "success"): 1,
            ("mfa.disabled", "success"): 1,
            ("password.changed", "failure"): 1,
            ("password.changed", "success"): 1,
            ("sessions.revoked", "success"): 1,
            ("throttle", "refused"): 1,
            ("request.forgery", "refused"): 1,
            ("visitor_hop.signature", "refused"): 1,
            ("password_reset.requested", "success"): 1,
            ("password_reset.completed", "failure"): 1,
            ("password_reset.completed", "success"): 1,
            ("sign_out", "success"): 1,
        }
    ), seen
    for line in lines:
        if line["event"] not in ("request.forgery", "visitor_hop.signature"):
            assert line["address"] in (OWNER, STRANGER, TRAVEL), line
    assert {line.get("user") for line in lines} <= {"aud", None}
    text = caplog.text + "\n".join(json.dumps(line) for line in lines)
    leaked = [secret for secret in secrets if secret and secret in text]
    assert leaked == []


async def test_finding_11_audit_log_option_writes_a_private_file(
    make_backend: MakeBackend, tmp_path: Path
) -> None:
    path = tmp_path / "logs" / "audit.jsonl"
    backend = make_backend(mfa="off", audit_log=str(path))
    backend.add_user("fay", STRONG, temporary=False)
    async with RpcClient(backend, address=OWNER) as client:
        await client.set("signIn", username="fay", password=WRONG[0])
        await client.set("signIn", username="fay", password=STRONG)
    backend.close()  # detaches the file: later backends in this process do not write to it
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    events = [json.loads(line.split(" ", 2)[2]) for line in path.read_text().splitlines()]
    assert [(e["event"], e["outcome"], e["user"]) for e in events] == [
        ("sign_in", "failure", "fay"),
        ("sign_in", "success", "fay"),
    ]
    assert STRONG not in path.read_text() and WRONG[0] not in path.read_text()
    assert not any(
        getattr(h, "baseFilename", None) == str(path) for h in logging.getLogger(AUDIT_LOGGER).handlers
    )
