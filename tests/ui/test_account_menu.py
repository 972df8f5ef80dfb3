"""AccountMenu and AuthenticatedContent in NiceGUI's simulated browser (User fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.ui.components.account_menu import AccountMenu
from nicegui_authenticator.ui.components.authenticated_content import AuthenticatedContent
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_account_menu_support import (
    account,
    eventually,
    has_marker,
    in_process_client,
    reference_backend,
    sign_in,
    texts,
)

SECRET = "Quarterly numbers: 42"


async def test_account_menu_signs_in_through_its_dialog_and_out_again(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "menu-alice")
    client = in_process_client(backend)

    @ui.page("/")
    def page() -> None:
        with ui.header():
            AccountMenu(client)

    await user.open("/")
    await user.should_see(marker="account-menu")
    await user.should_see(marker="account-menu-signin")
    assert not has_marker(user, "account-menu-modal")  # the dialog is built on demand
    user.find(marker="account-menu-signin").click()
    await user.should_see(marker="account-menu-modal")
    await user.should_see(marker="account-menu-modal-close")
    await sign_in(user, name, within="account-menu-modal")

    await user.should_see(marker="account-menu-username")
    (label,) = user.find(marker="account-menu-username").elements
    assert isinstance(label, ui.label) and label.text == name
    (dialog,) = user.find(ui.dialog).elements
    await eventually(lambda: not dialog.value)  # closed by itself once signed in

    user.find(marker="account-menu-signout").click()
    await user.should_see(marker="account-menu-signin")
    await user.should_not_see(marker="account-menu-username")

    await user.open("/")  # a reload agrees with the server
    await user.should_see(marker="account-menu-signin")


async def test_account_menu_knows_the_user_after_a_reload(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "menu-bob")
    client = in_process_client(backend)

    @ui.page("/login")
    def login() -> None:
        Authenticator(client)

    @ui.page("/")
    def page() -> None:
        AccountMenu(client)

    await user.open("/login")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}")
    await user.open("/")
    await user.should_see(marker="account-menu-username")
    await user.should_see(name)


async def test_account_menu_follows_a_sign_in_in_another_tab(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "menu-tabs")
    client = in_process_client(backend)

    @ui.page("/login")
    def login() -> None:
        Authenticator(client)

    @ui.page("/")
    def page() -> None:
        AccountMenu(client)

    await user.open("/")
    await user.should_see(marker="account-menu-signin")
    menu_tab = user.client
    assert menu_tab is not None
    other_tab = User(user.http_client)  # same cookies: the same browser, another tab
    await other_tab.open("/login")
    await sign_in(other_tab, name)
    await other_tab.should_see(f"Signed in as: {name}")

    with menu_tab:
        await eventually(
            lambda: any(
                getattr(e, "text", None) == name and "account-menu-username" in e._markers
                for e in menu_tab.elements.values()
            )
        )


async def test_authenticated_content_never_sends_its_children_to_a_signed_out_browser(
    user: User, tmp_path: Path
) -> None:
    backend = reference_backend(tmp_path)
    client = in_process_client(backend)

    @ui.page("/")
    def page() -> None:
        with AuthenticatedContent(client, fallback=lambda: ui.label("Please sign in")):
            ui.label(SECRET)

    await user.open("/")
    assert SECRET not in texts(user)  # not even hidden: never built into the page
    await user.should_see("Please sign in")
    (root,) = user.find(marker="authenticated-content").elements
    await eventually(lambda: root.props.get("data-state") == "signed-out")
    assert SECRET not in texts(user)


async def test_authenticated_content_appears_after_sign_in_and_leaves_on_sign_out(
    user: User, tmp_path: Path
) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "content-carol")
    client = in_process_client(backend)

    @ui.page("/")
    def page() -> None:
        AccountMenu(client)
        with AuthenticatedContent(client, fallback=lambda: Authenticator(client)):
            ui.label(SECRET)

    await user.open("/")
    await user.should_see(marker="authenticator-action-signIn")
    await sign_in(user, name)
    # A `with` block cannot run twice: the page reloads and this time keeps the children.
    await user.should_see(SECRET, retries=100)
    (root,) = user.find(marker="authenticated-content").elements
    assert root.props.get("data-state") == "signed-in"

    user.find(marker="account-menu-signout").click()
    await eventually(lambda: SECRET not in texts(user))
    await user.should_see(marker="authenticator-action-signIn")


async def test_authenticated_content_shows_at_once_when_the_sign_in_is_known(
    user: User, tmp_path: Path
) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "content-dave")
    client = in_process_client(backend)

    @ui.page("/login")
    def login() -> None:
        Authenticator(client)

    @ui.page("/")
    def page() -> None:
        with AuthenticatedContent(client):
            ui.label(SECRET)

    await user.open("/login")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}")
    # The sign-in happened in an element that does not remember it for this page:
    # the first visit asks the server, reloads once, and the answer is remembered.
    await user.open("/")
    await user.should_see(SECRET, retries=100)
    await user.open("/")
    assert SECRET in texts(user)  # built with the page, no second round trip


async def test_two_authenticated_contents_on_one_page_reload_it_once(
    user: User, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "content-erin")
    client = in_process_client(backend)

    @ui.page("/")
    def page() -> None:
        Authenticator(client)
        with AuthenticatedContent(client):
            ui.label(SECRET)
        with AuthenticatedContent(client):
            ui.label("Second panel")

    await user.open("/")
    await sign_in(user, name)
    await user.should_see(SECRET, retries=100)
    await user.should_see("Second panel")
    assert "cannot remember" not in caplog.text
