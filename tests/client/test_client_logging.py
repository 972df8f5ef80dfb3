"""No secret reaches a log record, ours or the HTTP stack's, during full recorded flows at DEBUG."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from local_server import LiveServer
from nicegui_authenticator.client import AuthClient
from nicegui_authenticator.client.redaction import THIRD_PARTY_LOGGERS, RedactingFilter, redact_text
from recordings import recording_paths
from replay_server import (
    FIXTURES_DIR,
    RecordedStep,
    ReplayServer,
    drive_with_auth_client,
    load_flow,
)

SECRET_PAYLOAD_KEYS = {"password", "newPassword", "code", "session", "sharedSecret", "credential"}
SECRET_FIELDS = {"session", "sharedSecret", "credentialRequestOptions", "credentialCreationOptions"}
CLIENT_LOGGERS = ("nicegui_authenticator", "httpx", "httpcore")


def _hidden_defaults(result: Any) -> Iterator[str]:
    for action in result.get("actions") or []:
        for field in action.get("fields") or []:
            if field.get("name") in SECRET_FIELDS and isinstance(field.get("defaultValue"), str):
                yield field["defaultValue"]


def secrets_of(steps: list[RecordedStep]) -> set[str]:
    """Every password, code, session, shared secret, credential and cookie value in a recording."""
    found: set[str] = set()
    for step in steps:
        if step.is_auth_call and step.verb == "setAuthState":
            found |= {str(v) for k, v in step.payload.items() if k in SECRET_PAYLOAD_KEYS}
        found |= set(step.request_cookies.values())
        found |= {line.split(";", 1)[0].partition("=")[2] for line in step.set_cookie}
        reply = step.response_body
        if isinstance(reply, dict) and isinstance(reply.get("result"), dict):
            found |= set(_hidden_defaults(reply["result"]))
    return {s for s in found if len(s) >= 6}


def client_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    messages = []
    for record in caplog.records:
        if record.name.startswith(CLIENT_LOGGERS):
            messages.append(record.getMessage() + (record.exc_text or ""))
    return messages


async def test_full_flows_at_debug_log_no_secret(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    all_secrets: set[str] = set()
    for path in recording_paths():
        steps = load_flow(path)
        all_secrets |= secrets_of(steps)
        replay = ReplayServer(steps)
        await drive_with_auth_client(steps, live_server.mount(replay) + steps[0].path)
        replay.check_finished()
    messages = client_messages(caplog)
    # The test sees what it must: many secrets, our per-call records, httpcore's header traces.
    assert len(all_secrets) > 40
    assert any(m.startswith("authApi.setAuthState id=") for m in messages)
    assert any("receive_response_headers.complete" in m and "set-cookie" in m.lower() for m in messages)
    leaks = sorted({s[:12] + "…" for s in all_secrets for m in messages if s in m})
    assert leaks == [], f"secrets in logs: {leaks}"


@contextlib.contextmanager
def without_redaction() -> Iterator[None]:
    saved = {name: list(logging.getLogger(name).filters) for name in THIRD_PARTY_LOGGERS}
    for name, filters in saved.items():
        for log_filter in filters:
            logging.getLogger(name).removeFilter(log_filter)
    try:
        yield
    finally:
        for name, filters in saved.items():
            for log_filter in filters:
                logging.getLogger(name).addFilter(log_filter)


async def test_without_the_filter_httpcore_would_leak_cookies(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The control: httpcore really logs Set-Cookie values at DEBUG, so the filter is what stops it."""
    steps = load_flow(FIXTURES_DIR / "basic_signout_does_not_revoke_jwt.jsonl")
    cookie = steps[0].set_cookie[0].split(";", 1)[0].partition("=")[2]
    caplog.set_level(logging.DEBUG)
    async with AuthClient(live_server.mount(ReplayServer(steps)) + steps[0].path) as client:
        with without_redaction():
            await client.set_auth_state(steps[0].payload)
    assert any(cookie in m for m in client_messages(caplog))


def test_redaction_covers_both_quote_styles_and_url_secrets() -> None:
    record = (
        "return_value=(b'HTTP/1.1', 200, b'OK', [(b'Set-Cookie', b\"a=it's; Path=/\"), (b'cookie', b'x=1')])"
    )
    assert redact_text(record) == (
        "return_value=(b'HTTP/1.1', 200, b'OK', [(b'Set-Cookie', b'<redacted>'), (b'cookie', b'<redacted>')])"
    )
    line = 'HTTP Request: POST https://user:pw@auth.example.com/api?key=k1 "HTTP/1.1 200 OK"'
    assert redact_text(line) == 'HTTP Request: POST https://auth.example.com/api "HTTP/1.1 200 OK"'


def test_the_filter_rewrites_records_without_dropping_them() -> None:
    record = logging.LogRecord(
        "httpcore.http11", logging.DEBUG, __file__, 1, "h=%s", ("(b'set-cookie', b'v')",), None
    )
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "h=(b'set-cookie', b'<redacted>')"
