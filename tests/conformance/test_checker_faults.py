"""A deliberately broken server makes the checker fail, naming the rule that was broken.

Each fault is injected into the reference backend by wrapping its ASGI app:
the wrapper lets the backend answer, then edits the reply on its way out.
The checker reaches it through ``httpx.ASGITransport`` (in-process), exactly
as it would over a socket: the recording transport sits above either.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.settings import BackendSettings, ScryptCost
from nicegui_authenticator.conformance import CheckOptions, CodesFile, Report, check

pytestmark = pytest.mark.slow  # each test starts processes or builds packages

ENDPOINT = "http://127.0.0.1/aws-blocks/api"
Edit = Callable[[int, dict[str, Any]], tuple[int, dict[str, Any]]]


def faulty(app: Any, edit: Edit) -> Any:
    """``app`` with every JSON reply passed through ``edit(status, body) -> (status, body)``."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))

        await app(scope, receive, capture)
        status, body = start["status"], b"".join(chunks)
        try:
            status, edited = edit(status, json.loads(body))
            body = json.dumps(edited).encode()
        except ValueError:
            pass
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped


def each_action(body: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    result = body.get("result")
    if isinstance(result, dict):
        for action in result.get("actions", []):
            change(action)
    return body


def drop_hidden_username_default(status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    def change(action: dict[str, Any]) -> None:
        for item in action.get("fields", []):
            if item["name"] == "username" and item.get("type") == "hidden":
                item.pop("defaultValue", None)

    return status, each_action(body, change)


def errors_as_http_400(status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return (400 if "error" in body else status), body


def signed_in_without_actions(status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    result = body.get("result")
    if isinstance(result, dict) and result.get("state") == "signedIn":
        result["actions"] = []
    return status, body


def challenge_without_session(status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    def change(action: dict[str, Any]) -> None:
        if action["name"] == "confirmSignIn":
            action["fields"] = [f for f in action.get("fields", []) if f["name"] != "session"]

    return status, each_action(body, change)


async def run_against(tmp_path: Path, edit: Edit, **settings: Any) -> Report:
    codes = tmp_path / "codes.jsonl"
    backend = ReferenceBackend(
        BackendSettings(
            db_path=str(tmp_path / "db.sqlite3"),
            outbox_file=str(codes),
            password_hash_cost=ScryptCost(n=2**10),
            origins=("http://127.0.0.1",),
            **settings,
        )
    )
    try:
        transport = httpx.ASGITransport(app=faulty(backend.asgi_app, edit))
        return await check(CheckOptions(ENDPOINT, codes=CodesFile(codes), transport=transport))
    finally:
        backend.close()


def unchanged(status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return status, body


async def test_the_wrapper_alone_breaks_nothing(tmp_path: Path) -> None:
    report = await run_against(tmp_path, unchanged, mfa="required")
    assert report.ok, report.to_table()


@pytest.mark.parametrize(
    ("edit", "settings", "rule"),
    [
        (drop_hidden_username_default, {"mode": "cognito"}, "R9"),
        (errors_as_http_400, {}, "R2"),
        (signed_in_without_actions, {"mfa": "off"}, "R8"),
        (challenge_without_session, {"mfa": "required"}, "R10"),
    ],
    ids=["missing hidden default", "non-200 status", "state with no actions", "challenge without session"],
)
async def test_a_fault_is_named_by_its_rule(
    tmp_path: Path, edit: Edit, settings: dict[str, Any], rule: str
) -> None:
    report = await run_against(tmp_path, edit, **settings)
    assert not report.ok
    assert rule in report.rules_broken(), report.to_table()
    first = next(d for d in report.deviations if d.rule == rule)
    assert first.request is not None and first.reply is not None and first.step
    assert rule in report.to_table() and f"docs/protocol.md#{rule.lower()}" in report.to_table()
