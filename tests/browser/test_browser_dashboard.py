"""The dashboard building blocks in Chromium: ``examples/dashboard.py`` against a real backend.

AccountMenu (its dialog), AuthenticatedContent (children only after sign-in)
and ``protected`` (away to /login and back) run here as a person meets them,
in an app that is not the hosted page: the example, started as its own
process, talking to ``nicegui-authenticator backend`` over HTTP.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from auth_driver import TIMEOUT, AuthUI
from browser_harness import (
    PASSWORD,
    ROOT,
    ContextFactory,
    Outbox,
    Process,
    admin,
    free_port,
    screenshot,
    start_backend,
    unique,
)
from playwright.sync_api import BrowserContext, Page, expect

SECRET = "Revenue this month"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Outbox]]:
    process, outbox = start_backend(
        tmp_path_factory.mktemp("dashboard-backend"), "--mfa", "off", "--sign-in-with", "username"
    )
    yield process, outbox
    process.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, backend: tuple[Process, Outbox]) -> Iterator[Process]:
    process, _ = backend
    port = free_port()
    app = Process(
        "dashboard",
        [str(ROOT / "examples" / "dashboard.py")],
        port,
        tmp_path_factory.mktemp("dashboard"),
        env={
            "AUTH_ENDPOINT": f"http://127.0.0.1:{process.port}/aws-blocks/api",
            "PORT": str(port),
            "STORAGE_SECRET": "test secret",
        },
        command=[sys.executable],
    )
    yield app.start()
    app.stop()


def _login_target(url: str) -> str | None:
    """The ``redirect`` of a /login URL (None for any other page)."""
    parts = urlsplit(url)
    if parts.path != "/login":
        return None
    return parse_qs(parts.query).get("redirect", [None])[0]


def _account(backend: tuple[Process, Outbox], prefix: str) -> str:
    name = unique(prefix)
    admin("add-user", name, "--permanent", db=backend[0].workdir / "backend.sqlite3", stdin=PASSWORD + "\n")
    return name


def test_a_protected_page_sends_a_visitor_to_log_in_and_back(
    page: Page, server: Process, backend: tuple[Process, Outbox]
) -> None:
    name = _account(backend, "reporter")
    page.goto("/reports?quarter=3")
    page.wait_for_url(lambda url: _login_target(url) == "/reports?quarter=3", timeout=TIMEOUT)
    auth = AuthUI(page)
    auth.expect_screen("sign_in")
    auth.sign_in(name)
    page.wait_for_url(lambda url: url.endswith("/reports?quarter=3"), timeout=TIMEOUT)
    expect(page.get_by_text("Quarterly reports")).to_be_visible()
    expect(page.get_by_test_id("account-menu-username")).to_have_text(name)


def test_account_menu_dialog_signs_in_and_reveals_the_content(
    page: Page, server: Process, backend: tuple[Process, Outbox]
) -> None:
    name = _account(backend, "menu")
    page.goto("/")
    expect(page.get_by_text("Sign in (top right)")).to_be_visible(timeout=TIMEOUT)
    assert SECRET not in page.content()  # not hidden: absent

    page.get_by_test_id("account-menu-signin").click()
    modal = page.get_by_test_id("account-menu-modal")
    expect(modal).to_be_visible()
    expect(page.get_by_test_id("account-menu-modal-close")).to_be_visible()
    screenshot(page, "dashboard-account_menu_modal")
    auth = AuthUI(page, modal.get_by_test_id("authenticator"))
    auth.expect_screen("sign_in")
    auth.sign_in(name)

    expect(page.get_by_text(SECRET)).to_be_visible(timeout=TIMEOUT)
    expect(modal).to_be_hidden()
    expect(page.get_by_test_id("account-menu-username")).to_have_text(name)
    expect(page.get_by_test_id("authenticated-content")).to_have_attribute("data-state", "signed-in")
    screenshot(page, "dashboard-signed_in")

    page.get_by_test_id("account-menu-signout").click()
    expect(page.get_by_test_id("account-menu-signin")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(SECRET)).to_have_count(0)
    expect(page.get_by_text("Sign in (top right)")).to_be_visible()


def test_the_dialog_closes_with_its_close_button(page: Page, server: Process) -> None:
    page.goto("/")
    page.get_by_test_id("account-menu-signin").click()
    expect(page.get_by_test_id("account-menu-modal")).to_be_visible()
    page.get_by_test_id("account-menu-modal-close").click()
    expect(page.get_by_test_id("account-menu-modal")).to_be_hidden()


def test_a_sign_in_in_one_tab_updates_menu_and_content_in_another(
    context: BrowserContext, server: Process, backend: tuple[Process, Outbox]
) -> None:
    name = _account(backend, "tabs")
    watcher, actor = context.new_page(), context.new_page()
    watcher.goto("/")
    expect(watcher.get_by_test_id("account-menu-signin")).to_be_visible(timeout=TIMEOUT)
    actor.goto("/login")
    auth = AuthUI(actor)
    auth.expect_screen("sign_in")
    auth.sign_in(name)
    auth.expect_signed_in(name)

    expect(watcher.get_by_test_id("account-menu-username")).to_have_text(name, timeout=TIMEOUT)
    expect(watcher.get_by_text(SECRET)).to_be_visible(timeout=TIMEOUT)

    auth.sign_out()
    expect(watcher.get_by_test_id("account-menu-signin")).to_be_visible(timeout=TIMEOUT)
    expect(watcher.get_by_text(SECRET)).to_have_count(0)


def test_two_browsers_do_not_share_the_dashboard_session(
    new_context: ContextFactory, server: Process, backend: tuple[Process, Outbox]
) -> None:
    name = _account(backend, "private")
    mine = new_context(server.base_url).new_page()
    theirs = new_context(server.base_url).new_page()
    mine.goto("/login")
    AuthUI(mine).sign_in(name)
    AuthUI(mine).expect_signed_in(name)
    theirs.goto("/reports")
    theirs.wait_for_url(lambda url: _login_target(url) == "/reports", timeout=TIMEOUT)
    theirs.goto("/")
    expect(theirs.get_by_test_id("account-menu-signin")).to_be_visible(timeout=TIMEOUT)
    assert SECRET not in theirs.content()
