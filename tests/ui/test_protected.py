"""``protected`` pages and the login page's ``?redirect=`` in NiceGUI's User simulation."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.ui.components.account_menu import AccountMenu
from nicegui_authenticator.ui.components.authenticator import Authenticator
from nicegui_authenticator.ui.components.protected import protected
from nicegui_authenticator.ui.hosted.pages import sign_in_page
from test_account_menu_support import (
    account,
    eventually,
    in_process_client,
    reference_backend,
    sign_in,
    texts,
)

REPORT = "Quarterly report"


async def test_a_signed_out_visitor_is_redirected_to_the_login_page_with_the_way_back(
    user: User, tmp_path: Path
) -> None:
    client = in_process_client(reference_backend(tmp_path))
    built: list[str] = []

    @ui.page("/reports/{year}")
    @protected(client, login_path="/login")
    def reports(year: int, tab: str = "sales") -> None:
        built.append(f"{year}/{tab}")
        ui.label(REPORT)

    @ui.page("/login")
    def login() -> None:
        ui.label("login page")

    response = await user.http_client.get("/reports/2024?tab=costs", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?redirect=/reports/2024%3Ftab%3Dcosts"
    assert built == []  # nothing of the page was built for the signed-out visitor


async def test_after_sign_in_the_visitor_comes_back_to_the_protected_page(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "prot-alice")
    client = in_process_client(backend)

    @ui.page("/reports/{year}")
    @protected(client, login_path="/login")
    async def reports(year: int, request: Request) -> None:
        ui.label(f"{REPORT} {year} ({request.url.query})")

    @ui.page("/login")
    def login(redirect: str | None = None) -> None:
        sign_in_page(client, redirect=redirect)

    await user.open("/reports/2024?tab=costs")  # follows the redirect to the login page
    await user.should_see(marker="authenticator-action-signIn")
    await sign_in(user, name)
    await user.should_see(f"{REPORT} 2024 (tab=costs)", retries=100)


async def test_a_protected_page_leaves_when_the_browser_signs_out_elsewhere(
    user: User, tmp_path: Path
) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "prot-bob")
    client = in_process_client(backend)

    @ui.page("/login")
    def login(redirect: str | None = None) -> None:
        sign_in_page(client, redirect=redirect)

    @ui.page("/reports")
    @protected(client, login_path="/login")
    def reports() -> None:
        AccountMenu(client)
        ui.label(REPORT)

    await user.open("/login")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}")
    await user.open("/reports")
    await user.should_see(REPORT)
    await user.should_see(marker="account-menu-signout")
    user.find(marker="account-menu-signout").click()
    await eventually(lambda: REPORT not in texts(user))
    await user.should_see(marker="authenticator-action-signIn")


async def test_the_login_page_follows_only_allowed_redirects(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "prot-carol")
    client = in_process_client(backend)

    @ui.page("/login")
    def login(redirect: str | None = None) -> None:
        sign_in_page(client, redirect=redirect)

    @ui.page("/home")
    def home() -> None:
        ui.label("home page")

    await user.open("/login?redirect=//evil.example/steal")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}")  # stays: the signed-in page, no navigation
    assert user.back_history[-1].startswith("/login")

    await user.open("/login?redirect=/home")  # already signed in: sent on at once
    await user.should_see("home page", retries=100)


async def test_an_authenticator_without_redirect_shows_the_account_page(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "prot-dave")
    client = in_process_client(backend)

    @ui.page("/login")
    def login(redirect: str | None = None) -> None:
        Authenticator(client)

    await user.open("/login")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}")
    await user.should_see(marker="authenticator-action-signOut")
