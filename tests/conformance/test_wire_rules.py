"""Each per-reply rule, on one hand-made reply that breaks it and the recorded shape that keeps it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from nicegui_authenticator.conformance.journal import Exchange, redacted
from nicegui_authenticator.conformance.wire_rules import WireRules

REQUEST = {"jsonrpc": "2.0", "method": "authApi.getAuthState", "params": [], "id": 3}
SIGNED_OUT = {"state": "signedOut", "actions": [{"name": "signIn", "label": "Sign In", "fields": []}]}


def exchange(body: Any, *, status: int = 200, cookies: tuple[str, ...] = ()) -> Exchange:
    headers = httpx.Headers([("set-cookie", c) for c in cookies])
    text = json.dumps(body)
    return Exchange("unit/step", REQUEST, status, headers, text, body, True)


def envelope(result: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "result": result, "id": 3}


def challenge(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"state": "confirmingSignIn", "actions": [{"name": "confirmSignIn", "fields": list(fields)}]}


def hidden(name: str, value: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {"name": name, "type": "hidden"}
    if value is not None:
        item["defaultValue"] = value
    return item


CASES = {
    "R1": exchange({"jsonrpc": "2.0", "result": SIGNED_OUT, "id": 4}),
    "R2": exchange(envelope(SIGNED_OUT), status=500),
    "R3": exchange({"jsonrpc": "2.0", "error": {"code": 7, "message": "?"}, "id": 3}),
    "R6": exchange(envelope({"actions": []})),
    "R7": exchange(
        envelope(
            {"state": "signedOut", "actions": [{"name": "a", "fields": [{"name": "x", "type": "date"}]}]}
        )
    ),
    "R8": exchange(envelope({"state": "signedOut", "actions": []})),
    "R9": exchange(
        envelope({"state": "x", "actions": [{"name": "a", "fields": [hidden("username", None)]}]})
    ),
    "R10": exchange(envelope(challenge(hidden("challenge", "code"), {"name": "code", "type": "text"}))),
    "R11": exchange(envelope({"state": "signedIn", "actions": [{"name": "signOut"}]})),
    "R12": exchange(
        envelope(
            {
                "state": "signedIn",
                "user": {"userId": "a", "username": "a"},
                "actions": [
                    {
                        "name": "p",
                        "capability": "webauthn-create",
                        "fields": [hidden("credentialCreationOptions", "{}")],
                    }
                ],
            }
        )
    ),
    "R13": exchange(
        envelope(
            challenge(
                hidden("session", "s1"),
                hidden("challenge", "mfaType"),
                {"name": "mfaType", "type": "text", "label": "MFA"},
            )
        )
    ),
    "R14": exchange(
        envelope(
            challenge(
                hidden("session", "s2"),
                hidden("challenge", "totpSetup"),
                hidden("sharedSecret", "not base32!"),
            )
        )
    ),
    "R18": exchange(envelope(SIGNED_OUT), cookies=("auth_session=abc; Path=/; Max-Age=60",)),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_broken_reply_names_its_rule(rule: str) -> None:
    found = WireRules("127.0.0.1").check(CASES[rule])
    assert rule in {d.rule for d in found}, found


def test_a_recorded_shape_keeps_every_rule() -> None:
    retriable = envelope({"state": "signedOut", "actions": [], "error": "Invalid code", "retriable": True})
    cookie = "auth_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60"
    for reply in (envelope(SIGNED_OUT), retriable):
        assert WireRules("127.0.0.1").check(exchange(reply, cookies=(cookie,))) == []


def test_secure_is_required_off_loopback_only() -> None:
    cookie = "auth_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60"
    assert WireRules("localhost").check(exchange(envelope(SIGNED_OUT), cookies=(cookie,))) == []
    (found,) = WireRules("auth.example.com").check(exchange(envelope(SIGNED_OUT), cookies=(cookie,)))
    assert found.rule == "R18" and "Secure" in found.detail


def test_a_session_handed_out_twice_is_not_fresh() -> None:
    rules = WireRules("127.0.0.1")
    reply = exchange(envelope(challenge(hidden("session", "same"), hidden("challenge", "code"))))
    assert rules.check(reply) == []
    assert [d.rule for d in rules.check(reply)] == ["R10"]


def test_reports_never_show_secrets() -> None:
    shown = redacted({"params": [{"action": "signIn", "password": "hunter2", "code": "123456"}]})
    assert "hunter2" not in json.dumps(shown) and "123456" not in json.dumps(shown)
    field = redacted({"name": "session", "type": "hidden", "defaultValue": "secret-session"})
    assert field["defaultValue"] == "<redacted>"
