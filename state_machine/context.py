"""The machine's memory between events, and its configuration.

Kept small on purpose (DESIGN.md, "The core loop"): the last AuthState, the
screen the person picked, what they typed, the one call in flight, the last
error. The sign-up password is held only while a backend may still ask for it
(AuthBasic's confirm step) and dropped as soon as the flow moves on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import JsonValue

from .effects import CallGetAuthState, CallSetAuthState
from .messages import Text
from .password_policy import PasswordPolicy
from .protocol import AuthState, AuthUser
from .screens import ScreenName
from .sign_up_fields import SignUpField


@dataclass(frozen=True)
class MachineConfig:
    """Choices of the host app that shape screens but not the protocol."""

    issuer: str = "nicegui-authenticator"  # shown by authenticator apps next to the code
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    confirm_password: bool = True  # ask for new passwords twice
    sign_up: bool = True  # offer the Create Account tab when the server allows it
    sign_up_fields: tuple[SignUpField, ...] = ()  # the app's own sign-up fields (sign_up_fields.py)


class Phase(StrEnum):
    """What the machine is waiting for."""

    IDLE = "idle"  # the person
    CALLING = "calling"  # a setAuthState / getAuthState reply
    CEREMONY = "ceremony"  # the browser's WebAuthn answer


@dataclass(frozen=True)
class Pending:
    """The one thing in flight."""

    call: CallSetAuthState | CallGetAuthState | None
    action: str | None = None  # the action submitted (None for getAuthState)
    # For a WebAuthn ceremony: the payload to send once the credential is in.
    payload: Mapping[str, JsonValue] | None = None
    # Keep the current error/notice visible through this call (a re-sync).
    keep_message: bool = False


@dataclass(frozen=True)
class Context:
    state: AuthState | None = None
    view: ScreenName | None = None  # the person's pick among signed-out screens
    values: Mapping[str, str] = field(default_factory=dict)
    username: str | None = None
    sign_up_password: str | None = None
    pending: Pending | None = None
    phase: Phase = Phase.IDLE
    error: Text | None = None
    error_name: str | None = None
    error_field: str | None = None
    field_errors: Mapping[str, Text] = field(default_factory=dict)
    notice: Text | None = None
    failed: CallSetAuthState | CallGetAuthState | None = None
    user: AuthUser | None = None
    resume: AuthState | None = None  # a kept confirm screen, shown if the first read says signed out
    suggest_factor: bool = False  # signed in without a second factor just now: suggest one (once)
    # The change a re-authentication interrupted: sent again once the person proved who they are.
    reauth_resume: CallSetAuthState | None = None
