"""The HTTP/JSON-RPC surface: envelope errors as recorded, size limits, mounting, dev pages, fuzzing."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from backend_support import STRONG, MakeBackend, RpcClient, settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from nicegui_authenticator.backend import service
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.settings import RateLimits

INVALID_REQUEST = {
    "code": -32600,
    "message": 'Invalid Request: expected JSON-RPC 2.0 — {"jsonrpc":"2.0","method":"namespace.method","params":[...],"id":1}',
    "data": {"name": "InvalidRequest"},
}

JSON_HEADERS = {"content-type": "application/json"}


async def _post(backend: ReferenceBackend, content: bytes | str, **kwargs: Any) -> httpx.Response:
    # Any body, sent the way every JSON-RPC client sends it (the CSRF check wants the JSON type).
    kwargs.setdefault("headers", JSON_HEADERS)
    async with RpcClient(backend) as client:
        return await client.http.post(backend.settings.path, content=content, **kwargs)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{not json", {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None}),
        ('{"a": NaN}', {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None}),
        (b"\xff\xfe", {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None}),
        (
            '{"jsonrpc":"1.0","method":"authApi.getAuthState","id":7}',
            {"jsonrpc": "2.0", "error": INVALID_REQUEST, "id": 7},
        ),
        (
            '[{"jsonrpc":"2.0","method":"authApi.getAuthState","params":[],"id":1}]',
            {"jsonrpc": "2.0", "error": INVALID_REQUEST, "id": None},
        ),
        (
            '{"jsonrpc":"2.0","method":"authApi.getAuthState","id":true}',
            {"jsonrpc": "2.0", "error": INVALID_REQUEST, "id": None},
        ),
        (
            '{"jsonrpc":"2.0","method":"authApi.getAuthState","id":1e400}',
            {"jsonrpc": "2.0", "error": INVALID_REQUEST, "id": None},
        ),
        ('{"jsonrpc":"2.0","method":5,"id":3}', {"jsonrpc": "2.0", "error": INVALID_REQUEST, "id": 3}),
        (
            '{"jsonrpc":"2.0","method":"authApi.getAuthState","params":"x","id":11}',
            {
                "jsonrpc": "2.0",
                "error": {
                    "code": -32602,
                    "message": "Invalid params: expected an array or object",
                    "data": {"name": "InvalidParams"},
                },
                "id": 11,
            },
        ),
        (
            '{"jsonrpc":"2.0","method":"authApi.noSuchMethod","params":[],"id":32}',
            {
                "jsonrpc": "2.0",
                "error": {"code": -32601, "message": "Method not found: 'noSuchMethod' on API 'authApi'"},
                "id": 32,
            },
        ),
        (
            '{"jsonrpc":"2.0","method":"nope.getAuthState","params":[],"id":"a"}',
            {
                "jsonrpc": "2.0",
                "error": {
                    "code": -32601,
                    "message": "Method not found: API 'nope' not found. Available: authApi",
                },
                "id": "a",
            },
        ),
        (
            '{"jsonrpc":"2.0","method":"authApi.setAuthState","params":[],"id":2}',
            {
                "jsonrpc": "2.0",
                "error": {
                    "code": -32602,
                    "message": "Invalid params: setAuthState expects one object with an action",
                    "data": {"name": "InvalidParams"},
                },
                "id": 2,
            },
        ),
    ],
)
async def test_envelope_errors(
    make_backend: MakeBackend, body: str | bytes, expected: dict[str, Any]
) -> None:
    response = await _post(make_backend(), body)
    assert response.status_code == 200
    assert response.json() == expected


async def test_object_params_and_missing_id(make_backend: MakeBackend) -> None:
    backend = make_backend(mode="basic")
    response = await _post(
        backend,
        '{"jsonrpc":"2.0","method":"authApi.setAuthState","params":{"input":{"action":"signOut"}},"id":8}',
    )
    assert response.json()["result"]["state"] == "signedOut"
    assert response.headers["set-cookie"] == "auth_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"
    response = await _post(backend, '{"jsonrpc":"2.0","method":"authApi.getAuthState","params":[]}')
    assert response.json()["id"] is None and response.json()["result"]["state"] == "signedOut"
    response = await _post(backend, '{"jsonrpc":"2.0","method":"authApi.getAuthState","id":1.5}')
    assert response.json()["id"] == 1.5


async def test_field_of_the_wrong_type_is_an_auth_error(make_backend: MakeBackend) -> None:
    async with RpcClient(make_backend()) as client:
        state = await client.set("signIn", username=12, password=["x"])
        assert (
            state["errorName"] == "InvalidParameterException"
            and state["error"] == "username must be a string"
        )
        assert (await client.set("bogus"))["error"] == "Unknown action: bogus"


async def test_other_http_methods_get_the_recorded_404(make_backend: MakeBackend) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        for method in ("GET", "PUT", "OPTIONS"):
            response = await client.http.request(method, "/aws-blocks/api")
            assert response.status_code == 404
            assert response.json() == {
                "error": f"The AWS Blocks JSON-RPC API expects POST, not {method}.",
                "expected": {"method": "POST", "path": "/aws-blocks/api"},
            }


async def test_bodies_over_one_mebibyte_are_refused(make_backend: MakeBackend) -> None:
    backend = make_backend()
    call = b'{"jsonrpc":"2.0","method":"authApi.getAuthState","params":[],"id":1}'
    fits = call + b" " * (1024 * 1024 - len(call))
    too_large = {
        "jsonrpc": "2.0",
        "error": {"code": 413, "message": "Payload too large", "data": {"name": "PayloadTooLarge"}},
        "id": None,
    }
    assert (await _post(backend, fits)).json()["result"]["state"] == "signedOut"
    assert (await _post(backend, fits + b" ")).json() == too_large
    # A lying Content-Length is refused before reading...
    assert (
        await _post(backend, call, headers={**JSON_HEADERS, "content-length": str(2 * 1024 * 1024)})
    ).json() == too_large

    # ...and a streamed body without one is counted as it arrives.
    async def stream() -> AsyncIterator[bytes]:
        yield call
        for _ in range(20):
            yield b" " * 65536

    async with RpcClient(backend) as client:
        response = await client.http.post(backend.settings.path, content=stream(), headers=JSON_HEADERS)
        assert "content-length" not in response.request.headers
        assert response.json() == too_large


async def test_internal_errors_are_generic_and_logged_without_values(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: Any) -> Any:
        raise ValueError("the password is hunter2")

    backend = make_backend()
    monkeypatch.setattr(backend._service, "_actions", {"signIn": explode})
    caplog.set_level(logging.ERROR)
    async with RpcClient(backend) as client:
        response = await client.envelope(
            "setAuthState", [{"action": "signIn", "username": "a", "password": "hunter2"}]
        )
    assert response.status_code == 200
    assert response.json() == {
        "jsonrpc": "2.0",
        "error": {"code": -32603, "message": "Internal error", "data": {"name": "InternalError"}},
        "id": 1,
    }
    assert "Traceback" not in response.text
    (record,) = caplog.records
    assert "ValueError" in record.getMessage() and "hunter2" not in record.getMessage()
    assert record.exc_info is None


async def test_custom_path_and_namespace(make_backend: MakeBackend) -> None:
    backend = make_backend(path="/rpc", namespace="auth")
    async with RpcClient(backend) as client:
        assert (await client.get())["state"] == "signedOut"
        response = await client.http.post(
            "/rpc", json={"jsonrpc": "2.0", "method": "authApi.getAuthState", "id": 1}
        )
        assert (
            response.json()["error"]["message"]
            == "Method not found: API 'authApi' not found. Available: auth"
        )


async def test_routes_mount_into_another_app(make_backend: MakeBackend) -> None:
    from fastapi import FastAPI

    backend = make_backend(mfa="off", dev=True)
    host = FastAPI()

    @host.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    host.router.routes.extend(backend.routes)
    backend.add_user("ann", STRONG, temporary=False)
    transport = httpx.ASGITransport(app=host)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        assert (await client.get("/hello")).json() == {"hello": "world"}
        body = {
            "jsonrpc": "2.0",
            "method": "authApi.setAuthState",
            "params": [{"action": "signIn", "username": "ann", "password": STRONG}],
            "id": 1,
        }
        assert (await client.post("/aws-blocks/api", json=body)).json()["result"]["state"] == "signedIn"
        body = {"jsonrpc": "2.0", "method": "authApi.getAuthState", "params": [], "id": 2}
        assert (await client.post("/aws-blocks/api", json=body)).json()["result"][
            "state"
        ] == "signedIn"  # cookie kept
        assert (await client.get("/dev/outbox.json")).json() == []


async def test_dev_outbox_pages_escape_and_only_exist_in_dev_mode(make_backend: MakeBackend) -> None:
    backend = make_backend(dev=True, sign_in_with=("username",))
    async with RpcClient(backend) as client:
        await client.set("signUp", username="<b>x</b>", password=STRONG)
        records = (await client.http.get("/dev/outbox.json")).json()
        assert [(r["to"], r["purpose"]) for r in records] == [("<b>x</b>", "sign-up")]
        assert set(records[0]) == {"to", "purpose", "code", "ts"}
        page = (await client.http.get("/dev/outbox")).text
        assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page and records[0]["code"] in page
    async with RpcClient(make_backend()) as client:
        assert (await client.http.get("/dev/outbox.json")).status_code == 404


async def test_outbox_file_gets_json_lines(make_backend: MakeBackend, tmp_path: Path) -> None:
    outbox_file = tmp_path / "codes.jsonl"
    backend = make_backend(outbox_file=str(outbox_file), code_delivery="log", sign_in_with=("username",))
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG)
    assert backend.list_outbox() == []  # delivered to the log, not the outbox table
    (line,) = outbox_file.read_text().splitlines()
    record = json.loads(line)
    assert set(record) == {"to", "purpose", "code", "ts", "username"} and record["to"] == "ann"
    assert record["username"] == "ann"  # how check --codes-file finds codes sent to an address


async def test_callback_delivery(make_backend: MakeBackend) -> None:
    received: list[Any] = []
    backend = make_backend(
        code_delivery="callback", code_callback=received.append, sign_in_with=("username",)
    )
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG)
    (message,) = received
    assert (message.to, message.username, message.purpose, len(message.code)) == ("ann", "ann", "sign-up", 6)


# -- fuzzing -------------------------------------------------------------------------------------

# Any code point, lone surrogates included: JSON can carry "\ud800" and Python decodes it.
TEXT = st.text(st.characters(exclude_categories=()), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)
ACTIONS = st.sampled_from([*sorted(service.COGNITO_ACTIONS), "bogus", "", "signIn:google"])
FIELDS = st.sampled_from(
    [
        "username",
        "password",
        "code",
        "session",
        "challenge",
        "newPassword",
        "mfaType",
        "email",
        "credential",
        "credentialId",
        "firstFactor",
        "sharedSecret",
        "autoSignIn",
        "phone_number",
    ]
)
CALLS = st.builds(
    lambda method, action, fields, call_id: {
        "jsonrpc": "2.0",
        "method": method,
        "params": [{"action": action, **fields}],
        "id": call_id,
    },
    st.sampled_from(["authApi.setAuthState", "authApi.getAuthState"]),
    ACTIONS,
    st.dictionaries(
        FIELDS, JSON | st.sampled_from(["000000", "TOTP", "code", "{}", '{"id":"x"}', "a@b.co"]), max_size=6
    ),
    st.integers() | st.text(max_size=8) | st.none() | JSON,
)


class BlockingClient:
    """Hypothesis runs plain functions; this drives the ASGI app on a private event loop."""

    def __init__(self, backend: ReferenceBackend) -> None:
        self._loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=backend.asgi_app)
        self._client = httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")

    def post(self, path: str, content: bytes | str) -> httpx.Response:
        return self._loop.run_until_complete(self._client.post(path, content=content, headers=JSON_HEADERS))

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BlockingClient]:
    limits = RateLimits(
        failures_per_username=10**6,
        failures_per_address=10**6,
        sends_per_username=10**6,
        sends_per_address=10**6,
        delay_base_seconds=0,  # no exponential delay either: the fuzzer's wrong passwords are many
    )
    backend = ReferenceBackend(settings(tmp_path_factory.mktemp("fuzz"), dev=True, rate_limits=limits))
    backend.add_user("ann", STRONG, temporary=False, email="ann@example.com")
    client = BlockingClient(backend)
    yield client
    client.close()
    backend.close()


def _assert_envelope(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert "Traceback" not in response.text
    body = response.json()
    assert body["jsonrpc"] == "2.0" and "id" in body
    assert ("result" in body) != ("error" in body)
    if "error" in body:
        assert isinstance(body["error"]["code"], int) and isinstance(body["error"]["message"], str)
    else:
        assert isinstance(body["result"]["state"], str)


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=JSON)
def test_fuzz_arbitrary_json(fuzz_client: BlockingClient, body: Any) -> None:
    _assert_envelope(fuzz_client.post("/aws-blocks/api", content=json.dumps(body)))


@hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=CALLS, signed_in=st.booleans())
def test_fuzz_well_formed_calls(fuzz_client: BlockingClient, body: Any, signed_in: bool) -> None:
    if signed_in:  # so the signed-in actions get past their session check too
        sign_in = {"action": "signIn", "username": "ann", "password": STRONG}
        reply = fuzz_client.post(
            "/aws-blocks/api",
            json.dumps({"jsonrpc": "2.0", "method": "authApi.setAuthState", "params": [sign_in], "id": 0}),
        )
        assert reply.json()["result"]["state"] == "signedIn"
    _assert_envelope(fuzz_client.post("/aws-blocks/api", content=json.dumps(body)))


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(fuzz_client: BlockingClient, body: bytes) -> None:
    _assert_envelope(fuzz_client.post("/aws-blocks/api", content=body))


@pytest.mark.parametrize(
    "body",
    [
        '{"jsonrpc":"2.0","method":"authApi.setAuthState","params":[{"action":"resetPassword","username":"\\ud800"}],"id":1}',
        '{"jsonrpc":"2.0","method":"\\ud800.getAuthState","params":[],"id":"\\udfff"}',
        '{"jsonrpc":"2.0","method":"authApi.setAuthState","params":[{"action":"signIn","username":"\\ud800","password":"x"}],"id":1}',
    ],
)
async def test_lone_surrogates_are_answered_not_crashed_on(make_backend: MakeBackend, body: str) -> None:
    response = await _post(make_backend(), body)
    assert response.status_code == 200
    reply = response.json()
    assert reply.get("error", {}).get("code") != -32603
    if "result" in reply:
        assert reply["result"]["errorName"] == "InvalidParameterException"
