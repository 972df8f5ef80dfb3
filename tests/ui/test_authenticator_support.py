"""Shared helpers for the Authenticator's User-fixture tests (no tests here).

``FakeBackend`` speaks the AuthBasic flavour of the protocol in memory: sign
in, sign up with a confirmation code, confirm, resend, reset password, sign
out. It is for the cases the reference backend cannot stage (hostile labels,
blocking calls, failing transports) and as a canned state source.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi, TransportError

SIGN_IN: dict[str, Any] = {
    "name": "signIn",
    "label": "Sign In",
    "fields": [
        {"name": "username", "label": "Username", "type": "text", "required": True},
        {"name": "password", "label": "Password", "type": "password", "required": True},
    ],
}
SIGN_UP: dict[str, Any] = {
    "name": "signUp",
    "label": "Create Account",
    "fields": [
        {"name": "username", "label": "Username", "type": "text", "required": True},
        {"name": "password", "label": "Password", "type": "password", "required": True},
        {"name": "email", "label": "Email", "type": "email", "required": True},
    ],
}
RESET: dict[str, Any] = {
    "name": "resetPassword",
    "label": "Reset Password",
    "fields": [{"name": "username", "label": "Username", "type": "text", "required": True}],
}


def signed_out(
    *extra: Mapping[str, Any], error: str | None = None, error_name: str | None = None
) -> dict[str, Any]:
    state: dict[str, Any] = {"state": "signedOut", "actions": [SIGN_IN, SIGN_UP, RESET, *extra]}
    if error is not None:
        state["error"] = error
    if error_name is not None:
        state["errorName"] = error_name
    return state


def signed_in(username: str, *extra: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "state": "signedIn",
        "user": {"userId": username, "username": username},
        "actions": [{"name": "signOut", "label": "Sign Out", "fields": []}, *extra],
    }


@dataclass
class FakeBackend:
    """An in-memory AuthBasic-like server with one session (one browser)."""

    users: dict[str, str] = field(default_factory=lambda: {"alice": "Passw0rd!"})
    code: str = "123456"
    state: dict[str, Any] = field(default_factory=signed_out)
    calls: list[dict[str, Any]] = field(default_factory=list)
    pending: dict[str, str] = field(default_factory=dict)

    def get_auth_state(self) -> dict[str, Any]:
        return self.state

    def set_auth_state(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(payload)
        action = payload["action"]
        handler = getattr(self, f"_{action}", None)
        if handler is None:
            return signed_out(error=f"Unknown action: {action}")
        self.state = handler(payload)
        return self.state

    def _signIn(self, p: dict[str, Any]) -> dict[str, Any]:
        if self.users.get(p.get("username", "")) != p.get("password"):
            return {
                "state": "signedOut",
                "actions": [],
                "error": "Invalid username or password",
                "errorName": "InvalidCredentialsException",
                "retriable": True,
            }
        return signed_in(p["username"])

    def _signUp(self, p: dict[str, Any]) -> dict[str, Any]:
        if p["username"] in self.users:
            return signed_out(error="User already exists", error_name="UserAlreadyExistsException")
        self.pending[p["username"]] = p["password"]
        return confirming_sign_up(p["username"])

    def _confirmSignUp(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("code") != self.code:
            return {
                "state": "signedOut",
                "actions": [],
                "error": "Invalid code",
                "errorName": "CodeMismatchException",
                "retriable": True,
            }
        self.users[p["username"]] = self.pending.pop(p["username"])
        return signed_in(p["username"])

    def _resendSignUpCode(self, p: dict[str, Any]) -> dict[str, Any]:
        return confirming_sign_up(p["username"])

    def _resetPassword(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "state": "confirmingPasswordReset",
            "actions": [
                {
                    "name": "confirmResetPassword",
                    "label": "Reset Password",
                    "fields": [
                        {
                            "name": "username",
                            "label": "Username",
                            "type": "hidden",
                            "defaultValue": p["username"],
                        },
                        {"name": "code", "label": "Code", "type": "text", "required": True},
                        {
                            "name": "newPassword",
                            "label": "New Password",
                            "type": "password",
                            "required": True,
                        },
                    ],
                }
            ],
        }

    def _confirmResetPassword(self, p: dict[str, Any]) -> dict[str, Any]:
        self.users[p["username"]] = p["newPassword"]
        return signed_out()

    def _signOut(self, p: dict[str, Any]) -> dict[str, Any]:
        return signed_out()


def confirming_sign_up(username: str) -> dict[str, Any]:
    hidden = {"name": "username", "label": "Username", "type": "hidden", "defaultValue": username}
    return {
        "state": "confirmingSignUp",
        "actions": [
            {
                "name": "confirmSignUp",
                "label": "Confirm",
                "fields": [hidden, {"name": "code", "label": "Code", "type": "text", "required": True}],
            },
            {"name": "resendSignUpCode", "label": "Resend Code", "fields": [hidden]},
        ],
    }


class CannedBackend:
    """Always answers with the given state (for rendering one screen)."""

    def __init__(self, state: Mapping[str, Any]) -> None:
        self.state = dict(state)
        self.calls: list[dict[str, Any]] = []

    def get_auth_state(self) -> dict[str, Any]:
        return self.state

    def set_auth_state(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(payload)
        return self.state


class BlockingApi(InProcessApi):
    """Holds every setAuthState until ``release`` is set (to observe the pending state)."""

    def __init__(self, backend: object) -> None:
        super().__init__(backend)
        self.release = asyncio.Event()
        self.entered = asyncio.Event()

    async def set_auth_state(self, payload: Mapping[str, Any]) -> Any:
        self.entered.set()
        await self.release.wait()
        return await super().set_auth_state(payload)


class FailingApi(InProcessApi):
    """setAuthState fails with a TransportError while ``failing`` is True."""

    def __init__(self, backend: object) -> None:
        super().__init__(backend)
        self.failing = True

    async def set_auth_state(self, payload: Mapping[str, Any]) -> Any:
        if self.failing:
            raise TransportError("connection refused", kind="connect")
        return await super().set_auth_state(payload)


def find_in(user: User, action: str, hook: str) -> Any:
    """``user.find`` of ``hook`` inside the wrapper of ``action``."""
    with user.scope(marker=f"authenticator-action-{action}"):
        return user.find(marker=hook)


def element_in(user: User, action: str, hook: str) -> ui.element:
    """The one element with ``hook`` inside the wrapper of ``action``."""
    (element,) = find_in(user, action, hook).elements
    return element


async def fill(user: User, action: str, values: Mapping[str, str]) -> None:
    for name, value in values.items():
        target = element_in(user, action, f"authenticator-{name}")
        assert isinstance(target, ui.input), f"{name} is not an input"
        target.value = value


async def submit(user: User, action: str) -> None:
    find_in(user, action, "authenticator-submit").click()


def _challenge(
    label: str, challenge: str, *fields: Mapping[str, Any], capability: str | None = None
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "name": "confirmSignIn",
        "label": label,
        "fields": [
            {
                "name": "session",
                "label": "Session",
                "type": "hidden",
                "required": True,
                "defaultValue": "S3ss",
            },
            {
                "name": "challenge",
                "label": "Challenge",
                "type": "hidden",
                "required": True,
                "defaultValue": challenge,
            },
            *fields,
        ],
    }
    if capability is not None:
        action["capability"] = capability
    return {"state": "confirmingSignIn", "actions": [action]}


CODE_FIELD: dict[str, Any] = {"name": "code", "label": "Code", "type": "text", "required": True}
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
HOSTILE = '<img src=x onerror="window.__pwned=1">'
CREATION_OPTIONS = (
    '{"challenge":"HYq2wTOJ5Tz3uZSWyEJJeA","rp":{"id":"localhost","name":"demo"},'
    '"user":{"id":"dXNlcg","name":"alice","displayName":"alice"},'
    '"pubKeyCredParams":[{"type":"public-key","alg":-7}],"timeout":60000}'
)
REQUEST_OPTIONS = '{"challenge":"HYq2wTOJ5Tz3uZSWyEJJeA","rpId":"localhost","timeout":60000}'

# One AuthState per screen that needs a server state of its own (canned, AWS Blocks wording).
CANNED: dict[str, dict[str, Any]] = {
    "confirm_code": _challenge("Enter Email Code (sent to a***@e***.com)", "code", CODE_FIELD),
    "select_mfa": _challenge(
        "Choose MFA", "mfaType", {"name": "mfaType", "label": "Pick one of: TOTP, EMAIL", "type": "text"}
    ),
    "select_mfa_setup": _challenge(
        "Choose MFA Setup",
        "mfaType",
        {"name": "mfaType", "label": "Pick one of: TOTP, EMAIL", "type": "text"},
    ),
    "select_first_factor": _challenge(
        "Choose sign-in method",
        "firstFactor",
        {"name": "firstFactor", "label": "Pick one of: PASSWORD, EMAIL_OTP, WEB_AUTHN", "type": "text"},
    ),
    "setup_totp": _challenge(
        "Set up authenticator app",
        "totpSetup",
        {"name": "sharedSecret", "label": "Shared Secret", "type": "hidden", "defaultValue": TOTP_SECRET},
        CODE_FIELD,
    ),
    "setup_email": _challenge(
        "Set up email", "email", {"name": "email", "label": "Email", "type": "email", "required": True}
    ),
    "new_password": _challenge(
        "Set new password",
        "newPassword",
        {"name": "newPassword", "label": "New Password", "type": "password", "required": True},
    ),
    "enter_password": _challenge(
        "Enter password",
        "password",
        {"name": "password", "label": "Password", "type": "password", "required": True},
    ),
    "passkey_assert": _challenge(
        "Use passkey",
        "webauthn",
        {
            "name": "credentialRequestOptions",
            "label": "Options",
            "type": "hidden",
            "defaultValue": REQUEST_OPTIONS,
        },
        {"name": "credential", "label": "Credential", "type": "hidden"},
        capability="webauthn-get",
    ),
    "passkey_register": signed_in(
        "alice",
        {
            "name": "completePasskeyRegistration",
            "label": "Register passkey",
            "capability": "webauthn-create",
            "fields": [
                {
                    "name": "credentialCreationOptions",
                    "label": "Credential Creation Options",
                    "type": "hidden",
                    "required": True,
                    "defaultValue": CREATION_OPTIONS,
                },
                {"name": "credential", "label": "Credential", "type": "hidden", "required": True},
            ],
        },
    ),
    "passkey_manage": signed_in(
        "alice",
        *[
            {
                "name": "deletePasskey",
                "label": f"Delete passkey {cid[:7]}…",
                "fields": [
                    {"name": "credentialId", "label": "Credential ID", "type": "hidden", "defaultValue": cid}
                ],
            }
            for cid in ("cred-2e33eab406ef", "cred-77aa01b2c3d4")
        ],
        {"name": "startPasskeyRegistration", "label": "Add a passkey to this device", "fields": []},
    ),
    "signed_in": signed_in(
        "alice",
        {"name": "startPasskeyRegistration", "label": "Add a passkey to this device", "fields": []},
        {"name": "listPasskeys", "label": "List passkeys", "fields": []},
        {
            "name": "changeNickname",
            "label": "Change nickname",
            "fields": [{"name": "nickname", "label": "Nickname", "type": "text", "required": True}],
        },
    ),
    "generic": {
        "state": "somethingNew",
        "actions": [
            {
                "name": "doThing",
                "label": "Do the thing",
                "fields": [{"name": "thing", "label": "Thing", "type": "text", "required": True}],
            },
            {"name": "other", "label": "Other way", "fields": []},
        ],
    },
    "hostile": {
        "state": "somethingNew",
        "error": HOSTILE,
        "actions": [
            {
                "name": "evil",
                "label": HOSTILE,
                "fields": [{"name": "x", "label": HOSTILE, "type": "text", "defaultValue": HOSTILE}],
            }
        ],
    },
    "federated": signed_out(
        {
            "name": "signIn:google",
            "label": "Sign in with Google",
            "url": "https://accounts.example.com/o/auth",
        }
    ),
}


# ----------------------------------------------------------------- reference backend


def cheap_backend(db_path: str, **changes: Any) -> Any:
    """A ReferenceBackend with a cheap password hash, for fast UI tests."""
    from nicegui_authenticator.backend.app import ReferenceBackend
    from nicegui_authenticator.backend.settings import BackendSettings, ScryptCost

    values: dict[str, Any] = {"db_path": db_path, "password_hash_cost": ScryptCost(n=2**4, r=8, p=1)}
    values.update(changes)
    return ReferenceBackend(BackendSettings(**values))


def in_process_client(backend: Any) -> Any:
    """An AuthClient reaching ``backend`` through httpx's ASGI transport (no socket)."""
    import httpx
    from nicegui_authenticator.client import AuthClient

    return AuthClient("http://127.0.0.1/aws-blocks/api", transport=httpx.ASGITransport(app=backend.asgi_app))


def root(user: User) -> ui.element:
    (element,) = user.find(marker="authenticator").elements
    return element


async def wait_for_screen(user: User, name: str, timeout: float = 5.0) -> None:
    """Wait until the Authenticator shows screen ``name`` (its ``data-screen``)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        shown = root(user).props.get("data-screen")
        if shown == name:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"expected screen {name!r}, still on {shown!r}")
        await asyncio.sleep(0.02)


def text_of(user: User, hook: str) -> str:
    (element,) = user.find(marker=hook).elements
    return str(getattr(element, "text", ""))


async def eventually(predicate: Any, timeout: float = 3.0) -> None:
    """Wait until ``predicate()`` is true (effects run in background tasks)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
