"""The shipped nginx site, run for real: TLS, sticky routing, the visitor's address, failover.

The site file is used as shipped except for what a machine-specific install
changes anyway: ports (free loopback ones instead of 80/443/8081/8082) and
the certificate (a throw-away self-signed one). Two tiny upstreams stand in
for the two ``serve`` processes and answer with their name and the
``X-Forwarded-For`` nginx sent them.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import httpx
import pytest
from nginx_site import free_port, running_site


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
    a_port, b_port = free_port(), free_port()
    upstreams = {"a": _upstream("a", a_port), "b": _upstream("b", b_port)}
    try:
        with running_site((a_port, b_port)) as base:
            yield base, upstreams
    finally:
        for server in upstreams.values():
            server.shutdown()
            server.server_close()


def test_the_nginx_site_routes_stickily_names_the_visitor_and_fails_over(
    site: tuple[str, dict[str, _Upstream]],
) -> None:
    base, upstreams = site
    # Browsers arrive until both processes have some: nginx's consistent hash splits the
    # random route keys unevenly, by a ratio that depends on the two ports (8 fixed browsers
    # all landed on one process in a CI run). At a 65/35 split, 40 all on one is ~3e-8.
    browsers: list[httpx.Client] = []
    try:
        homes: list[str] = []
        while len(browsers) < 40 and (len(browsers) < 8 or set(homes) != {"a", "b"}):
            browser = httpx.Client(base_url=base, verify=False, headers={"Host": "auth.example.com"})
            browsers.append(browser)
            # A forged X-Forwarded-For is replaced by the address nginx saw.
            first = browser.get("/", headers={"X-Forwarded-For": "6.6.6.6"})
            assert first.json()["xff"] == "127.0.0.1"
            assert "na_route" in browser.cookies and "Secure" in first.headers["set-cookie"]
            assert first.headers["strict-transport-security"].startswith("max-age=")
            visits = {browser.get("/").json()["name"] for _ in range(5)}
            assert visits == {first.json()["name"]}, "a browser must stay with its process"
            homes.append(first.json()["name"])
        assert set(homes) == {"a", "b"}, f"{len(homes)} browsers all on one process: {homes}"
        upstreams["a"].shutdown()
        upstreams["a"].server_close()
        for browser, home in zip(browsers, homes, strict=True):
            assert browser.get("/").json()["name"] == "b", f"browser that lived on {home} was not moved"
    finally:
        for browser in browsers:
            browser.close()
