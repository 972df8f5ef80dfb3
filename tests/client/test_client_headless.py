"""HeadlessAuthenticator against the reference backend, in-process.

The helpers must walk real challenges (MFA setup, TOTP, emailed codes, new
password) and stop with a clear AuthFlowError where a flow cannot go on.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.passwords import ScryptCost
from nicegui_authenticator.backend.settings import BackendSettings
from nicegui_authenticator.client import AuthClient, InProcessApi, TransportError
from nicegui_authenticator.client.headless import AuthFlowError, HeadlessAuthenticator
from nicegui_authenticator.state_machine import AuthUser, ScreenName
from nicegui_authenticator.state_machine.messages import msg

PASSWORD = "Tangerine-Kite-7"  # the reference backend refuses common passwords


@pytest.fixture
def make_backend(tmp_path: Path) -> Callable[..., ReferenceBackend]:
    made: list[ReferenceBackend] = []

    def make(**changes: Any) -> ReferenceBackend:
        settings = BackendSettings(
            db_path=str(tmp_path / f"auth{len(made)}.sqlite3"),
            password_hash_cost=ScryptCost(n=2**10, r=8, p=1),
            **changes,
        )
        made.append(ReferenceBackend(settings))
        return made[-1]

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
async def client_for() -> AsyncIterator[Callable[[ReferenceBackend], AuthClient]]:
    clients: list[AuthClient] = []

    def make(backend: ReferenceBackend) -> AuthClient:
        transport = httpx.ASGITransport(app=backend.asgi_app)
        clients.append(AuthClient("http://127.0.0.1/aws-blocks/api", transport=transport))
        return clients[-1]

    yield make
    for client in clients:
        await client.aclose()


async def test_mfa_required_enrols_totp_then_signs_in_with_it(make_backend, client_for) -> None:
    backend = make_backend(mfa="required", mfa_types=("TOTP",))
    auth = HeadlessAuthenticator(client_for(backend))
    screen = await auth.sign_up(
        "erin",
        PASSWORD,
        attributes={"email": "erin@example.com"},
        code=lambda s: backend.latest_code("erin") or "",
    )
    assert screen.user is not None and screen.user.username == "erin"
    assert auth.enrolled_totp_secret  # the setup screen's secret, enrolled with a real code
    await auth.sign_out()
    secret = auth.enrolled_totp_secret
    # The enrolment code cannot be used again (replay protection, tested in the
    # backend suite), so answer with the authenticator's code of the next
    # 30-second step, which one step of allowed drift accepts.
    other = HeadlessAuthenticator(client_for(backend))
    user = await other.sign_in("erin", PASSWORD, code=lambda s: pyotp.TOTP(secret).at(time.time() + 30))
    assert user.username == "erin"


async def test_emailed_code_comes_from_the_callback(make_backend, client_for) -> None:
    backend = make_backend(mfa="optional", mfa_types=("EMAIL",), email_mfa_on_sign_up=True)
    signup = HeadlessAuthenticator(client_for(backend))
    await signup.sign_up(
        "fay",
        PASSWORD,
        attributes={"email": "fay@example.com"},
        code=lambda s: backend.latest_code("fay") or "",
    )
    seen: list[str | None] = []

    def code(screen: Any) -> str:
        seen.append(screen.destination)
        return backend.latest_code("fay") or ""

    auth = HeadlessAuthenticator(client_for(backend))
    user = await auth.sign_in("fay", PASSWORD, code=code)
    assert user.username == "fay"
    assert seen and seen[0] is not None and "@" in seen[0]  # the masked destination reached the callback


async def test_new_password_challenge_for_an_admin_created_user(make_backend, client_for) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("gus", "Temp-Passw0rd!", email="gus@example.com")
    auth = HeadlessAuthenticator(client_for(backend))
    with pytest.raises(AuthFlowError) as stopped:
        await auth.sign_in("gus", "Temp-Passw0rd!")
    assert stopped.value.screen.name is ScreenName.NEW_PASSWORD
    assert "new_password" in str(stopped.value)
    fresh = HeadlessAuthenticator(client_for(backend))
    user = await fresh.sign_in("gus", "Temp-Passw0rd!", new_password="N3w-Passw0rd!")
    assert user.username == "gus"


async def test_wrong_password_names_the_screen_and_error(make_backend, client_for) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("hal", PASSWORD, temporary=False)
    auth = HeadlessAuthenticator(client_for(backend))
    with pytest.raises(AuthFlowError) as stopped:
        await auth.sign_in("hal", "wrong-Passw0rd!")
    assert stopped.value.screen.name is ScreenName.SIGN_IN
    assert stopped.value.screen.error_name == "NotAuthorizedException"
    assert "sign_in" in str(stopped.value)


async def test_auth_change_callback_sees_sign_in_and_out(make_backend, client_for) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ida", PASSWORD, temporary=False)
    changes: list[AuthUser | None] = []
    auth = HeadlessAuthenticator(client_for(backend), on_auth_change=changes.append)
    await auth.sign_in("ida", PASSWORD)
    await auth.sign_out()
    assert [c.username if c else None for c in changes] == ["ida", None]


async def test_passkeys_without_a_callback_say_unavailable(make_backend, client_for) -> None:
    backend = make_backend(mfa="off", passkeys=True)
    backend.add_user("jo", PASSWORD, temporary=False)
    auth = HeadlessAuthenticator(client_for(backend))
    await auth.sign_in("jo", PASSWORD)
    screen = await auth.submit(action="startPasskeyRegistration")
    assert screen.name is ScreenName.PASSKEY_REGISTER
    screen = await auth.submit()
    assert screen.name is ScreenName.PASSKEY_REGISTER  # nothing hangs, nothing is sent
    assert screen.error is not None and getattr(screen.error, "key", "") == "error.passkey_unavailable"
    assert not screen.pending


async def test_transport_failure_keeps_values_and_retry_resends() -> None:
    class Flaky:
        """A fake backend that fails once, then answers."""

        def __init__(self) -> None:
            self.calls: list[dict[str, Any]] = []
            self.fail_next = False

        async def get_auth_state(self) -> dict[str, Any]:
            return {
                "state": "signedOut",
                "actions": [
                    {
                        "name": "signIn",
                        "fields": [
                            {"name": "username", "type": "text", "required": True},
                            {"name": "password", "type": "password", "required": True},
                        ],
                    }
                ],
            }

        async def set_auth_state(self, payload: dict[str, Any]) -> dict[str, Any]:
            self.calls.append(payload)
            if self.fail_next:
                self.fail_next = False
                raise TransportError("down", kind="connect")
            return {
                "state": "signedIn",
                "user": {"userId": "u1", "username": payload["username"]},
                "actions": [],
            }

    fake = Flaky()
    auth = HeadlessAuthenticator(InProcessApi(fake))
    await auth.start()
    fake.fail_next = True
    screen = await auth.submit({"username": "kim", "password": PASSWORD})
    assert screen.name is ScreenName.SIGN_IN and screen.can_retry
    assert screen.primary is not None and screen.primary.field("username").value == "kim"  # type: ignore[union-attr]
    screen = await auth.retry()
    assert screen.user is not None and screen.user.username == "kim"
    assert fake.calls[0] == fake.calls[1]  # the identical payload went out again


async def test_choice_flow_picks_a_first_factor(make_backend, client_for) -> None:
    backend = make_backend(flow="choice", mfa="off", sign_in_with=("email",))
    backend.add_user("ann@example.com", PASSWORD, temporary=False)
    auth = HeadlessAuthenticator(client_for(backend))
    screen = await auth.start()
    assert screen.primary is not None and not screen.primary.field("password").required  # type: ignore[union-attr]
    screen = await auth.submit({"username": "ann@example.com"})
    assert screen.name is ScreenName.SELECT_FIRST_FACTOR
    assert [c.value for c in screen.choices] == ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]
    screen = await auth.submit({"firstFactor": "EMAIL_OTP"})
    assert screen.name is ScreenName.CONFIRM_CODE and screen.code_variant == "email"
    screen = await auth.submit({"code": backend.latest_code("ann@example.com") or ""})
    assert screen.user is not None and screen.user.username == "ann@example.com"
    await auth.sign_out()
    user = await auth.sign_in("ann@example.com", PASSWORD, mfa_type="PASSWORD")
    assert user.username == "ann@example.com"


async def test_a_delay_after_wrong_passwords_reaches_the_screen_with_its_wait(
    make_backend, client_for
) -> None:
    """Finding 2, end to end: the backend's ``retryAfter`` becomes "Try again in 1 s" on the
    sign-in screen, which stays filled in; after the wait (a fixed clock here, so none passes)
    nothing else is needed but trying again."""
    backend = make_backend(mfa="off", clock=lambda: 1_800_000_000.0)
    backend.add_user("dee", PASSWORD, temporary=False)
    auth = HeadlessAuthenticator(client_for(backend))
    for typo in ("typo-one", "typo-two", "typo-three"):
        with pytest.raises(AuthFlowError) as wrong:
            await auth.sign_in("dee", typo)
        assert wrong.value.screen.error == msg("error.invalid_credentials")
    with pytest.raises(AuthFlowError) as early:
        await auth.sign_in("dee", PASSWORD)
    assert early.value.screen.name is ScreenName.SIGN_IN
    assert early.value.screen.error == msg("error.retry_in", count="1")
    assert "1 s" in str(early.value)
