"""The shipped nginx site, started for a test: free loopback ports and a throw-away certificate.

Only what a machine-specific install changes anyway is changed: the listen
ports (loopback, free), the two upstream ports, and the certificate paths.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "nicegui-authenticator.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def self_signed(directory: Path, host: str = "localhost") -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
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


@contextlib.contextmanager
def running_site(upstream_ports: tuple[int, int]) -> Iterator[str]:
    """nginx with the shipped site in front of ``upstream_ports``; yields its https base URL."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is not installed: `make test` installs Debian's nginx")
    root = Path(tempfile.mkdtemp(prefix="nicegui-auth-nginx-"))
    cert, key = self_signed(root)
    http_port, https_port = free_port(), free_port()
    text = SITE.read_text()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("127.0.0.1:8081", f"127.0.0.1:{upstream_ports[0]}"),
        ("127.0.0.1:8082", f"127.0.0.1:{upstream_ports[1]}"),
        ("/etc/ssl/certs/auth.example.com.pem", str(cert)),
        ("/etc/ssl/private/auth.example.com.key", str(key)),
    ):
        assert old in text, old
        text = text.replace(old, new)
    (root / "site.conf").write_text(text)
    (root / "nginx.conf").write_text(
        f"daemon off;\nerror_log {root}/error.log;\npid {root}/nginx.pid;\n"
        "events { worker_connections 256; }\n"
        f"http {{ access_log off; client_body_temp_path {root}/body; proxy_temp_path {root}/proxy;\n"
        f"  include {root}/site.conf; }}\n"
    )
    config = ["-p", str(root), "-c", str(root / "nginx.conf")]
    check = subprocess.run([NGINX, "-t", *config], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, *config], stderr=subprocess.PIPE)
    base = f"https://localhost:{https_port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"https://127.0.0.1:{https_port}/", verify=False, timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=20)
        shutil.rmtree(root, ignore_errors=True)
