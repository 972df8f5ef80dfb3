"""Every main screen, driven through the Authenticator against the reference backend in-process.

The backend runs in the test process behind httpx's ASGI transport; the
element reaches it through a real ``AuthClient`` and the per-browser cookie jar
in ``app.storage.user``, exactly as in production. Codes come from the
backend's outbox; TOTP codes are computed with pyotp from the shown secret.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pyotp
import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import (
    cheap_backend,
    element_in,
    fill,
    in_process_client,
    submit,
    text_of,
    wait_for_screen,
)

STRONG = "Tangerine-Kite-7"  # the reference backend refuses common passwords
NEWER = "N3w-Passw0rd!"

Setup = Callable[..., Any]


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[Setup]:
    """``backend = serve(**settings)``: a reference backend and a page ``/`` with an Authenticator on it."""
    opened: list[Any] = []

    def setup(**changes: Any) -> Any:
        backend = cheap_backend(str(tmp_path / f"auth{len(opened)}.sqlite3"), **changes)
        client = in_process_client(backend)
        opened.append((backend, client))

        @ui.page("/")
        def page() -> None:
            Authenticator(client, issuer="Test App")

        return backend

    yield setup
    for backend, client in opened:
        await client.aclose()
        backend.close()


async def sign_in(user: User, username: str, password: str) -> None:
    await wait_for_screen(user, "sign_in")
    await fill(user, "signIn", {"username": username, "password": password})
    await submit(user, "signIn")


async def test_wrong_password_keeps_values_then_signs_in(user: User, serve: Setup) -> None:
    backend = serve(mfa="off")
    backend.add_user("alice", STRONG, temporary=False)
    await user.open("/")
    await sign_in(user, "alice", "wrong-password")
    await user.should_see(marker="authenticator-error")
    assert text_of(user, "authenticator-error") == "Incorrect username or password."
    assert element_in(user, "signIn", "authenticator-username").value == "alice"
    password = element_in(user, "signIn", "authenticator-password")
    assert password.error == "Incorrect username or password."  # also under the field
    # ... tied to the input, and not a second live region (the banner is the one that announces it)
    assert password.props["aria-invalid"] == "true"
    assert "error-message" not in password.props
    assert password.props["aria-describedby"].startswith("na-error-")
    # ... and printed once: the banner shows the words, the field turns red and keeps them for
    # screen readers only.
    (under,) = [
        e for e in user.client.elements.values() if e.props.get("id") == password.props["aria-describedby"]
    ]
    assert under.text == "Incorrect username or password." and "na-sr-only" in under.classes
    password.value = STRONG
    assert "aria-invalid" not in password.props
    await submit(user, "signIn")
    await wait_for_screen(user, "signed_in")
    assert text_of(user, "authenticator-signed-in") == "Signed in as: alice"
    await user.should_not_see(marker="authenticator-error")


async def test_sign_up_confirm_with_outbox_code(user: User, serve: Setup) -> None:
    backend = serve(mfa="off")
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    user.find(marker="authenticator-tab-signUp").click()
    await wait_for_screen(user, "sign_up")
    await fill(
        user,
        "signUp",
        {"username": "carol", "password": STRONG, "confirmPassword": STRONG, "email": "carol@example.com"},
    )
    await submit(user, "signUp")
    await wait_for_screen(user, "confirm_sign_up")
    await user.should_see(marker="authenticator-action-resendSignUpCode")
    await fill(user, "confirmSignUp", {"code": backend.latest_code("carol")})
    await submit(user, "confirmSignUp")
    await wait_for_screen(user, "signed_in")
    assert text_of(user, "authenticator-signed-in") == "Signed in as: carol"


async def test_reload_keeps_the_session_per_browser(user: User, serve: Setup) -> None:
    backend = serve(mfa="off")
    backend.add_user("alice", STRONG, temporary=False)
    await user.open("/")
    await sign_in(user, "alice", STRONG)
    await wait_for_screen(user, "signed_in")
    await user.open("/")  # a reload: same browser, same stored cookie jar
    await wait_for_screen(user, "signed_in")
    await submit(user, "signOut")
    await wait_for_screen(user, "sign_in")


async def test_forgot_password_end_to_end(user: User, serve: Setup) -> None:
    backend = serve(mfa="off")
    backend.add_user("alice", STRONG, temporary=False, email="alice@example.com")
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    user.find(marker="authenticator-link-forgotPassword").click()
    await wait_for_screen(user, "forgot_password")
    await user.should_see(marker="authenticator-link-backToSignIn")
    await fill(user, "resetPassword", {"username": "alice"})
    await submit(user, "resetPassword")
    await wait_for_screen(user, "confirm_reset_password")
    code = backend.latest_code("alice")
    await fill(user, "confirmResetPassword", {"code": code, "newPassword": NEWER, "confirmPassword": NEWER})
    await submit(user, "confirmResetPassword")
    await wait_for_screen(user, "sign_in")
    await user.should_see(marker="authenticator-notice")
    await sign_in(user, "alice", NEWER)
    await wait_for_screen(user, "signed_in")


async def test_totp_setup_then_totp_sign_in(user: User, serve: Setup) -> None:
    backend = serve(mfa="required", mfa_types=("TOTP",))
    backend.add_user("dave", STRONG, temporary=False)
    await user.open("/")
    await sign_in(user, "dave", STRONG)
    await wait_for_screen(user, "setup_totp")
    await user.should_see(marker="authenticator-totp-qr")
    (qr,) = user.find(marker="authenticator-totp-qr").elements
    assert str(qr.props["src"]).startswith("data:image/svg+xml;base64,")
    shown = text_of(user, "authenticator-totp-secret")
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})*( [A-Z2-7]{1,3})?", shown), shown  # blocks of four
    secret = shown.replace(" ", "")  # authenticator apps take it grouped; pyotp needs the spaces out
    await fill(user, "confirmSignIn", {"code": pyotp.TOTP(secret).now()})
    await submit(user, "confirmSignIn")
    await wait_for_screen(user, "signed_in")
    await submit(user, "signOut")
    await sign_in(user, "dave", STRONG)
    await wait_for_screen(user, "confirm_code")
    # The code just used is spent (replay protection); the next step's code is within the drift window.
    await fill(user, "confirmSignIn", {"code": pyotp.TOTP(secret).at(time.time() + 30)})
    await submit(user, "confirmSignIn")
    await wait_for_screen(user, "signed_in")


async def test_mfa_choice_as_radio(user: User, serve: Setup) -> None:
    backend = serve(mfa="required", mfa_types=("TOTP", "EMAIL"))
    backend.add_user("erin", STRONG, temporary=False)
    await user.open("/")
    await sign_in(user, "erin", STRONG)
    await wait_for_screen(user, "select_mfa_setup")
    totp = element_in(user, "confirmSignIn", "authenticator-mfaType-TOTP")
    email = element_in(user, "confirmSignIn", "authenticator-mfaType-EMAIL")
    assert totp.props["model-value"] == "TOTP"  # first option preselected
    assert totp.props["label"] == "Authenticator app"
    assert email.props["label"] == "Email"
    user.find(marker="authenticator-mfaType-EMAIL").click()
    assert email.props["model-value"] == "EMAIL"
    await submit(user, "confirmSignIn")
    await wait_for_screen(user, "setup_email")
    await fill(user, "confirmSignIn", {"email": "erin@example.com"})
    await submit(user, "confirmSignIn")
    await wait_for_screen(user, "confirm_code")
    await fill(user, "confirmSignIn", {"code": backend.latest_code("erin@example.com")})
    await submit(user, "confirmSignIn")
    await wait_for_screen(user, "signed_in")


async def test_new_password_for_admin_created_user(user: User, serve: Setup) -> None:
    backend = serve(mfa="off")
    backend.add_user("frank", STRONG)  # temporary password
    await user.open("/")
    await sign_in(user, "frank", STRONG)
    await wait_for_screen(user, "new_password")
    await user.should_see(marker="authenticator-newPassword-rules")
    rules = user.find(marker="authenticator-newPassword-rules").elements.pop()
    new_password = element_in(user, "confirmSignIn", "authenticator-newPassword")
    assert new_password.props["aria-describedby"] == rules.props["id"]  # the rules describe the input
    assert "aria-live" not in rules.props  # the banner is the screen's one live region
    await user.should_see("(not met)")  # each rule's state in text, not only an icon
    await fill(user, "confirmSignIn", {"newPassword": NEWER, "confirmPassword": "different"})
    confirm = element_in(user, "confirmSignIn", "authenticator-confirmPassword")
    assert confirm.error == "Passwords do not match."  # live, before any submit
    confirm.value = NEWER
    assert confirm.error is None
    await submit(user, "confirmSignIn")
    await wait_for_screen(user, "signed_in")


async def test_passkey_registration_reaches_the_browser_ceremony(user: User, serve: Setup) -> None:
    backend = serve(mfa="off")
    backend.add_user("hank", STRONG, temporary=False)
    ceremonies: list[str] = []

    def browser(match: Any) -> dict[str, str]:
        ceremonies.append(match.group(0))
        return {"status": "cancelled", "detail": "NotAllowedError: the person said no"}

    user.javascript_rules[re.compile(r'(?s).*m\.ceremony\("create"')] = browser
    await user.open("/")
    await sign_in(user, "hank", STRONG)
    await wait_for_screen(user, "signed_in")
    await submit(user, "startPasskeyRegistration")
    await wait_for_screen(user, "passkey_register")
    await submit(user, "completePasskeyRegistration")
    await user.should_see(marker="authenticator-error")
    assert ceremonies, "the WebAuthn ceremony was not requested from the browser"
    assert text_of(user, "authenticator-error") == "The passkey request was cancelled."


async def test_passkey_sign_in_reaches_the_browser_ceremony(user: User, serve: Setup) -> None:
    backend = serve(mfa="off")
    backend.add_user("ivy", STRONG, temporary=False)
    user.javascript_rules[re.compile(r'(?s).*m\.ceremony\("get"')] = lambda _: {
        "status": "unavailable",
        "detail": "no authenticator",
    }
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    user.find(marker="authenticator-link-passkeySignIn").click()
    await wait_for_screen(user, "passkey_sign_in")
    await fill(user, "signInWithPasskey", {"username": "ivy"})
    await submit(user, "signInWithPasskey")
    await wait_for_screen(user, "passkey_assert")
    await submit(user, "confirmSignIn")
    await user.should_see(marker="authenticator-error")
    assert text_of(user, "authenticator-error") == "Passkeys are not available here."
