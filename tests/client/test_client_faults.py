"""Failure injection over real sockets: each fault surfaces as one typed error with the right attributes.

Every server here is real HTTP on 127.0.0.1 (``local_server.LiveServer``) or a
real socket trick (a closed port, a listener whose accept queue is full); only
the DNS failure is simulated, because resolving a name is a network call.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import socket
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from local_server import LiveServer, Receive, Scope, Send, read_body, send_bytes
from nicegui_authenticator.client import AuthClient, AuthClientError, ProtocolError, RpcError, TransportError
from replay_server import FIXTURES_DIR, load_flow

MiB = 1024 * 1024
E = TypeVar("E", bound=AuthClientError)
SIGNED_OUT = {"state": "signedOut", "actions": [{"name": "signIn", "label": "Sign In", "fields": []}]}


def recorded_body(flow: str, step: int) -> dict[str, Any]:
    """A reply exactly as a real AWS Blocks server sent it."""
    (found,) = [s for s in load_flow(FIXTURES_DIR / f"{flow}.jsonl") if s.step == step]
    body: dict[str, Any] = found.response_body
    return body


class CountingTransport(httpx.AsyncBaseTransport):
    """A real HTTP transport that counts attempts and the response body bytes actually pulled."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.attempts = 0
        self.body_bytes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        response = await self.inner.handle_async_request(request)
        response.stream = _Counted(response.stream, self)  # type: ignore[arg-type]
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Counted(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, owner: CountingTransport) -> None:
        self.stream, self.owner = stream, owner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            self.owner.body_bytes += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()


class Handler:
    """An ASGI app answering each request with ``respond(request_json)`` and counting requests."""

    def __init__(self, respond: Any) -> None:
        self.respond = respond
        self.requests: list[Any] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        self.requests.append(request)
        await self.respond(request, send)


def json_reply(make_body: Any, status: int = 200) -> Handler:
    async def respond(request: Any, send: Send) -> None:
        await send_bytes(send, status, json.dumps(make_body(request)).encode())

    return Handler(respond)


async def get_auth_state_failure(live_server: LiveServer, app: Handler, expected: type[E]) -> E:
    """Mount ``app``, call getAuthState once through a fresh AuthClient, return the ``expected`` error."""
    base = live_server.mount(app)
    async with AuthClient(base + "/api") as client:
        with pytest.raises(expected) as caught:
            await client.get_auth_state()
    return caught.value


