"""Replays the recorded AWS Blocks exchanges against our backend and compares replies structurally.

Theory of operation. For each recorded server we start our backend with the
same configuration and replay that server's flows in recorded order (flows
share accounts and cookies). Each request is translated before it is sent:

* random values the recorded server issued (challenge sessions, TOTP secrets,
  WebAuthn options, credential ids, cookies) are replaced by the ones *our*
  server issued at the same point, learnt by walking both replies side by side;
* a code the recorded server accepted is replaced by our valid one (outbox, or
  pyotp from the secret we issued); a code it refused stays refused;
* a WebAuthn credential becomes a real one from a software authenticator;
* ``testApi.*`` calls (test helpers of the recorded servers) are mapped to our
  equivalents (an RPC action or the admin API) or skipped, with the reason.

Each reply is then compared: HTTP status, JSON-RPC error objects, and for an
AuthState: state, error text and name, retriable, user keys, action names and
order, labels (data they embed is masked), capability, field names, labels,
types, required, hidden-ness and default values (random ones exempt), extra
keys, and the cookie effects (set / cleared / untouched, Secure).
Differences come back as short strings; the test module decides which are
intentional (its divergence table) and fails on any other.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyotp
from backend_support import FakeClock
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.cookies import is_loopback
from recordings import recording_paths, recordings_dir

FIXTURES = recordings_dir()
# Hidden values that are random by nature: compared for presence, mapped for replay.
RANDOM_DEFAULTS = frozenset(
    {"session", "sharedSecret", "credentialCreationOptions", "credentialRequestOptions", "credentialId"}
)
CODE_ERRORS = frozenset({"CodeMismatchException", "InvalidCodeException"})
# Labels that embed data: the data is masked before comparing.
LABEL_DATA = (
    (re.compile(r"\(sent to [^)]*\)"), "(sent to …)"),
    (re.compile(r"^Delete passkey .*…$"), "Delete passkey …"),
)


@dataclass(frozen=True)
class Step:
    flow: str
    server: str
    step: int
    note: str
    request: dict[str, Any]
    response: dict[str, Any]


@dataclass
class StepResult:
    flow: str
    step: int
    note: str
    diffs: list[str] = field(default_factory=list)
    skipped: str | None = None
    mapped: str | None = None  # how a testApi call was mapped


def load_flows() -> dict[str, list[list[Step]]]:
    """Per server, its flows in recorded order (by first timestamp, then first call id)."""
    flows: dict[str, list[list[Step]]] = {}
    for path in recording_paths():
        steps = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        parsed = [
            Step(d["flow"], d["server"], d["step"], d["note"], d["request"], d["response"]) for d in steps
        ]
        flows.setdefault(parsed[0].server, []).append(parsed)

    def order(flow: list[Step]) -> tuple[str, int]:
        body = flow[0].request["body"]
        ts = next(
            json.loads(line)["ts"] for line in (FIXTURES / f"{flow[0].flow}.jsonl").read_text().splitlines()
        )
        return ts, body.get("id") if isinstance(body, dict) and isinstance(body.get("id"), int) else 0

    return {server: sorted(server_flows, key=order) for server, server_flows in flows.items()}


def mask_label(label: str) -> str:
    for pattern, replacement in LABEL_DATA:
        label = pattern.sub(replacement, label)
    return label


def cookie_effects(headers: list[str], kind_of: dict[str, str]) -> dict[str, tuple[str, bool]]:
    """``{kind: ("set"|"clear", secure)}`` from raw Set-Cookie strings."""
    effects: dict[str, tuple[str, bool]] = {}
    for header in headers:
        name, _, rest = header.partition("=")
        kind = kind_of.get(name.strip())
        if kind is None:
            continue
        value = rest.split(";")[0]
        attributes = {a.strip().lower() for a in rest.split(";")[1:]}
        effects[kind] = ("clear" if not value or "max-age=0" in attributes else "set", "secure" in attributes)
    return effects


def recorded_kind(name: str) -> str | None:
    if name.startswith("autosignin_"):
        return "bridge"
    if name.startswith("auth_"):
        return "auth"
    return None


# Signed-in actions the reference backend offers beyond the recorded AWS Blocks
# vocabulary (issue 4, point 5): appended after the recorded ones, they are not a difference.
EXTRA_SIGNED_IN_ACTIONS = frozenset(
    {
        "startTotpSetup",
        "completeTotpSetup",
        "startEmailMfaSetup",
        "completeEmailMfaSetup",
        "setPreferredMfa",
        "disableMfa",
        "cancelSetup",
        "changePassword",
        "signOutEverywhere",
    }
)
# Code-screen actions appended after the recorded ones (docs/protocol.md, "Code screens").
EXTRA_CODE_ACTIONS = frozenset(
    {"resendPasswordResetCode", "resendSignInCode", "resendEmailMfaSetupCode", "useAnotherMfaMethod"}
)


# -- structural comparison -----------------------------------------------------------------------


def compare_state(recorded: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    diffs: list[str] = []
    for key in ("state", "error", "errorName", "retriable"):
        if recorded.get(key) != ours.get(key):
            diffs.append(f"{key}: recorded {recorded.get(key)!r}, ours {ours.get(key)!r}")
    diffs += _compare_user(recorded.get("user"), ours.get("user"))
    rec_names = [a["name"] for a in recorded.get("actions", [])]
    our_names = [a["name"] for a in ours.get("actions", [])]
    if rec_names != our_names:
        extra = our_names[len(rec_names) :]
        if (
            our_names[: len(rec_names)] == rec_names
            and set(extra) <= EXTRA_SIGNED_IN_ACTIONS | EXTRA_CODE_ACTIONS
        ):
            diffs.append(f"actions+: ours adds {extra}")
        else:
            diffs.append(f"actions: recorded {rec_names}, ours {our_names}")
    ours_by_name = {a["name"]: a for a in ours.get("actions", [])}
    for rec_action in recorded.get("actions", []):
        our_action = ours_by_name.get(rec_action["name"])
        if our_action is not None:
            diffs += _compare_action(rec_action, our_action)
    return diffs


def _compare_user(recorded: dict[str, Any] | None, ours: dict[str, Any] | None) -> list[str]:
    if recorded is None or ours is None:
        return [] if recorded is ours else [f"user: recorded {recorded is not None}, ours {ours is not None}"]
    diffs = []
    if list(recorded) != list(ours):
        diffs.append(f"user keys: recorded {list(recorded)}, ours {list(ours)}")
    for key in ("userId", "username", "groups", "attributes"):
        if key in recorded and recorded[key] != ours.get(key):
            diffs.append(f"user.{key}: recorded {recorded[key]!r}, ours {ours.get(key)!r}")
    return diffs  # userSub and createdAt are random / time-dependent by nature


def _compare_action(recorded: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    name = recorded["name"]
    diffs = []
    if mask_label(recorded.get("label", "")) != mask_label(ours.get("label", "")):
        diffs.append(f"action {name}.label: recorded {recorded.get('label')!r}, ours {ours.get('label')!r}")
    for key in ("capability", "url", "method"):
        if recorded.get(key) != ours.get(key):
            diffs.append(f"action {name}.{key}: recorded {recorded.get(key)!r}, ours {ours.get(key)!r}")
    rec_fields = [f["name"] for f in recorded.get("fields", [])]
    our_fields = [f["name"] for f in ours.get("fields", [])]
    if rec_fields != our_fields:
        diffs.append(f"action {name}.fields: recorded {rec_fields}, ours {our_fields}")
    ours_by_name = {f["name"]: f for f in ours.get("fields", [])}
    for rec_field in recorded.get("fields", []):
        our_field = ours_by_name.get(rec_field["name"])
        if our_field is None:
            continue
        where = f"field {name}.{rec_field['name']}"
        for key in ("label", "type", "required"):
            if rec_field.get(key) != our_field.get(key):
                diffs.append(f"{where}.{key}: recorded {rec_field.get(key)!r}, ours {our_field.get(key)!r}")
        if ("defaultValue" in rec_field) != ("defaultValue" in our_field):
            diffs.append(
                f"{where}.defaultValue: recorded {'defaultValue' in rec_field}, ours {'defaultValue' in our_field}"
            )
        elif (
            "defaultValue" in rec_field
            and rec_field["name"] not in RANDOM_DEFAULTS
            and rec_field["defaultValue"] != our_field["defaultValue"]
        ):
            diffs.append(
                f"{where}.defaultValue: recorded {rec_field['defaultValue']!r}, ours {our_field['defaultValue']!r}"
            )
        extra = sorted(set(our_field) - set(rec_field) - {"defaultValue"})
        if extra:
            diffs.append(f"{where}: ours adds keys {extra}")
    return diffs


def compare_envelope(recorded: Any, ours: Any) -> list[str]:
    if not isinstance(recorded, dict) or "jsonrpc" not in recorded:
        return [] if recorded == ours else [f"body: recorded {recorded!r}, ours {ours!r}"]
    diffs = []
    if recorded.get("id") != ours.get("id"):
        diffs.append(f"id: recorded {recorded.get('id')!r}, ours {ours.get('id')!r}")
    if "error" in recorded:
        if recorded["error"] != ours.get("error"):
            diffs.append(
                f"rpc error: recorded {recorded['error']!r}, ours {ours.get('error', ours.get('result'))!r}"
            )
        return diffs
    if "result" not in ours:
        return [*diffs, f"rpc: recorded a result, ours {ours.get('error')!r}"]
    return diffs + compare_state(recorded["result"], ours["result"])


# -- replay --------------------------------------------------------------------------------------


class Replay:
    """One recorded server's flows against one of our backends."""

    def __init__(
        self,
        backend: ReferenceBackend,
        clock: FakeClock,
        origin: str,
        code_overrides: dict[tuple[str, int], str],
    ) -> None:
        self.backend = backend
        self.clock = clock
        self.origin = origin
        self.code_overrides = code_overrides
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=backend.asgi_app), base_url="http://127.0.0.1"
        )
        self.values: dict[str, str] = {}  # recorded random value -> ours
        self.cookie_values: dict[str, str] = {}  # recorded cookie value -> ours
        self.recorded_issued: set[str] = set()  # cookie values the recorded server set
        self.jar: dict[str, str] = {}  # our cookies, by kind
        self.ours_hidden: dict[str, str] = {}  # latest hidden defaults we sent
        self.totp: dict[str, str] = {}  # username -> TOTP secret we issued
        self.devices: dict[str, SoftAuthenticator] = {}  # recorded credential id -> our authenticator
        self.username = ""
        self.last_label = ""
        self.sent: dict[str, list[str]] = {}  # username -> sign-up codes we sent, oldest first
        s = backend.settings
        self.our_kind = {s.cookie_name: "auth", s.auto_sign_in_cookie_name: "bridge"}
        self.our_name = {kind: name for name, kind in self.our_kind.items()}

    async def close(self) -> None:
        await self.http.aclose()

    async def run(self, steps: list[Step]) -> list[StepResult]:
        return [await self.run_step(step) for step in steps]

    async def run_step(self, step: Step) -> StepResult:
        result = StepResult(step.flow, step.step, step.note)
        request = step.request
        body = request["body"]
        if isinstance(body, dict) and str(body.get("method", "")).startswith("testApi."):
            await self._test_api(step, body, result)
            return result
        headers = self._headers(request["headers"])
        if request["method"] != "POST":
            response = await self.http.request(request["method"], self.backend.settings.path, headers=headers)
            recorded_body = step.response["body"]
            if isinstance(recorded_body, str) and recorded_body:
                recorded_body = json.loads(recorded_body)
            ours: Any = response.json() if response.content else ""
            if step.response["status"] != response.status_code:
                result.diffs.append(
                    f"status: recorded {step.response['status']}, ours {response.status_code}"
                )
            result.diffs += compare_envelope(recorded_body, ours)
            return result
        content = (
            body.encode() if isinstance(body, str) else json.dumps(self._translate(step, copy.deepcopy(body)))
        )
        response = await self.post(content, headers)
        if isinstance(content, str) and ('"signUp"' in content or '"resendSignUpCode"' in content):
            code = self.backend.latest_code(self.username, "sign-up")
            if code is not None:
                self.sent.setdefault(self.username, []).append(code)
        if step.response["status"] != response.status_code:
            result.diffs.append(f"status: recorded {step.response['status']}, ours {response.status_code}")
        ours = response.json()
        result.diffs += compare_envelope(step.response["body"], ours)
        result.diffs += self._compare_cookies(
            step.response["set_cookie"], response.headers.get_list("set-cookie")
        )
        self._learn(step.response["body"], ours)
        return result

    async def post(self, content: str | bytes, headers: dict[str, str]) -> httpx.Response:
        headers = {**headers, "content-type": "application/json"}
        response = await self.http.post(self.backend.settings.path, content=content, headers=headers)
        self.http.cookies.clear()  # the replay keeps its own jar (see _headers)
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            kind = self.our_kind.get(name)
            value = rest.split(";")[0]
            if kind is not None:
                if value and "Max-Age=0" not in rest:
                    self.jar[kind] = value
                else:
                    self.jar.pop(kind, None)
        return response

    async def call(self, action: str, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
        envelope = {"jsonrpc": "2.0", "method": f"{self.backend.settings.namespace}.setAuthState", "id": 0}
        envelope["params"] = [{"action": action, **fields}]
        body: dict[str, Any] = (await self.post(json.dumps(envelope), headers)).json()
        self._learn(None, body)
        return body

    # -- translation ---------------------------------------------------------------------

    def _headers(self, recorded: dict[str, str]) -> dict[str, str]:
        headers: dict[str, str] = {}
        host = recorded.get("host", "")
        if host and not is_loopback(host):
            headers["host"] = host
        pairs = []
        for part in filter(None, (p.strip() for p in recorded.get("cookie", "").split(";"))):
            name, _, value = part.partition("=")
            kind = recorded_kind(name)
            if kind is None:
                continue
            if value in self.cookie_values:
                pairs.append(f"{self.our_name[kind]}={self.cookie_values[value]}")
            elif value in self.recorded_issued:
                if kind in self.jar:  # their server set a cookie ours did not: send what we hold
                    pairs.append(f"{self.our_name[kind]}={self.jar[kind]}")
            else:
                pairs.append(f"{self.our_name[kind]}={value}")  # a forged value stays forged
        if pairs:
            headers["cookie"] = "; ".join(pairs)
        return headers

    def _translate(self, step: Step, body: Any) -> Any:
        if not isinstance(body, dict):
            return body  # a batch or other malformed envelope: sent as recorded
        params = body.get("params")
        fields = None
        if isinstance(params, list) and params and isinstance(params[0], dict):
            fields = params[0]
        elif isinstance(params, dict):
            fields = next((v for v in params.values() if isinstance(v, dict)), None)
        if fields is not None:
            self._translate_fields(step, fields)
        return body

    def _translate_fields(self, step: Step, fields: dict[str, Any]) -> None:
        if isinstance(fields.get("username"), str):
            self.username = fields["username"]
        for name in RANDOM_DEFAULTS:
            if isinstance(fields.get(name), str):
                fields[name] = self.values.get(fields[name], fields[name])
        if isinstance(fields.get("code"), str):
            fields["code"] = self._code(step, fields)
        if isinstance(fields.get("credential"), str):
            fields["credential"] = self._credential(str(fields.get("action")), fields["credential"])

    def _code(self, step: Step, fields: dict[str, Any]) -> str:
        recorded = str(fields["code"])
        strategy = self.code_overrides.get((step.flow, step.step))
        result = step.response["body"].get("result", {}) if isinstance(step.response["body"], dict) else {}
        accepted = result.get("errorName") not in CODE_ERRORS and "error" not in step.response["body"]
        if not re.fullmatch(r"\d{6}", recorded) or strategy == "literal" or not accepted:
            return self._avoid_valid(recorded, fields)
        if strategy == "previous":  # the code that a resend replaced
            history = self.sent.get(self.username, [])
            return history[-2] if len(history) > 1 else recorded
        return self._valid_code(fields, advance=True) or recorded

    def _valid_code(self, fields: dict[str, Any], *, advance: bool) -> str | None:
        action = fields.get("action")
        if action == "confirmSignUp":
            return self.backend.latest_code(self.username, "sign-up")
        if action == "confirmResetPassword":
            return self.backend.latest_code(self.username, "password-reset")
        secret = None
        if action == "confirmSignIn" and fields.get("challenge") == "totpSetup":
            secret = str(fields.get("sharedSecret"))
        elif action == "completeTotpSetup" or "Authenticator" in self.last_label:
            secret = self.totp.get(self.username)
        if secret is not None:
            if advance:
                self.clock.advance(30)  # a TOTP code is good once: each use gets a fresh time step
            return pyotp.TOTP(secret).at(self.clock())
        return self.backend.latest_code(self.username)

    def _avoid_valid(self, recorded: str, fields: dict[str, Any]) -> str:
        """A refused code stays refused even in the one-in-a-million case that it is ours."""
        valid = self._valid_code(fields, advance=False)
        return recorded if recorded != valid else ("000001" if recorded != "000001" else "000002")

    def _credential(self, action: str, recorded: str) -> str:
        try:
            parsed = json.loads(recorded)
        except ValueError:
            return recorded
        if not isinstance(parsed, dict) or not isinstance(parsed.get("id"), str):
            return recorded
        if action == "completePasskeyRegistration":
            device = SoftAuthenticator(origin=self.origin)
            self.devices[parsed["id"]] = device
            return device.create(self.ours_hidden["credentialCreationOptions"])
        device_or_none = self.devices.get(parsed["id"])
        if device_or_none is None:
            return recorded  # an id nobody registered stays unknown
        return device_or_none.get(self.ours_hidden["credentialRequestOptions"])

    # -- learning from replies -----------------------------------------------------------

    def _learn(self, recorded: Any, ours: dict[str, Any]) -> None:
        our_state = ours.get("result") if isinstance(ours, dict) else None
        if not isinstance(our_state, dict):
            return
        for our_action in our_state.get("actions", []):
            if our_action["name"] == "confirmSignIn":
                self.last_label = our_action.get("label", "")
            for f in our_action.get("fields", []):
                if f.get("type") == "hidden" and "defaultValue" in f:
                    self.ours_hidden[f["name"]] = f["defaultValue"]
                    if f["name"] == "sharedSecret":
                        self.totp[self.username] = f["defaultValue"]
        rec_state = recorded.get("result") if isinstance(recorded, dict) else None
        if not isinstance(rec_state, dict):
            return
        ours_by_name = {a["name"]: a for a in our_state.get("actions", [])}
        for rec_action in rec_state.get("actions", []):
            our_action = ours_by_name.get(rec_action["name"])
            if our_action is None:
                continue
            our_fields = {f["name"]: f for f in our_action.get("fields", [])}
            for rec_field in rec_action.get("fields", []):
                our_field = our_fields.get(rec_field["name"])
                if (
                    rec_field["name"] in RANDOM_DEFAULTS
                    and our_field
                    and "defaultValue" in rec_field
                    and "defaultValue" in our_field
                ):
                    self.values[rec_field["defaultValue"]] = our_field["defaultValue"]
        if rec_action_ids := [
            f["defaultValue"]
            for a in rec_state.get("actions", [])
            if a["name"] == "deletePasskey"
            for f in a["fields"]
            if f["name"] == "credentialId"
        ]:
            our_ids = [
                f["defaultValue"]
                for a in our_state.get("actions", [])
                if a["name"] == "deletePasskey"
                for f in a["fields"]
            ]
            self.values.update(zip(rec_action_ids, our_ids, strict=False))

    def _compare_cookies(self, recorded: list[str], ours: list[str]) -> list[str]:
        rec_kinds = {name.split("=")[0]: k for name in recorded if (k := recorded_kind(name.split("=")[0]))}
        rec = cookie_effects(recorded, rec_kinds)
        our = cookie_effects(ours, self.our_kind)
        for header in recorded:
            name, _, rest = header.partition("=")
            value = rest.split(";")[0]
            kind = recorded_kind(name)
            if value and kind:
                self.recorded_issued.add(value)
                if our.get(kind, ("",))[0] == "set":
                    self.cookie_values[value] = self.jar[kind]
        diffs = []
        for kind in sorted(set(rec) | set(our)):
            r, o = rec.get(kind), our.get(kind)
            if (r and r[0]) != (o and o[0]) or (r and o and r[0] == "set" and r[1] != o[1]):
                diffs.append(f"cookie {kind}: recorded {r}, ours {o}")
        return diffs

    # -- testApi ---------------------------------------------------------------------------

    async def _test_api(self, step: Step, body: dict[str, Any], result: StepResult) -> None:
        name = body["method"].split(".", 1)[1]
        recorded = step.response["body"]
        headers = self._headers(step.request["headers"])
        if name == "fetchAuthSession":
            result.skipped = "testApi.fetchAuthSession returns Cognito JWTs; this backend issues no tokens"
            return
        if name == "whoAmI":
            result.mapped = "getAuthState's user"
            envelope = {
                "jsonrpc": "2.0",
                "method": f"{self.backend.settings.namespace}.getAuthState",
                "params": [],
                "id": 0,
            }
            ours = (await self.post(json.dumps(envelope), headers)).json()["result"]
            if "error" in recorded:
                if ours["state"] != "signedOut":
                    result.diffs.append(f"whoAmI unauthenticated, ours {ours['state']}")
            else:
                result.diffs += _compare_user(
                    recorded["result"], {k: ours.get("user", {}).get(k) for k in recorded["result"]}
                )
            return
        if name == "fetchMFAPreference":
            result.mapped = "admin mfa_preference()"
            ours_pref = self.backend.mfa_preference(self.username)
            if ours_pref != recorded["result"]:
                result.diffs.append(f"mfa preference: recorded {recorded['result']}, ours {ours_pref}")
            return
        if name == "setUpTOTP":
            result.mapped = "setAuthState startTotpSetup"
            ours = (await self.call("startTotpSetup", headers))["result"]
            secret = next(
                (
                    f.get("defaultValue")
                    for a in ours.get("actions", [])
                    for f in a["fields"]
                    if f["name"] == "sharedSecret"
                ),
                None,
            )
            if secret is None:
                result.diffs.append(f"setUpTOTP: ours {ours}")
            else:
                self.values[recorded["result"]["sharedSecret"]] = secret
            return
        if name == "verifyTOTPSetup":
            result.mapped = "setAuthState completeTotpSetup"
            code = str(body["params"][0])
            accepted = "result" in recorded
            fields = {"action": "completeTotpSetup"}
            code = (
                self._valid_code(fields, advance=True) or code
                if accepted and re.fullmatch(r"\d{6}", code)
                else code
            )
            ours = (await self.call("completeTotpSetup", headers, code=code))["result"]
            if accepted and (ours["state"] != "signedIn" or "error" in ours):
                result.diffs.append(f"verifyTOTPSetup ok, ours {ours}")
            if not accepted and ours.get("errorName") != recorded["error"]["data"]["name"]:
                result.diffs.append(f"verifyTOTPSetup refused, ours {ours}")
            return
        result.skipped = f"testApi.{name} has no equivalent"
