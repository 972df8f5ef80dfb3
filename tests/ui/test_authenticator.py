"""The Authenticator element in NiceGUI's simulated browser (User fixture)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.state_machine import AuthUser
from nicegui_authenticator.ui.components.authenticator import Authenticator
from nicegui_authenticator.ui.session.auth_events import (
    AuthChange,
    auth_changed,
    current_browser_id,
    on_same_browser,
)
from test_authenticator_support import (
    FakeBackend,
    element_in,
    eventually,
    fill,
    root,
    signed_in,
    signed_out,
    submit,
    text_of,
    wait_for_screen,
)


async def test_sign_in_and_out(user: User) -> None:
    backend = FakeBackend()

    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(backend))

    await user.open("/")
    await user.should_see(marker="authenticator-action-signIn")
    await fill(user, "signIn", {"username": "alice", "password": "Passw0rd!"})
    await submit(user, "signIn")
    await user.should_see("Signed in as: alice")
    await submit(user, "signOut")
    await user.should_see(marker="authenticator-action-signIn")


async def test_sign_up_confirm_and_signed_in(user: User) -> None:
    backend = FakeBackend()
    changes: list[str | None] = []

    @ui.page("/")
    def page() -> None:
        Authenticator(
            InProcessApi(backend), on_auth_change=lambda u: changes.append(u.username if u else None)
        )

    await user.open("/")
    await user.should_see(marker="authenticator-tab-signUp")
    user.find(marker="authenticator-tab-signUp").click()
    await user.should_see(marker="authenticator-action-signUp")
    await fill(
        user,
        "signUp",
        {"username": "bob", "password": "Sup3rS3cret!", "confirmPassword": "Sup3rS3cret!", "email": "b@x.io"},
    )
    await submit(user, "signUp")
    await user.should_see(marker="authenticator-action-confirmSignUp")
    await user.should_see(marker="authenticator-action-resendSignUpCode")
    await fill(user, "confirmSignUp", {"code": "123 456"})
    await submit(user, "confirmSignUp")
    await user.should_see("Signed in as: bob")
    assert backend.calls[-1] == {"action": "confirmSignUp", "username": "bob", "code": "123456"}
    assert changes == ["bob"]


class CountingBackend(FakeBackend):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get_auth_state(self) -> dict[str, Any]:
        self.reads += 1
        return super().get_auth_state()


async def test_other_tabs_of_the_same_browser_follow_sign_in_and_out(
    user: User, create_user: Callable[[], User]
) -> None:
    """Two tabs of one browser (two clients sharing the browser's session cookie)
    follow each other without a reload; another browser is left alone."""
    backend = FakeBackend()  # one server-side session, like one browser's cookie jar
    stranger = CountingBackend()
    seen: list[str | None] = []

    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(backend), on_auth_change=lambda u: seen.append(u.username if u else None))

    @ui.page("/other")
    def other() -> None:
        Authenticator(InProcessApi(stranger))

    other_browser = create_user()
    await other_browser.open("/other")
    await eventually(lambda: stranger.reads == 1)
    await user.open("/")
    second_tab = create_user()
    second_tab.http_client.cookies = user.http_client.cookies  # same browser, another tab
    await second_tab.open("/")
    await wait_for_screen(user, "sign_in")
    await wait_for_screen(second_tab, "sign_in")
    await fill(user, "signIn", {"username": "alice", "password": "Passw0rd!"})
    await submit(user, "signIn")
    await wait_for_screen(user, "signed_in")
    await wait_for_screen(second_tab, "signed_in")  # without a reload
    await submit(second_tab, "signOut")
    await wait_for_screen(user, "sign_in")
    # Each tab reports to the host app: the acting tab and the following one.
    await eventually(lambda: seen.count(None) == 2)
    assert seen.count("alice") == 2
    assert stranger.reads == 1


async def test_auth_events_are_scoped_by_browser(user: User) -> None:
    got: list[AuthChange] = []

    @ui.page("/")
    def page() -> None:
        on_same_browser(got.append)
        ui.label("ready")

    await user.open("/")
    await user.should_see("ready")
    with user:
        mine = current_browser_id()
    assert mine is not None
    auth_changed.emit(AuthChange("someone-else", None))
    auth_changed.emit(AuthChange(mine, AuthUser(userId="u1", username="alice")))
    await eventually(lambda: len(got) == 1)
    await asyncio.sleep(0.05)
    assert [c.user.username if c.user else None for c in got] == ["alice"]


async def test_hide_sign_up_and_catalog(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(
            InProcessApi(FakeBackend()),
            hide_sign_up=True,
            catalog={"screen.sign_in": "Anmelden", "action.signIn": "Los"},
        )

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    await user.should_not_see(marker="authenticator-tab-signUp")
    await user.should_see("Anmelden")
    assert text_of(user, "authenticator-heading") == "Anmelden"
    assert element_in(user, "signIn", "authenticator-submit").props["label"] == "Los"


async def test_children_show_only_when_signed_in_and_signed_in_card_can_hide(user: User) -> None:
    backend = FakeBackend(state=signed_in("alice"))

    @ui.page("/")
    def page() -> None:
        with Authenticator(InProcessApi(backend), show_signed_in=False):
            ui.label("secret dashboard")

    await user.open("/")
    await wait_for_screen(user, "signed_in")
    await user.should_see("secret dashboard")
    await user.should_not_see(marker="authenticator-signed-in")
    backend.state = signed_out()
    (auth,) = [e for e in user.current_layout.descendants() if isinstance(e, Authenticator)]
    await auth.refresh()
    await wait_for_screen(user, "sign_in")
    await user.should_not_see("secret dashboard")
    assert auth.user is None and auth.screen.name.value == "sign_in"


class _LateFirstState(InProcessApi):
    """getAuthState waits for ``release``: a server slower than the page's wait."""

    def __init__(self, backend: object) -> None:
        super().__init__(backend)
        self.release = asyncio.Event()

    async def get_auth_state(self) -> Any:
        await self.release.wait()
        return await super().get_auth_state()


async def test_a_page_awaiting_ready_shows_the_loading_screen_only_when_the_server_is_late(
    user: User,
) -> None:
    api = _LateFirstState(FakeBackend())
    waited: list[bool] = []

    @ui.page("/")
    async def page() -> None:
        element = Authenticator(api, show_loading=False)
        waited.append(await element.ready(timeout=0.05))

    await user.open("/")
    assert waited == [False]
    await user.should_see(marker="authenticator-heading")  # the loading screen, drawn by ready()
    assert root(user).props["data-screen"] == "loading"
    api.release.set()
    await wait_for_screen(user, "sign_in")
