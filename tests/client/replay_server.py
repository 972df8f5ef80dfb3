"""Play a recorded AWS Blocks flow back over real HTTP, and hold the client to it.

The recordings (``tests/fixtures/aws-blocks/*.jsonl``, one exchange per
line) are the ground truth of the protocol. :class:`ReplayServer` is an
ASGI app (mount it on :class:`local_server.LiveServer`) that answers each
expected request with the recorded reply, status and Set-Cookie lines, and
records a failure when

* the request body differs from the recorded one (JSON-equal, ids aside; the
  reply carries the request's own id back),
* the request's Cookie header is not the recorded one (a cookie missing, or one
  the recording did not send: both mean the jar went wrong),
* a request arrives when none is expected, or at the wrong path/method.

Only the steps a client can send are expected (:attr:`RecordedStep.is_auth_call`):
``testApi.*`` helpers of the recorded servers and the deliberate protocol probes
(malformed JSON, batch, GET...) are skipped. :class:`RecorderJar` keeps the
client's cookie jar consistent with what the recorder did outside the protocol:
flows that start signed in (the session cookie came from an earlier flow), and
stale cookies replayed on purpose (a signed-out JWT, a tampered value).

The HeadlessAuthenticator tests drive the same flows through this module.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from local_server import Receive, Scope, Send, read_body, send_bytes
from nicegui_authenticator.client import AuthClient, CookieSession, RpcError
from nicegui_authenticator.state_machine.protocol import AuthState
from recordings import recordings_dir

FIXTURES_DIR = recordings_dir()
AUTH_VERBS = ("getAuthState", "setAuthState")
TEST_HELPER_NAMESPACE = "testApi"


def load_flow(path: Path) -> list[RecordedStep]:
    with path.open(encoding="utf-8") as lines:
        return [RecordedStep.from_record(json.loads(line)) for line in lines if line.strip()]


def parse_cookie_header(header: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            cookies[name] = value
    return cookies


def canonical(value: object) -> str:
    """JSON text that differs exactly when the JSON values differ (``true`` is not ``1``)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class RecordedStep:
    """One recorded request/response exchange."""

    flow: str
    server: str
    step: int
    note: str
    http_method: str
    url: str
    request_headers: Mapping[str, str]
    request_body: Any
    status: int
    set_cookie: tuple[str, ...]
    response_body: Any
    jar_after: Mapping[str, str]

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> RecordedStep:
        request, response = record["request"], record["response"]
        return cls(
            flow=record["flow"],
            server=record["server"],
            step=record["step"],
            note=record.get("note", ""),
            http_method=request["method"],
            url=request["url"],
            request_headers={k.lower(): v for k, v in request["headers"].items()},
            request_body=request["body"],
            status=response["status"],
            set_cookie=tuple(response["set_cookie"]),
            response_body=response["body"],
            jar_after=dict(record["cookie_jar_after"]),
        )

    @property
    def label(self) -> str:
        return f"{self.flow} step {self.step} ({self.note})"

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def rpc_method(self) -> str | None:
        body = self.request_body
        method = body.get("method") if isinstance(body, dict) else None
        return method if isinstance(method, str) else None

    @property
    def namespace(self) -> str:
        return (self.rpc_method or "").rpartition(".")[0]

    @property
    def verb(self) -> str:
        return (self.rpc_method or "").rpartition(".")[2]

    @property
    def is_auth_call(self) -> bool:
        """A request a client of the protocol sends: a well-formed get/setAuthState envelope."""
        body = self.request_body
        if (
            self.http_method != "POST"
            or not isinstance(body, dict)
            or self.namespace == TEST_HELPER_NAMESPACE
        ):
            return False
        if set(body) != {"jsonrpc", "method", "params", "id"} or body["jsonrpc"] != "2.0":
            return False
        if type(body["id"]) is not int or self.verb not in AUTH_VERBS or not self.namespace:
            return False
        params: object = body["params"]
        if self.verb == "getAuthState":
            return params == []
        return isinstance(params, list) and len(params) == 1 and isinstance(params[0], dict)

    @property
    def payload(self) -> dict[str, Any]:
        """The setAuthState payload (``params[0]``)."""
        assert self.verb == "setAuthState", self.label
        payload: dict[str, Any] = self.request_body["params"][0]
        return payload

    @property
    def request_cookies(self) -> dict[str, str]:
        return parse_cookie_header(self.request_headers.get("cookie", ""))

    @property
    def host_header(self) -> str | None:
        """The Host header, when the recorder set one other than the URL's (a non-loopback probe)."""
        host = self.request_headers.get("host")
        return host if host and host != urlsplit(self.url).netloc else None

    @property
    def secure_cookie_names(self) -> set[str]:
        """Cookies this step's reply set with the Secure attribute."""
        names = set()
        for line in self.set_cookie:
            attributes = [a.strip().lower() for a in line.split(";")[1:]]
            if "secure" in attributes:
                names.add(line.split("=", 1)[0].strip())
        return names


