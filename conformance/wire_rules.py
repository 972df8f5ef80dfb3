"""The rules every single reply must keep, checked on each exchange as it is recorded.

These need no knowledge of the flow: the envelope (R1-R3), the AuthState's
shape (R6, R7), a way forward (R8), the hidden values a client must echo (R9,
R10), the signed-in user (R11), the WebAuthn options (R12), the choices in a
label (R13), the TOTP secret (R14) and the cookie attributes (R18). Rules that
depend on what was asked (a wrong password must not sign in) live in the flows.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterator
from typing import Any, Final

from .journal import Exchange
from .report import Deviation

FIELD_TYPES: Final = frozenset({"text", "password", "email", "tel", "number", "hidden"})
# A server that could not read the request cannot know its id: null is right then.
UNREADABLE_BODY_CODES: Final = frozenset({-32700, -32600, 413})
CHOICE_CHALLENGES: Final = frozenset({"mfaType", "firstFactor"})
OPTIONS_FIELD: Final = {
    "webauthn-get": "credentialRequestOptions",
    "webauthn-create": "credentialCreationOptions",
}
_BASE32: Final = re.compile(r"^[A-Z2-7]{16,}=*$")
_RESERVED_CODES: Final = range(-32768, -31999)


def is_loopback_host(host: str) -> bool:
    """``localhost`` and loopback addresses: the hosts where a cookie may go without Secure."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class WireRules:
    """Checks each exchange; remembers only what freshness needs (the sessions handed out)."""

    def __init__(self, host: str) -> None:
        self._loopback = is_loopback_host(host)
        self._sessions_seen: set[str] = set()

    def check(self, exchange: Exchange) -> list[Deviation]:
        found = [Deviation(rule_id, exchange.step, detail) for rule_id, detail in self._problems(exchange)]
        request, reply = exchange.shown_request(), exchange.shown_reply()
        return [Deviation(d.rule, d.step, d.detail, request, reply) for d in found]

    def _problems(self, exchange: Exchange) -> Iterator[tuple[str, str]]:
        if exchange.status != 200:
            yield "R2", f"HTTP status {exchange.status}"
        yield from _cookie_problems(exchange, self._loopback)
        body = exchange.body
        if not exchange.is_json or not isinstance(body, dict):
            yield "R1", "the reply is not a JSON object"
            return
        yield from _envelope_problems(exchange, body)
        if "error" in body and isinstance(body["error"], dict):
            yield from _error_problems(body["error"])
        if "result" in body:
            yield from self._state_problems(body["result"])

    def _state_problems(self, state: Any) -> Iterator[tuple[str, str]]:
        if not isinstance(state, dict) or not isinstance(state.get("state"), str) or not state["state"]:
            yield "R6", "result has no string 'state'"
            return
        actions = state.get("actions")
        if not isinstance(actions, list):
            yield "R6", "'actions' is not a list"
            return
        if not actions and state.get("retriable") is not True:
            yield "R8", f"state {state['state']!r} offers no action and is not retriable"
        if state["state"] == "signedIn":
            user = state.get("user")
            if not isinstance(user, dict) or not all(
                isinstance(user.get(k), str) for k in ("userId", "username")
            ):
                yield "R11", "signedIn without a user carrying userId and username"
        for action in actions:
            if not isinstance(action, dict) or not isinstance(action.get("name"), str) or not action["name"]:
                yield "R6", "an action without a string 'name'"
                continue
            yield from self._action_problems(action)

    def _action_problems(self, action: dict[str, Any]) -> Iterator[tuple[str, str]]:
        name = action["name"]
        fields = action.get("fields", [])
        if not isinstance(fields, list):
            yield "R6", f"{name}: 'fields' is not a list"
            return
        named: dict[str, dict[str, Any]] = {}
        for item in fields:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
                yield "R6", f"{name}: a field without a string 'name'"
                continue
            named[item["name"]] = item
            if item.get("type") not in FIELD_TYPES:
                yield "R7", f"{name}.{item['name']}: type {item.get('type')!r}"
            capability_input = item["name"] == "credential" and action.get("capability")
            if item.get("type") == "hidden" and item.get("defaultValue") is None and not capability_input:
                yield "R9", f"{name}: hidden field {item['name']!r} has no defaultValue"
        if name == "confirmSignIn":
            yield from self._challenge_problems(named)
        capability = action.get("capability")
        if capability is not None:
            yield from _capability_problems(name, capability, named)

    def _challenge_problems(self, fields: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str]]:
        values = {}
        for key in ("session", "challenge"):
            item = fields.get(key)
            value = item.get("defaultValue") if item else None
            if item is None or item.get("type") != "hidden" or not isinstance(value, str) or not value:
                yield "R10", f"confirmSignIn has no hidden {key!r} with a value"
            values[key] = value
        session, challenge = values["session"], values["challenge"]
        if isinstance(session, str) and session:
            if session in self._sessions_seen:
                yield "R10", "confirmSignIn reuses a session handed out before"
            self._sessions_seen.add(session)
        if challenge in CHOICE_CHALLENGES:
            choice = fields.get(str(challenge))
            label = str(choice.get("label", "")) if choice else ""
            options = [o.strip() for o in label.partition(":")[2].split(",") if o.strip()]
            if choice is None or ":" not in label or not options:
                yield "R13", f"{challenge}: no choices listed in the label {label!r}"
        if challenge == "totpSetup":
            secret = fields.get("sharedSecret", {}).get("defaultValue")
            if not isinstance(secret, str) or not _BASE32.match(secret):
                yield "R14", "totpSetup without a base32 sharedSecret"


