"""The fixtures of ``nicegui_authenticator.testing`` (see the package docstring)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import httpx
import pytest
import pytest_asyncio

from ..backend.app import ReferenceBackend
from ..backend.settings import BackendSettings, ScryptCost
from ..client.headless import HeadlessAuthenticator
from ..client.transport import AuthClient
from ..state_machine import Screen

if TYPE_CHECKING:
    from nicegui.testing import User

MARKER: Final = "auth_backend"
SIGNED_IN_USERNAME: Final = "tester"
SIGNED_IN_PASSWORD: Final = "Tangerine-Kite-7"
SIGN_IN_PATH: Final = "/_nicegui_authenticator/test-sign-in"
# A test hashes each password once or twice; production's scrypt cost would only slow it down.
TEST_HASH_COST: Final = ScryptCost(n=2**4, r=8, p=1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(**settings): BackendSettings for the auth_backend fixture (mode, mfa, ...)"
    )


class AuthOutbox:
    """The codes the in-process backend "sent", newest first."""

    def __init__(self, backend: ReferenceBackend) -> None:
        self._backend = backend

    def latest(self, who: str, purpose: str | None = None) -> str:
        """The newest code sent for a username or to an address (AssertionError when none)."""
        code = self._backend.latest_code(who, purpose)
        assert code is not None, f"no code was sent for {who!r}"
        return code

    def code_for(self, who: str) -> Callable[[Screen], str]:
        """A ``code=`` source for :class:`HeadlessAuthenticator`'s helpers."""
        return lambda screen: self.latest(who)

    def messages(self) -> list[dict[str, str]]:
        return self._backend.list_outbox()


@pytest.fixture
def auth_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReferenceBackend]:
    """A fresh reference backend; ``@pytest.mark.auth_backend(...)`` sets its options."""
    marker = request.node.get_closest_marker(MARKER)
    options: dict[str, Any] = {"password_hash_cost": TEST_HASH_COST, **(marker.kwargs if marker else {})}
    options.setdefault("db_path", str(tmp_path / "nicegui-authenticator-test.sqlite3"))
    backend = ReferenceBackend(BackendSettings(**options))
    try:
        yield backend
    finally:
        backend.close()


@pytest_asyncio.fixture
async def auth_client(auth_backend: ReferenceBackend) -> AsyncIterator[AuthClient]:
    """An AuthClient that reaches ``auth_backend`` in-process (httpx's ASGI transport)."""
    settings = auth_backend.settings
    transport = httpx.ASGITransport(app=auth_backend.asgi_app)
    client = AuthClient(f"http://127.0.0.1{settings.path}", settings.namespace, transport=transport)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def headless(auth_client: AuthClient) -> HeadlessAuthenticator:
    """A browserless authenticator (the machine the NiceGUI element runs) on ``auth_client``."""
    return HeadlessAuthenticator(auth_client)


@pytest.fixture
def auth_outbox(auth_backend: ReferenceBackend) -> AuthOutbox:
    return AuthOutbox(auth_backend)


@pytest_asyncio.fixture
async def signed_in_user(user: User, auth_backend: ReferenceBackend, auth_client: AuthClient) -> User:
    """NiceGUI's ``User``, signed in as ``SIGNED_IN_USERNAME`` through a real Authenticator.

    The account is created with the admin API; the sign-in itself is typed into
    the Authenticator on a page of the plugin's own, so the browser's cookie
    jar (``app.storage.user``) holds a real session, as after a real sign-in.
    """
    from nicegui import ui

    from ..ui.components.authenticator import Authenticator

    auth_backend.add_user(SIGNED_IN_USERNAME, SIGNED_IN_PASSWORD, temporary=False)

    @ui.page(SIGN_IN_PATH)
    def sign_in() -> None:
        Authenticator(auth_client)

    await user.open(SIGN_IN_PATH)
    await user.should_see(marker="authenticator-action-signIn")
    with user.scope(marker="authenticator-action-signIn"):
        for name, value in (("username", SIGNED_IN_USERNAME), ("password", SIGNED_IN_PASSWORD)):
            (field,) = user.find(marker=f"authenticator-{name}").elements
            field.value = value  # type: ignore[attr-defined]
        user.find(marker="authenticator-submit").click()
    await _until_signed_in(user)
    return user


async def _until_signed_in(user: User, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        (root,) = user.find(marker="authenticator").elements
        if root.props.get("data-screen") == "signed_in":
            return
        assert loop.time() < deadline, f"sign-in did not finish (screen {root.props.get('data-screen')!r})"
        await asyncio.sleep(0.02)
