"""Issue 11, finding 7: the hosted page's security headers, from a real ``serve`` process.

A real process because two of the facts live in uvicorn: the scheme a
request arrived with (``X-Forwarded-Proto`` believed from trusted proxies
only) and NiceGUI's storage cookie (set by middleware outside the page).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from nicegui_authenticator.ui.hosted.cli import build_parser
from nicegui_authenticator.ui.hosted.command import UsageError, plan_from_args
from nicegui_authenticator.ui.hosted.security_headers import SecurityHeadersMiddleware, SecurityPolicy

EMBEDDER = "https://app.example.com"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None, timeout: float = 40.0) -> tuple[Message, bytes]:
    """Headers and body of ``url`` (retried while the server comes up)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.headers, bytes(response.read())
        except urllib.error.HTTPError:
            raise
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Served:
    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
        command = [str(Path(sys.executable).parent / "nicegui-authenticator"), "serve"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--data-dir", str(tmp_path / "data"), *args],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def get(self, path: str, **headers: str) -> tuple[Message, bytes]:
        return _get(
            f"http://127.0.0.1:{self.port}{path}", {k.replace("_", "-"): v for k, v in headers.items()}
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def default_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``serve`` as shipped: uvicorn trusts ``X-Forwarded-Proto`` from 127.0.0.1 (a local nginx)."""
    served = Served(tmp_path_factory.mktemp("headers"))
    yield served
    served.stop()


@pytest.fixture(scope="module")
def embeddable_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Trusting only a proxy at 192.0.2.7: the test's own requests come from an untrusted peer."""
    served = Served(
        tmp_path_factory.mktemp("embeddable"),
        "--forwarded-allow-ips",
        "192.0.2.7",
        "--frame-ancestors",
        EMBEDDER,
    )
    yield served
    served.stop()


def _csp(headers: Message) -> dict[str, list[str]]:
    policy = headers["content-security-policy"]
    assert policy, "no Content-Security-Policy"
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_finding_7_hosted_page_sends_security_headers(default_serve: Served) -> None:
    headers, body = default_serve.get("/")
    csp = _csp(headers)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    nonces = [source for source in csp["script-src"] if source.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    scripts = re.findall(rb"<script[^>]*>", body)
    assert scripts and all(f'nonce="{nonce}"'.encode() in tag for tag in scripts)
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"] is None  # plain http: no HSTS
    assert all("secure" not in cookie.lower() for cookie in headers.get_all("set-cookie") or [])

    again, _ = default_serve.get("/")
    assert _csp(again)["script-src"] != csp["script-src"], "a fresh nonce per response"

    asset = re.search(rb'src="(/_nicegui/[^"]+\.js)"', body)
    assert asset is not None
    asset_headers, _ = default_serve.get(asset.group(1).decode())
    assert _csp(asset_headers)["frame-ancestors"] == ["'none'"]
    assert asset_headers["x-content-type-options"] == "nosniff"
    assert asset_headers["referrer-policy"] == "no-referrer"


def test_finding_7_https_from_a_trusted_proxy_gets_hsts_and_a_secure_cookie(default_serve: Served) -> None:
    headers, _ = default_serve.get("/", X_Forwarded_Proto="https")
    assert headers["strict-transport-security"].startswith("max-age=")
    cookies = headers.get_all("set-cookie") or []
    assert cookies and all("; secure" in cookie.lower() for cookie in cookies)


def test_finding_7_forwarded_proto_from_an_untrusted_peer_is_ignored(embeddable_serve: Served) -> None:
    headers, _ = embeddable_serve.get("/", X_Forwarded_Proto="https")
    assert headers["strict-transport-security"] is None
    cookies = headers.get_all("set-cookie") or []
    assert cookies and all("secure" not in cookie.lower() for cookie in cookies)


def test_finding_7_embedding_origins_replace_deny(embeddable_serve: Served) -> None:
    headers, _ = embeddable_serve.get("/")
    assert _csp(headers)["frame-ancestors"] == [EMBEDDER]
    assert headers["x-frame-options"] is None  # it cannot name origins; the CSP does


@pytest.mark.parametrize(
    "value", ["app.example.com", "https://a.example.com/path", "https://a.example.com; script-src *"]
)
def test_frame_ancestors_must_be_origins(tmp_path: Path, value: str) -> None:
    ns = build_parser().parse_args(["serve", "--data-dir", str(tmp_path), "--frame-ancestors", value])
    with pytest.raises(UsageError, match="--frame-ancestors"):
        plan_from_args(ns)


def test_https_origins_make_the_page_https_whatever_the_request_says(tmp_path: Path) -> None:
    ns = build_parser().parse_args(
        [
            "serve",
            "--data-dir",
            str(tmp_path),
            "--origin",
            "https://login.example.com",
            "--rp-id",
            "example.com",
        ]
    )
    assert plan_from_args(ns).security.always_https
    assert not plan_from_args(
        build_parser().parse_args(["serve", "--data-dir", str(tmp_path)])
    ).security.always_https


async def _through_middleware(policy: SecurityPolicy, scheme: str) -> httpx.Response:
    """One response of a cookie-setting app behind the page's middleware, as uvicorn's ``scheme``."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"set-cookie", b"id=1; Path=/")]}
        )
        await send({"type": "http.response.body", "body": b"ok"})

    transport = httpx.ASGITransport(app=SecurityHeadersMiddleware(app, policy), client=("203.0.113.66", 5000))
    async with httpx.AsyncClient(transport=transport, base_url=f"{scheme}://login.example.com") as http:
        return await http.get("/", headers={"x-forwarded-proto": "http", "host": "127.0.0.1"})


async def test_finding_7_the_public_url_decides_https_whatever_the_request_says(tmp_path: Path) -> None:
    def plan(url: str) -> Any:
        args = ["serve", "--data-dir", str(tmp_path), "--public-url", url]
        return plan_from_args(build_parser().parse_args(args))

    https, http = plan("https://login.example.com"), plan("http://localhost:8080")
    assert https.settings.public_url == "https://login.example.com"  # the embedded backend's cookies too
    assert https.public_url == "https://login.example.com"
    spoofed = await _through_middleware(https.security, "http")  # a plain request with a downgrade header
    assert spoofed.headers["strict-transport-security"].startswith("max-age=")
    assert "; Secure" in spoofed.headers["set-cookie"]
    claimed = await _through_middleware(http.security, "https")
    assert "strict-transport-security" not in claimed.headers
    assert "Secure" not in claimed.headers["set-cookie"]
    with pytest.raises(UsageError, match="public"):
        plan("ftp://login.example.com")
