"""Which session mode signs people into a separate web app: ``serve --session browser`` does, ``server`` not.

Three sites on one machine, as in the README's "Which session mode?":

* B: ``examples/api_backend.py``, the reference backend serving ``authApi`` and
  the app's ``api.getProfile``, allowing the login page (A) and the app (C)
  with ``--cors-origin`` (here its environment variable).
* A: ``nicegui-authenticator serve --endpoint http://localhost:B/...``, the
  hosted login page, allowed to send people on to C.
* C: a static page (the README's separate-app example, byte for byte apart
  from the backend's port) whose script calls ``api.getProfile`` on B with
  ``credentials: "include"``.

In browser mode the sign-in on A is a fetch from the person's browser, so B's
session cookie is stored by the browser and C's call carries it. In server
mode A's Python process signs in and keeps the cookie; the browser has none,
and C is not signed in.
"""

from __future__ import annotations

import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from auth_driver import TIMEOUT, AuthUI
from browser_harness import (
    PASSWORD,
    ROOT,
    ContextFactory,
    Process,
    admin,
    dumped_on_failure,
    free_port,
    unique,
)
from playwright.sync_api import expect

README_BLOCK = re.compile(r"<!-- readme-example: separate-app -->\s*```html\n(?P<code>.*?)```", re.S)
README_BACKEND = "http://localhost:8000"


@dataclass
class Sites:
    backend: Process
    app: Process
    db: Path
    login_port: int

    def url(self, process: Process | int) -> str:
        port = process if isinstance(process, int) else process.port
        return f"http://localhost:{port}"


def separate_app_page() -> str:
    """The README's separate app; it must be ``examples/separate_app/index.html`` byte for byte."""
    code = README_BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert code is not None, "README.md lost its separate-app example"
    example = (ROOT / "examples" / "separate_app" / "index.html").read_text(encoding="utf-8")
    assert code["code"] == example
    return example


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    workdir = tmp_path_factory.mktemp("session-modes")
    backend_port, login_port, app_port = free_port(), free_port(), free_port()
    db = workdir / "backend.sqlite3"
    backend = Process(
        "api-backend",
        [str(ROOT / "examples" / "api_backend.py")],
        backend_port,
        workdir,
        ready_path="/aws-blocks/api",
        env={
            "PORT": str(backend_port),
            "NICEGUI_AUTHENTICATOR_DB": str(db),
            "NICEGUI_AUTHENTICATOR_MFA": "off",
            "NICEGUI_AUTHENTICATOR_CORS_ORIGINS": f"http://localhost:{login_port},http://localhost:{app_port}",
        },
        command=[sys.executable],
    )
    static = workdir / "separate-app"
    static.mkdir()
    page = separate_app_page().replace(README_BACKEND, f"http://localhost:{backend_port}")
    (static / "index.html").write_text(page, encoding="utf-8")
    app = Process(
        "separate-app",
        ["-m", "http.server", str(app_port), "--bind", "127.0.0.1", "--directory", str(static)],
        app_port,
        workdir,
        command=[sys.executable],
    )
    backend.start()
    app.start()
    try:
        yield Sites(backend, app, db, login_port)
    finally:
        app.stop()
        backend.stop()


def login_page(sites: Sites, workdir: Path, session: str, port: int) -> Process:
    args = ["serve", "--port", str(port), "--data-dir", str(workdir / f"data-{session}")]
    args += ["--endpoint", f"{sites.url(sites.backend)}/aws-blocks/api", "--session", session]
    args += ["--allow-redirect", f"localhost:{sites.app.port}"]
    return Process(f"serve-{session}", args, port, workdir).start()


def sign_in_and_go_to_the_app(
    sites: Sites, login: Process, new_context: ContextFactory, username: str
) -> str:
    context = new_context()
    page = context.new_page()
    auth = AuthUI(page)
    auth.open(f"{sites.url(login)}/?redirect={sites.url(sites.app)}/")
    auth.sign_in(username, PASSWORD)
    page.wait_for_url(f"{sites.url(sites.app)}/", timeout=TIMEOUT)
    profile = page.locator("#profile")
    expect(profile).not_to_have_text("Loading…", timeout=TIMEOUT)
    return profile.inner_text()