@pytest.fixture
def closed_port() -> int:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def full_backlog_port() -> Iterator[int]:
    """A listener that never accepts, its queue filled: further SYNs are dropped, connects hang."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port: int = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):  # non-blocking: the handshake completes later, or never
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


# -- no answer: TransportError -------------------------------------------------------------


async def test_connection_refused(closed_port: int) -> None:
    transport = CountingTransport()
    async with AuthClient(f"http://127.0.0.1:{closed_port}/aws-blocks/api", transport=transport) as client:
        with pytest.raises(TransportError) as caught:
            await client.set_auth_state({"action": "signIn", "username": "alice", "password": "Passw0rd!"})
        assert transport.attempts == 1  # setAuthState is never retried
        error = caught.value
        assert (error.kind, error.method, error.is_connect_failure, error.is_timeout) == (
            "connect",
            "authApi.setAuthState",
            True,
            False,
        )
        assert "connection refused" in str(error) and f"127.0.0.1:{closed_port}" in str(error)
        assert "Passw0rd!" not in str(error)

        with pytest.raises(TransportError) as caught:
            await client.get_auth_state()
        assert transport.attempts == 3  # getAuthState: the first try and one retry
        assert caught.value.kind == "connect"


async def test_connect_retry_of_get_auth_state_recovers(closed_port: int, live_server: LiveServer) -> None:
    """The single retry is worth it when the server comes back in between (a restart)."""
    transport = CountingTransport()
    real_handle = transport.inner.handle_async_request
    targets = iter([f"http://127.0.0.1:{closed_port}/api", live_server.base_url + "/api"])

    async def first_refused_then_up(request: httpx.Request) -> httpx.Response:
        request.url = httpx.URL(next(targets))
        return await real_handle(request)

    transport.inner.handle_async_request = first_refused_then_up  # type: ignore[method-assign]
    handler = json_reply(lambda request: {"jsonrpc": "2.0", "result": SIGNED_OUT, "id": request["id"]})
    live_server.mount(handler)
    async with AuthClient("http://127.0.0.1/api", transport=transport) as client:
        state = await client.get_auth_state()
    assert state.state == "signedOut" and transport.attempts == 2
    assert [r["id"] for r in handler.requests] == [2]  # the retry is a new request with its own id


async def test_connect_timeout(full_backlog_port: int) -> None:
    transport = CountingTransport()
    timeout = httpx.Timeout(5.0, connect=0.25)
    async with AuthClient(
        f"http://127.0.0.1:{full_backlog_port}/api", timeout=timeout, transport=transport
    ) as client:
        with pytest.raises(TransportError) as caught:
            await client.get_auth_state()
        assert transport.attempts == 2
        assert (caught.value.kind, caught.value.is_timeout, caught.value.is_connect_failure) == (
            "connect_timeout",
            True,
            True,
        )
        assert "limit 0.25 s" in str(caught.value)
        with pytest.raises(TransportError) as caught:
            await client.set_auth_state({"action": "signOut"})
        assert transport.attempts == 3 and caught.value.kind == "connect_timeout"


async def test_read_timeout_is_not_retried(live_server: LiveServer) -> None:
    async def slow(request: Any, send: Send) -> None:
        await asyncio.sleep(1.5)
        await send_bytes(
            send, 200, json.dumps({"jsonrpc": "2.0", "result": SIGNED_OUT, "id": request["id"]}).encode()
        )

    handler = Handler(slow)
    base = live_server.mount(handler)
    async with AuthClient(base + "/api", timeout=httpx.Timeout(5.0, read=0.2)) as client:
        with pytest.raises(TransportError) as caught:
            await client.get_auth_state()
    assert (caught.value.kind, caught.value.is_timeout, caught.value.is_connect_failure) == (
        "read_timeout",
        True,
        False,
    )
    assert "did not answer in time (limit 0.2 s)" in str(caught.value)
    assert len(handler.requests) == 1  # the server may have acted: no retry


async def test_tls_to_a_plain_http_server(live_server: LiveServer) -> None:
    live_server.mount(json_reply(lambda request: {}))
    async with AuthClient(f"https://127.0.0.1:{live_server.port}/api") as client:
        with pytest.raises(TransportError) as caught:
            await client.get_auth_state()
    assert caught.value.kind == "tls" and "TLS handshake" in str(caught.value)


async def test_dns_failure_is_named() -> None:
    """Simulated with the exact chain httpx raises for an unknown name (no DNS query from tests)."""

    def unresolvable(request: httpx.Request) -> httpx.Response:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as cause:
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request) from cause

    async with AuthClient(
        "https://auth.nowhere.invalid/api", transport=httpx.MockTransport(unresolvable)
    ) as client:
        with pytest.raises(TransportError) as caught:
            await client.set_auth_state({"action": "signOut"})
    assert caught.value.kind == "dns" and "'auth.nowhere.invalid' could not be resolved" in str(caught.value)


async def test_the_server_hanging_up_mid_reply_is_a_network_error(live_server: LiveServer) -> None:
    async def truncated(request: Any, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"1000")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"jsonrpc":"2.0",', "more_body": True})
        raise RuntimeError("handler crashed mid-body")  # uvicorn closes the connection

    error = await get_auth_state_failure(live_server, Handler(truncated), TransportError)
    assert error.kind == "network"


# -- an answer that is not the protocol: ProtocolError ------------------------------------


async def test_http_500_with_an_html_body(live_server: LiveServer) -> None:
    page = (
        b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>"
        + b"<p>trace</p>" * 400
    )

    async def html(request: Any, send: Send) -> None:
        await send_bytes(send, 500, page, content_type=b"text/html; charset=utf-8")

    base = live_server.mount(Handler(html))
    async with AuthClient(base + "/api") as client:
        with pytest.raises(ProtocolError) as caught:
            await client.set_auth_state({"action": "signIn", "username": "alice", "password": "hunter22"})
    error = caught.value
    assert (error.reason, error.http_status, error.method) == ("http_status", 500, "authApi.setAuthState")
    assert "HTTP 500, text/html" in str(error) and "<!DOCTYPE html> <html><head><title>500" in str(error)
    assert len(str(error)) < 200 and "hunter22" not in str(error)


async def test_http_200_with_a_body_that_is_not_json(live_server: LiveServer) -> None:
    async def text(request: Any, send: Send) -> None:
        await send_bytes(send, 200, b"OK", content_type=b"text/plain")

    error = await get_auth_state_failure(live_server, Handler(text), ProtocolError)
    assert (error.reason, error.http_status) == ("not_json", 200)
    assert "'OK'" in str(error)


async def test_a_redirect_is_not_followed(live_server: LiveServer) -> None:
    async def moved(request: Any, send: Send) -> None:
        await send_bytes(send, 302, b"", extra_headers=[(b"location", b"https://login.example.com/")])

    error = await get_auth_state_failure(live_server, Handler(moved), ProtocolError)
    assert (error.reason, error.http_status) == ("http_status", 302)


@pytest.mark.parametrize(
    ("make_body", "reason"),
    [
        (lambda r: {"result": SIGNED_OUT, "id": r["id"]}, "bad_envelope"),  # no jsonrpc
        (lambda r: {"jsonrpc": "2.0", "id": r["id"]}, "missing_result"),  # neither result nor error
        (lambda r: [{"jsonrpc": "2.0", "result": SIGNED_OUT, "id": r["id"]}], "bad_envelope"),
        (lambda r: {"jsonrpc": "2.0", "result": SIGNED_OUT, "id": r["id"] + 1}, "id_mismatch"),
        (lambda r: {"jsonrpc": "2.0", "result": ["signedOut"], "id": r["id"]}, "not_auth_state"),
        (lambda r: {"jsonrpc": "2.0", "result": {"actions": []}, "id": r["id"]}, "not_auth_state"),
    ],
    ids=[
        "no-jsonrpc",
        "no-result-no-error",
        "array",
        "id-mismatch",
        "result-not-object",
        "result-without-state",
    ],
)
async def test_wrong_envelopes(live_server: LiveServer, make_body: Any, reason: str) -> None:
    error = await get_auth_state_failure(live_server, json_reply(make_body), ProtocolError)
    assert error.reason == reason and error.http_status == 200


async def test_a_result_missing_actions_is_accepted(live_server: LiveServer) -> None:
    """The wire models are lenient: no ``actions`` means no actions (the machine shows a generic screen)."""
    base = live_server.mount(
        json_reply(lambda r: {"jsonrpc": "2.0", "result": {"state": "signedOut"}, "id": r["id"]})
    )
    async with AuthClient(base + "/api") as client:
        state = await client.get_auth_state()
    assert state.state == "signedOut" and state.actions == ()


# -- an answer that refuses: RpcError, with the recorded bodies -------------------------------


@pytest.mark.parametrize(
    ("flow", "step", "code", "name", "http_status"),
    [
        ("cognito_opt_errors", 5, 401, "NotAuthenticatedException", 401),
        ("basic_errors_and_protocol_edges", 4, -32601, None, 500),
        ("basic_errors_and_protocol_edges", 6, -32700, None, 500),  # id null: parse errors know no id
        ("basic_errors_and_protocol_edges", 7, -32600, "InvalidRequest", 500),
        ("basic_errors_and_protocol_edges", 12, -32602, "InvalidParams", 500),
    ],
)
async def test_recorded_json_rpc_errors(
    live_server: LiveServer, flow: str, step: int, code: int, name: str | None, http_status: int
) -> None:
    recorded = recorded_body(flow, step)
    keep_null_id = recorded["id"] is None
    base = live_server.mount(json_reply(lambda r: {**recorded, "id": None if keep_null_id else r["id"]}))
    async with AuthClient(base + "/aws-blocks/api") as client:
        with pytest.raises(RpcError) as caught:
            await client.set_auth_state({"action": "startPasskeyRegistration"})
    error = caught.value
    assert (error.code, error.name, error.http_status, error.response_status) == (
        code,
        name,
        http_status,
        200,
    )
    assert error.message == recorded["error"]["message"] and error.retriable is False
    assert error.method == "authApi.setAuthState" and recorded["error"]["message"] in str(error)


async def test_json_rpc_error_on_a_non_200_status(live_server: LiveServer) -> None:
    body = {
        "jsonrpc": "2.0",
        "error": {"code": 413, "message": "Payload too large", "data": {"name": "PayloadTooLarge"}},
    }
    error = await get_auth_state_failure(
        live_server, json_reply(lambda r: {**body, "id": r["id"]}, status=413), RpcError
    )
    assert (error.code, error.response_status, error.name) == (
        413,
        413,
        "PayloadTooLarge",
    )


# -- too large: the cap holds without buffering -------------------------------------------------


def _streaming(
    total: int, *, chunk: int = 64 * 1024, headers: list[tuple[bytes, bytes]] | None = None
) -> Handler:
    sent = {"bytes": 0}

    async def stream(request: Any, send: Send) -> None:
        start_headers = [(b"content-type", b"application/json"), *(headers or [])]
        await send({"type": "http.response.start", "status": 200, "headers": start_headers})
        await send(
            {"type": "http.response.body", "body": b'{"jsonrpc":"2.0","result":{"state":"', "more_body": True}
        )
        block = b"x" * chunk
        while sent["bytes"] < total:
            await send({"type": "http.response.body", "body": block, "more_body": True})
            sent["bytes"] += chunk
        await send({"type": "http.response.body", "body": b'"},"id":1}'})

    handler = Handler(stream)
    handler.sent = sent  # type: ignore[attr-defined]
    return handler


async def test_a_20_mib_reply_is_cut_off_at_the_cap(live_server: LiveServer) -> None:
    base = live_server.mount(_streaming(20 * MiB))
    transport = CountingTransport()
    async with AuthClient(base + "/api", transport=transport) as client:
        tracemalloc.start()
        try:
            with pytest.raises(ProtocolError) as caught:
                await client.get_auth_state()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert caught.value.reason == "too_large" and "1 MiB limit" in str(caught.value)
    # Read no more than the cap plus one network chunk, and never hold 20 MiB.
    assert MiB < transport.body_bytes <= MiB + 128 * 1024
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB"


async def test_a_declared_oversized_content_length_fails_before_reading(live_server: LiveServer) -> None:
    async def declared(request: Any, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", str(20 * MiB).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"x" * (64 * 1024), "more_body": True})

    base = live_server.mount(Handler(declared))
    transport = CountingTransport()
    async with AuthClient(base + "/api", transport=transport) as client:
        with pytest.raises(ProtocolError) as caught:
            await client.get_auth_state()
    assert caught.value.reason == "too_large" and transport.body_bytes == 0


async def test_a_compressed_bomb_is_cut_off_while_inflating(live_server: LiveServer) -> None:
    bomb = gzip.compress(b'{"jsonrpc":"2.0","result":{"state":"' + b"x" * (20 * MiB) + b'"},"id":1}')
    assert len(bomb) < 64 * 1024

    async def compressed(request: Any, send: Send) -> None:
        await send_bytes(send, 200, bomb, extra_headers=[(b"content-encoding", b"gzip")])

    base = live_server.mount(Handler(compressed))
    async with AuthClient(base + "/api") as client:
        tracemalloc.start()
        try:
            with pytest.raises(ProtocolError) as caught:
                await client.get_auth_state()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert caught.value.reason == "too_large"
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB"


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        (b"gzip", gzip.compress),
        (b"x-gzip", gzip.compress),
        (b"deflate", zlib.compress),
        (b"deflate", _raw_deflate),
    ],
    ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw"],
)
async def test_a_small_compressed_reply_is_read(
    live_server: LiveServer, encoding: bytes, compress: Any
) -> None:
    async def compressed(request: Any, send: Send) -> None:
        body = json.dumps({"jsonrpc": "2.0", "result": SIGNED_OUT, "id": request["id"]}).encode()
        await send_bytes(send, 200, compress(body), extra_headers=[(b"content-encoding", encoding)])

    base = live_server.mount(Handler(compressed))
    async with AuthClient(base + "/api") as client:
        assert (await client.get_auth_state()).state == "signedOut"


@pytest.mark.parametrize(
    ("encoding", "body"),
    [(b"br", b"\x0b\x02\x80"), (b"gzip", b"definitely not gzip")],
    ids=["unsupported", "corrupt"],
)
async def test_an_undecodable_body_is_a_decoding_error(
    live_server: LiveServer, encoding: bytes, body: bytes
) -> None:
    async def encoded(request: Any, send: Send) -> None:
        await send_bytes(send, 200, body, extra_headers=[(b"content-encoding", encoding)])

    error = await get_auth_state_failure(live_server, Handler(encoded), ProtocolError)
    assert error.reason == "decoding"


async def test_a_smaller_cap_can_be_configured(live_server: LiveServer) -> None:
    base = live_server.mount(json_reply(lambda r: {"jsonrpc": "2.0", "result": SIGNED_OUT, "id": r["id"]}))
    async with AuthClient(base + "/api", max_response_bytes=50) as client:
        with pytest.raises(ProtocolError, match="50 bytes limit"):
            await client.get_auth_state()


# -- the client itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "kwargs"),
    [
        ("ftp://host/api", {}),
        ("/aws-blocks/api", {}),
        ("http://host/api", {"namespace": ""}),
        ("http://host/api", {"namespace": "auth api"}),
        ("http://host/api", {"max_response_bytes": 0}),
        ("http://host/api", {"headers": {"Cookie": "sid=1"}}),
    ],
)
def test_bad_configuration_fails_at_construction(endpoint: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        AuthClient(endpoint, **kwargs)


async def test_a_closed_client_refuses_to_call(live_server: LiveServer) -> None:
    client = AuthClient(live_server.base_url + "/api")
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.get_auth_state()


async def test_errors_and_messages_never_show_endpoint_credentials(closed_port: int) -> None:
    endpoint = f"http://user:s3cretpw@127.0.0.1:{closed_port}/api?key=s3cretkey"
    async with AuthClient(endpoint) as client:
        assert client.endpoint == f"http://127.0.0.1:{closed_port}/api"
        with pytest.raises(TransportError) as caught:
            await client.set_auth_state({"action": "signOut"})
    assert "s3cret" not in str(caught.value) and "s3cret" not in repr(client)
