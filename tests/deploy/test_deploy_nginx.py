"""The shipped nginx site, run for real: TLS, sticky routing, the visitor's address, failover.

The site file is used as shipped except for what a machine-specific install
changes anyway: ports (free loopback ones instead of 80/443/8081/8082) and
the certificate (a throw-away self-signed one). Two tiny upstreams stand in
for the two ``serve`` processes and answer with their name and the
``X-Forwarded-For`` nginx sent them.
"""

from __future__ import annotations

import datetime
import http.server
import json
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "nicegui-authenticator.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "auth.example.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class _Upstream(http.server.ThreadingHTTPServer):
    name: str


class _Echo(http.server.BaseHTTPRequestHandler):
    server: _Upstream

    def do_GET(self) -> None:
        body = json.dumps({"name": self.server.name, "xff": self.headers.get("X-Forwarded-For")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _upstream(name: str, port: int) -> _Upstream:
    server = _Upstream(("127.0.0.1", port), _Echo)
    server.name = name
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def site() -> Iterator[tuple[str, dict[str, _Upstream]]]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: `make test` installs Debian's nginx")
    root = Path(tempfile.mkdtemp(prefix="nicegui-auth-nginx-"))
    cert, key = _self_signed(root)
    http_port, https_port, a_port, b_port = (_free_port() for _ in range(4))
    text = SITE.read_text()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("127.0.0.1:8081", f"127.0.0.1:{a_port}"),
        ("127.0.0.1:8082", f"127.0.0.1:{b_port}"),
        ("/etc/ssl/certs/auth.example.com.pem", str(cert)),
        ("/etc/ssl/private/auth.example.com.key", str(key)),
    ):
        assert old in text, old
        text = text.replace(old, new)
    (root / "site.conf").write_text(text)
    (root / "nginx.conf").write_text(
        f"daemon off;\nerror_log {root}/error.log;\npid {root}/nginx.pid;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; client_body_temp_path {root}/body; proxy_temp_path {root}/proxy;\n"
        f"  include {root}/site.conf; }}\n"
    )
    upstreams = {"a": _upstream("a", a_port), "b": _upstream("b", b_port)}
    check = subprocess.run(
        [NGINX, "-t", "-p", str(root), "-c", str(root / "nginx.conf")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [NGINX, "-p", str(root), "-c", str(root / "nginx.conf")], stderr=subprocess.PIPE
    )
    base = f"https://127.0.0.1:{https_port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(base, verify=False, timeout=2)
            break
        except httpx.TransportError:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    try:
        yield base, upstreams
    finally:
        process.terminate()
        process.communicate(timeout=20)
        for server in upstreams.values():
            server.shutdown()
            server.server_close()
        shutil.rmtree(root, ignore_errors=True)


def test_the_nginx_site_routes_stickily_names_the_visitor_and_fails_over(
    site: tuple[str, dict[str, _Upstream]],
) -> None:
    base, upstreams = site
    browsers = [
        httpx.Client(base_url=base, verify=False, headers={"Host": "auth.example.com"}) for _ in range(8)
    ]
    try:
        homes = []
        for browser in browsers:
            # A forged X-Forwarded-For is replaced by the address nginx saw.
            first = browser.get("/", headers={"X-Forwarded-For": "6.6.6.6"})
            assert first.json()["xff"] == "127.0.0.1"
            assert "na_route" in browser.cookies and "Secure" in first.headers["set-cookie"]
            assert first.headers["strict-transport-security"].startswith("max-age=")
            visits = {browser.get("/").json()["name"] for _ in range(5)}
            assert visits == {first.json()["name"]}, "a browser must stay with its process"
            homes.append(first.json()["name"])
        assert set(homes) == {"a", "b"}, f"8 browsers all on one process: {homes}"
        upstreams["a"].shutdown()
        upstreams["a"].server_close()
        for browser, home in zip(browsers, homes, strict=True):
            assert browser.get("/").json()["name"] == "b", f"browser that lived on {home} was not moved"
    finally:
        for browser in browsers:
            browser.close()