@pytest.fixture(scope="module")
def browser_login(sites: Sites, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    login = login_page(sites, tmp_path_factory.mktemp("browser-login"), "browser", sites.login_port)
    yield login
    login.stop()


def add_person(sites: Sites, prefix: str) -> str:
    name = unique(prefix)
    admin("add-user", name, "--permanent", db=sites.db, stdin=PASSWORD + "\n")
    return name


def test_browser_mode_signs_the_separate_app_in(
    sites: Sites, browser_login: Process, new_context: ContextFactory
) -> None:
    name = add_person(sites, "browser")
    with dumped_on_failure([sites.backend, sites.app, browser_login]):
        assert sign_in_and_go_to_the_app(sites, browser_login, new_context, name) == f"Signed in as {name}"


def test_browser_mode_keeps_errors_tabs_and_sign_out(
    sites: Sites, browser_login: Process, new_context: ContextFactory
) -> None:
    """Typed errors, kept values and cross-tab updates hold when the browser makes the calls;
    signing out clears the browser's cookie, so the separate app is signed out too."""
    name = add_person(sites, "tabs")
    context = new_context()
    first, second = context.new_page(), context.new_page()
    one, two = AuthUI(first), AuthUI(second)
    with dumped_on_failure([sites.backend, sites.app, browser_login]):
        one.open(sites.url(browser_login) + "/")
        two.open(sites.url(browser_login) + "/")
        one.sign_in(name, "Wr0ng-Password!")
        expect(one.error).to_contain_text("Incorrect username or password", timeout=TIMEOUT)
        expect(one.field("signIn", "username")).to_have_value(name)  # the value is kept
        one.fill("signIn", password=PASSWORD)
        one.submit("signIn")
        one.expect_signed_in(name)
        two.expect_signed_in(name)  # the other tab re-asked the backend with the browser's cookie
        # The backend's cookie is the browser's now (next to NiceGUI's own "session").
        assert "auth_session" in [c["name"] for c in context.cookies(sites.url(sites.backend))]
        app = context.new_page()  # already signed in: the login page sends the person on at once
        app.goto(f"{sites.url(browser_login)}/?redirect={sites.url(sites.app)}/")
        app.wait_for_url(f"{sites.url(sites.app)}/", timeout=TIMEOUT)
        expect(app.locator("#profile")).to_have_text(f"Signed in as {name}", timeout=TIMEOUT)
        one.sign_out()
        two.expect_screen("sign_in")
        app.reload()
        expect(app.locator("#profile")).to_have_text(
            "Not signed in (NotAuthenticatedException)", timeout=TIMEOUT
        )


def test_server_mode_leaves_the_separate_app_signed_out(
    sites: Sites, new_context: ContextFactory, tmp_path: Path
) -> None:
    """The cookie stays in the login page's server-side jar: nothing reaches the browser."""
    name = add_person(sites, "server")
    login = login_page(sites, tmp_path, "server", free_port())
    with dumped_on_failure([sites.backend, sites.app, login]):
        try:
            shown = sign_in_and_go_to_the_app(sites, login, new_context, name)
        finally:
            login.stop()
    assert shown == "Not signed in (NotAuthenticatedException)"


def test_a_disallowed_origin_gets_no_cors_headers(sites: Sites) -> None:
    body = b'{"jsonrpc":"2.0","method":"api.getProfile","params":[],"id":1}'
    headers_of, status_of = {}, {}
    for origin in (sites.url(sites.app), "http://localhost:1"):
        request = urllib.request.Request(
            f"{sites.url(sites.backend)}/aws-blocks/api",
            data=body,
            headers={"Content-Type": "application/json", "Origin": origin},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status_of[origin], answer_headers = response.status, response.headers
        except urllib.error.HTTPError as refusal:  # the forgery guard's 403 (request_forgery.py)
            status_of[origin], answer_headers = refusal.code, refusal.headers
        headers_of[origin] = {k.lower(): v for k, v in answer_headers.items()}
    # One allow-list: the CORS origin may call, any other origin is refused and told nothing.
    assert status_of == {sites.url(sites.app): 200, "http://localhost:1": 403}
    allowed, refused = headers_of[sites.url(sites.app)], headers_of["http://localhost:1"]
    assert allowed["access-control-allow-origin"] == sites.url(sites.app)
    assert allowed["access-control-allow-credentials"] == "true"
    assert not [k for k in refused if k.startswith("access-control-")]