class ReplayServer:
    """ASGI app serving one flow's client-sendable steps, in order, and noting every deviation."""

    def __init__(self, steps: Sequence[RecordedStep], *, strict_cookies: bool = True) -> None:
        self.expected: deque[RecordedStep] = deque(s for s in steps if s.is_auth_call)
        self.total = len(self.expected)
        self.strict_cookies = strict_cookies
        self.failures: list[str] = []
        self.served: list[RecordedStep] = []
        self.request_ids: list[int] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        problem, step, request_id = self._judge(scope, body)
        if problem is not None:
            self.failures.append(problem)
            await send_bytes(send, 500, f"replay mismatch: {problem}".encode(), content_type=b"text/plain")
            return
        assert step is not None
        self.served.append(step)
        reply = step.response_body
        if isinstance(reply, dict) and "id" in reply:
            reply = {**reply, "id": request_id}
        await send_bytes(
            send,
            step.status,
            json.dumps(reply).encode(),
            extra_headers=[(b"set-cookie", line.encode("latin-1")) for line in step.set_cookie],
        )

    def _judge(self, scope: Scope, body: bytes) -> tuple[str | None, RecordedStep | None, int | None]:
        if not self.expected:
            return "a request arrived after the recording's last step", None, None
        step = self.expected.popleft()
        if scope["method"] != step.http_method or scope["path"] != step.path:
            return f"{step.label}: got {scope['method']} {scope['path']}, recorded {step.path}", None, None
        try:
            sent = json.loads(body)
        except ValueError:
            return f"{step.label}: the request body is not JSON", None, None
        request_id = sent.pop("id", None) if isinstance(sent, dict) else None
        if type(request_id) is not int:
            return f"{step.label}: the request has no integer id", None, None
        recorded = {k: v for k, v in step.request_body.items() if k != "id"}
        if canonical(sent) != canonical(recorded):
            return (
                f"{step.label}: request body differs\n  sent     {canonical(sent)}\n  recorded {canonical(recorded)}",
                None,
                None,
            )
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies, wanted = parse_cookie_header(headers.get("cookie", "")), step.request_cookies
        missing = sorted(n for n, v in wanted.items() if cookies.get(n) != v)
        extra = sorted(n for n in cookies if n not in wanted) if self.strict_cookies else []
        if missing or extra:
            return f"{step.label}: cookies missing or different {missing}, not recorded {extra}", None, None
        self.request_ids.append(request_id)
        return None, step, request_id

    def check_finished(self) -> None:
        """Fail unless every expected step was served and nothing deviated."""
        problems = list(self.failures)
        if self.expected:
            problems.append(
                f"{len(self.expected)} recorded steps never requested, first: {self.expected[0].label}"
            )
        if problems:
            raise AssertionError("replay failed:\n" + "\n".join(problems))