def _envelope_problems(exchange: Exchange, body: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if body.get("jsonrpc") != "2.0":
        yield "R1", f"jsonrpc is {body.get('jsonrpc')!r}, not '2.0'"
    if ("result" in body) == ("error" in body):
        yield "R1", "the reply must hold exactly one of 'result' and 'error'"
    expected = exchange.request_id if isinstance(exchange.request, dict) else None
    error = body.get("error")
    unread = isinstance(error, dict) and error.get("code") in UNREADABLE_BODY_CODES
    if body.get("id") != expected and not (unread and body.get("id") is None):
        yield "R1", f"id is {body.get('id')!r}, the request's was {expected!r}"


def _error_problems(error: dict[str, Any]) -> Iterator[tuple[str, str]]:
    code = error.get("code")
    if not isinstance(code, int) or isinstance(code, bool):
        yield "R3", f"error code {code!r} is not an integer"
    elif not (100 <= code <= 599 or code in _RESERVED_CODES):
        yield "R3", f"error code {code} is neither an HTTP status nor a reserved JSON-RPC code"
    if not isinstance(error.get("message"), str):
        yield "R3", "error without a string message"
    data = error.get("data")
    if isinstance(data, dict) and "name" in data and not isinstance(data["name"], str):
        yield "R3", "error.data.name is not a string"


def _capability_problems(
    name: str, capability: Any, fields: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, str]]:
    options_field = OPTIONS_FIELD.get(str(capability))
    if options_field is None:
        return  # a capability this page does not define: nothing to check
    raw = fields.get(options_field, {}).get("defaultValue")
    try:
        options = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        options = None
    if not isinstance(options, dict) or not options.get("challenge"):
        yield "R12", f"{name}: {options_field} is not JSON options with a challenge"
    if "credential" not in fields:
        yield "R12", f"{name}: no 'credential' field to send the result in"


def _cookie_problems(exchange: Exchange, loopback: bool) -> Iterator[tuple[str, str]]:
    for line in exchange.set_cookies:
        name, _, rest = line.partition("=")
        attributes = [part.strip().lower() for part in rest.split(";")[1:]]
        if "max-age=0" in attributes or not rest.split(";")[0].strip():
            continue  # a cookie being cleared
        missing = [a for a in ("httponly", "path=/") if a not in attributes]
        if not any(a.startswith("samesite=") for a in attributes):
            missing.append("SameSite")
        if not loopback and "secure" not in attributes:
            missing.append("Secure")
        if missing:
            yield "R18", f"cookie {name.strip()!r} lacks {', '.join(missing)}"
