"""Page code calling the app's API as the person: ``user_session``, ``current_user``, ``require_user``,
and ``protected(groups=...)``, in NiceGUI's User simulation against the reference backend in-process.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from fastapi import Depends
from nicegui import app, ui
from nicegui.testing import User
from nicegui_authenticator import (
    AccountMenu,
    AuthClient,
    AuthenticatedContent,
    Authenticator,
    AuthUser,
    NotSignedIn,
    current_user,
    protected,
    require_user,
    user_session,
)
from nicegui_authenticator.backend.app import ReferenceBackend
from test_account_menu_support import (
    account,
    eventually,
    has_marker,
    in_process_client,
    reference_backend,
    sign_in,
    texts,
)

SECRET = "Only for signed-in eyes"


def profile_backend(tmp_path: Path) -> ReferenceBackend:
    backend = reference_backend(tmp_path)

    @backend.method("api.getProfile")
    async def get_profile(user: AuthUser) -> dict[str, Any]:
        return {"name": user.username, "plan": "gold"}

    return backend


async def test_a_page_shows_the_profile_and_flips_to_signed_out_when_the_session_is_revoked(
    user: User, tmp_path: Path
) -> None:
    backend = profile_backend(tmp_path)
    name = account(backend, "session-ada")
    client = in_process_client(backend)

    @ui.page("/login")
    def login() -> None:
        Authenticator(client)

    @ui.page("/")
    async def dashboard() -> None:
        AccountMenu(client)
        Authenticator(client)
        with AuthenticatedContent(client):
            ui.label(SECRET)
        shown = ui.label("no profile").mark("profile")

        async def load() -> None:
            try:
                profile = await user_session(client).call("api.getProfile")
            except NotSignedIn:
                shown.text = "session ended"
                return
            assert isinstance(profile, dict)
            shown.text = f"{profile['name']} ({profile['plan']})"

        ui.button("Reload profile", on_click=load).mark("reload")
        who = await current_user(client)
        ui.label(f"current user: {who.username if who else 'nobody'}")
        if who is not None:
            await load()

    await user.open("/")
    await user.should_see("current user: nobody")
    await user.open("/login")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}", retries=100)

    await user.open("/")
    await user.should_see(f"{name} (gold)", retries=100)
    await user.should_see(f"current user: {name}")
    await user.should_see(SECRET)
    await user.should_see(marker="account-menu-signout", retries=100)
    await user.should_see(f"Signed in as: {name}", retries=100)  # the page's own Authenticator

    backend.sign_out_everywhere(name)  # the server ends the session; the page still shows it
    assert SECRET in texts(user)
    user.find(marker="reload").click()
    await user.should_see("session ended", retries=100)
    # The call's NotSignedIn reached this browser's components: all show signed-out now.
    await eventually(lambda: has_marker(user, "account-menu-signin"), timeout=15)
    await eventually(lambda: SECRET not in texts(user), timeout=15)
    await eventually(lambda: has_marker(user, "authenticator-action-signIn"), timeout=15)
    assert not has_marker(user, "account-menu-signout")
    assert f"Signed in as: {name}" not in texts(user)


async def test_require_user_answers_401_403_and_the_user(user: User, tmp_path: Path) -> None:
    backend = profile_backend(tmp_path)
    name = account(backend, "session-bob")
    client = in_process_client(backend)

    @ui.page("/login")
    def login() -> None:
        Authenticator(client)

    @app.get("/test-user-session/me")
    async def me(person: AuthUser = Depends(require_user(client))) -> dict[str, str]:  # noqa: B008
        return {"username": person.username}

    finance_only = Depends(require_user(client, groups=["finance", "cfo"]))

    @app.get("/test-user-session/finance")
    async def finance(person: AuthUser = finance_only) -> list[int]:
        return [1, 2, 3]

    http = user.http_client
    response = await http.get("/test-user-session/me")
    assert (response.status_code, response.json()) == (401, {"detail": "Not signed in"})
    assert (await http.get("/test-user-session/finance")).status_code == 401

    await user.open("/login")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}", retries=100)
    response = await http.get("/test-user-session/me")
    assert (response.status_code, response.json()) == (200, {"username": name})
    response = await http.get("/test-user-session/finance")
    assert (response.status_code, response.json()) == (403, {"detail": "Not allowed"})

    backend.add_to_group(name, "cfo")
    response = await http.get("/test-user-session/finance")
    assert (response.status_code, response.json()) == (200, [1, 2, 3])

    backend.sign_out_everywhere(name)  # asked on every request: a revoked session is refused at once
    assert (await http.get("/test-user-session/finance")).status_code == 401


async def test_protected_page_for_groups_tells_outsiders_they_are_not_allowed(
    user: User, tmp_path: Path
) -> None:
    backend = profile_backend(tmp_path)
    name = account(backend, "session-carol")
    client = in_process_client(backend)
    built: list[str] = []

    @ui.page("/login")
    def login(redirect: str | None = None) -> None:
        Authenticator(client)

    @ui.page("/admin")
    @protected(client, login_path="/login", groups=["admins"])
    def admin() -> None:
        built.append("admin")
        ui.label("Admin console")

    await user.open("/login")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}", retries=100)

    await user.open("/admin")
    await user.should_see(marker="not-allowed", retries=100)
    await user.should_see("You don't have access to this page")
    await user.should_see(f"You are signed in as {name}, but this page is only for certain groups.")
    assert built == [] and "Admin console" not in texts(user)
    user.http_client.headers["Accept-Language"] = "de"  # the page speaks the browser's language
    await user.open("/admin")
    await user.should_see("Sie haben keinen Zugriff auf diese Seite", retries=100)

    backend.add_to_group(name, "admins")
    await user.open("/admin")
    await user.should_see("Admin console", retries=100)
    assert built == ["admin"]


async def test_require_user_answers_503_when_the_sign_in_server_cannot_be_asked(user: User) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = AuthClient(f"http://127.0.0.1:{port}/aws-blocks/api")

    @app.get("/test-user-session/unreachable")
    async def guarded(person: AuthUser = Depends(require_user(unreachable))) -> str:  # noqa: B008
        return person.username

    response = await user.http_client.get("/test-user-session/unreachable")
    assert response.status_code == 503
    assert response.json() == {"detail": "The sign-in service cannot be reached"}
    await unreachable.aclose()