class RecorderJar:
    """Mirror, in a CookieSession, what the recorder did to its cookie jar outside the protocol.

    The recorder's jar after each step is in the recording (``cookie_jar_after``).
    A cookie a request carried that the recorder's jar did not hold was put there
    by hand (a flow starting signed in, a stale or tampered cookie replayed on
    purpose): it is seeded into the session as the server would have set it,
    and dropped again after the step if the recorder's jar did not keep it.
    Everything else (Set-Cookie on replayed steps) is left to the client.
    """

    def __init__(self, session: CookieSession, endpoint: str) -> None:
        self.session = session
        self.endpoint = endpoint
        self._previous: Mapping[str, str] = {}
        self._seeded: set[str] = set()
        self.seeded_total = 0

    def before(self, step: RecordedStep) -> None:
        injected = {n: v for n, v in step.request_cookies.items() if self._previous.get(n) != v}
        self.session.store(self.endpoint, [f"{n}={v}; Path=/" for n, v in injected.items()])
        self._seeded = set(injected)
        self.seeded_total += len(injected)

    def after(self, step: RecordedStep) -> None:
        set_now = {line.split("=", 1)[0].strip() for line in step.set_cookie}
        dropped = [n for n in self._seeded if n not in step.jar_after and n not in set_now]
        self.session.store(self.endpoint, [f"{n}=; Max-Age=0; Path=/" for n in dropped])
        self._previous = step.jar_after

    def skip(self, step: RecordedStep) -> None:
        """A step the client does not send: apply its cookie effects as the recorder's jar did."""
        self.before(step)
        self.session.store(self.endpoint, step.set_cookie)
        self.after(step)

    def expected_after(self, step: RecordedStep) -> dict[str, str]:
        """The recorder's jar after ``step``, minus Secure cookies it kept from plain http.

        The recorder (a Python script) stored a Secure cookie received over
        http; browsers, and CookieSession, refuse it (RFC 6265bis).
        """
        refused = step.secure_cookie_names if urlsplit(self.endpoint).scheme == "http" else set()
        return {n: v for n, v in step.jar_after.items() if n not in refused}


def jar_values(session: CookieSession) -> dict[str, str]:
    """name -> value of every live cookie (tests only: values are secrets elsewhere)."""
    cookies = session.to_json()["cookies"]
    assert isinstance(cookies, list)
    return {str(c["name"]): str(c["value"]) for c in cookies if isinstance(c, dict)}


def uses_main_client(step: RecordedStep) -> bool:
    """Steps a default ``AuthClient(endpoint)`` sends; others need a namespace or Host override."""
    return step.namespace == "authApi" and step.host_header is None


async def drive_with_auth_client(steps: Sequence[RecordedStep], endpoint: str) -> CookieSession:
    """Send every client step of a flow through AuthClient and check each outcome and jar.

    Each step must return the recorded AuthState (``to_wire`` equal to the
    recorded result) or raise the recorded JSON-RPC error, and leave the
    session holding exactly the cookies the recorder's jar held.
    """
    session = CookieSession()
    jar = RecorderJar(session, endpoint)
    async with AuthClient(endpoint, session=session) as client:
        for step in steps:
            if not step.is_auth_call:
                jar.skip(step)
                continue
            jar.before(step)
            if uses_main_client(step):
                await _expect_recorded_outcome(client, step)
            else:
                # An unknown API's namespace, or the non-loopback Host probe: a client
                # configured that way, on the same jar.
                headers = {"host": step.host_header} if step.host_header else None
                async with AuthClient(endpoint, step.namespace, session=session, headers=headers) as other:
                    await _expect_recorded_outcome(other, step)
            jar.after(step)
            assert jar_values(session) == jar.expected_after(step), step.label
    return session


async def _call(client: AuthClient, step: RecordedStep) -> AuthState:
    if step.verb == "getAuthState":
        return await client.get_auth_state()
    return await client.set_auth_state(step.payload)


async def _expect_recorded_outcome(client: AuthClient, step: RecordedStep) -> None:
    reply = step.response_body
    if "error" in reply:
        with pytest.raises(RpcError) as caught:
            await _call(client, step)
        error, data = reply["error"], reply["error"].get("data") or {}
        assert (caught.value.code, caught.value.message) == (error["code"], error["message"]), step.label
        assert caught.value.name == data.get("name"), step.label
        assert caught.value.retriable is bool(data.get("retriable")), step.label
    else:
        state = await _call(client, step)
        assert state.to_wire() == reply["result"], step.label
