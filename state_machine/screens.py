"""Screens: what a person sees, one name per screen (DESIGN.md, "Screens").

A :class:`Screen` is a plain value computed from the machine's context. Shells
render it (NiceGUI) or inspect it (headless driver, tests); neither needs to
read raw AuthState.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .forms import Choice, FieldKind, Form, FormField, FormRole
from .labels import CodeVariant
from .messages import Msg, Text
from .protocol import AuthUser


class ScreenName(StrEnum):
    """The screen vocabulary shared by code, tests, translations and test hooks."""

    LOADING = "loading"  # before the first reply (or when it failed): no form yet
    SIGN_IN = "sign_in"
    SIGN_UP = "sign_up"
    FORGOT_PASSWORD = "forgot_password"
    PASSKEY_SIGN_IN = "passkey_sign_in"
    CONFIRM_SIGN_UP = "confirm_sign_up"
    AUTO_SIGN_IN = "auto_sign_in"
    CONFIRM_CODE = "confirm_code"
    SELECT_MFA = "select_mfa"
    SELECT_MFA_SETUP = "select_mfa_setup"
    SETUP_TOTP = "setup_totp"
    SETUP_EMAIL = "setup_email"
    NEW_PASSWORD = "new_password"
    ENTER_PASSWORD = "enter_password"
    SELECT_FIRST_FACTOR = "select_first_factor"
    PASSKEY_ASSERT = "passkey_assert"
    CONFIRM_RESET_PASSWORD = "confirm_reset_password"
    SIGNED_IN = "signed_in"
    PASSKEY_REGISTER = "passkey_register"
    PASSKEY_MANAGE = "passkey_manage"
    GENERIC = "generic"


# The signed-out screens a person moves between without a server call, with
# the action each one submits.
LOCAL_SCREENS: Mapping[ScreenName, str] = {
    ScreenName.SIGN_IN: "signIn",
    ScreenName.SIGN_UP: "signUp",
    ScreenName.FORGOT_PASSWORD: "resetPassword",
    ScreenName.PASSKEY_SIGN_IN: "signInWithPasskey",
}

# Screens that belong to a sign-in/up flow in progress; "Back to Sign In"
# leaves them by re-reading the server state.
CHALLENGE_SCREENS: frozenset[ScreenName] = frozenset(
    {
        ScreenName.CONFIRM_SIGN_UP,
        ScreenName.AUTO_SIGN_IN,
        ScreenName.CONFIRM_CODE,
        ScreenName.SELECT_MFA,
        ScreenName.SELECT_MFA_SETUP,
        ScreenName.SETUP_TOTP,
        ScreenName.SETUP_EMAIL,
        ScreenName.NEW_PASSWORD,
        ScreenName.ENTER_PASSWORD,
        ScreenName.SELECT_FIRST_FACTOR,
        ScreenName.PASSKEY_ASSERT,
        ScreenName.CONFIRM_RESET_PASSWORD,
    }
)


class LinkKind(StrEnum):
    TAB = "tab"  # Sign In / Create Account
    NAVIGATE = "navigate"  # to another signed-out screen, no server call
    BACK = "back"  # back to sign in; from a challenge this re-reads the server


@dataclass(frozen=True)
class Link:
    """A way off the screen that is not a form submit."""

    kind: LinkKind
    target: ScreenName
    label: Msg
    hook: str  # stable test-hook suffix: signIn, signUp, forgotPassword, ...
    selected: bool = False


@dataclass(frozen=True)
class Screen:
    """Everything a shell needs to show the current step."""

    name: ScreenName
    title: Text
    forms: tuple[Form, ...] = ()
    links: tuple[Link, ...] = ()
    hint: Text | None = None
    error: Text | None = None
    error_name: str | None = None
    field_errors: Mapping[str, Text] = field(default_factory=dict)
    notice: Text | None = None
    user: AuthUser | None = None
    destination: str | None = None
    code_variant: CodeVariant | None = None
    totp_secret: str | None = None
    totp_uri: str | None = None
    pending: bool = False
    can_retry: bool = False
    server_state: str | None = None

    @property
    def primary(self) -> Form | None:
        """The screen's main form (the first PRIMARY one)."""
        return next((f for f in self.forms if f.role is FormRole.PRIMARY), None)

    @property
    def secondary(self) -> tuple[Form, ...]:
        return tuple(f for f in self.forms if f.role is FormRole.SECONDARY)

    @property
    def external(self) -> tuple[Form, ...]:
        return tuple(f for f in self.forms if f.role is FormRole.EXTERNAL)

    @property
    def fields(self) -> tuple[FormField, ...]:
        """The primary form's visible inputs."""
        primary = self.primary
        return primary.visible_fields if primary else ()

    @property
    def choices(self) -> tuple[Choice, ...]:
        """Options of the primary form's choice field (MFA type, first factor)."""
        primary = self.primary
        choice = primary.first_of(FieldKind.CHOICE) if primary else None
        return choice.choices if choice else ()

    @property
    def tabs(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.kind is LinkKind.TAB)

    def form(self, action: str) -> Form | None:
        """The form that submits ``action`` (first one, for repeated names)."""
        return next((f for f in self.forms if f.action == action), None)

    @property
    def signed_in(self) -> bool:
        return self.user is not None
