"""Screens: what a person sees, one name per screen (DESIGN.md, "Screens").

A :class:`Screen` is a plain value computed from the machine's context. Shells
render it (NiceGUI) or inspect it (headless driver, tests); neither needs to
read raw AuthState.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .actions import LOCAL_SCREENS
from .forms import Choice, FieldKind, Form, FormField, FormRole
from .labels import CodeVariant
from .messages import Msg, Text
from .protocol import WEBAUTHN_GET, AuthUser
from .screen_names import CHALLENGE_SCREENS, ScreenName

# LOCAL_SCREENS (re-exported from the action table): the signed-out screens a
# person moves between without a server call, with the action each one submits.


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
    # Set-up forms the signed-in card suggests after a sign-in without a second factor.
    suggested: tuple[Form, ...] = ()

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
    def username_less_passkey(self) -> Form | None:
        """The passkey sign-in that needs no username, offered beside sign-in (the browser's
        autofill and a "Sign in with a passkey" button run it); None where the server has none."""
        return next(
            (f for f in self.forms if f.role is FormRole.SECONDARY and f.capability == WEBAUTHN_GET), None
        )

    @property
    def items(self) -> tuple[Form, ...]:
        """Forms repeated once per item (one delete per passkey), in server order."""
        return tuple(f for f in self.forms if f.per_item)

    @property
    def offers_way_back(self) -> bool:
        """The server offers its own way back (a cancel action)."""
        return any(f.leads_back for f in self.forms)

    @property
    def tabs(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.kind is LinkKind.TAB)

    def form(self, action: str) -> Form | None:
        """The form that submits ``action`` (first one, for repeated names)."""
        return next((f for f in self.forms if f.action == action), None)

    @property
    def signed_in(self) -> bool:
        return self.user is not None


__all__ = ["CHALLENGE_SCREENS", "LOCAL_SCREENS", "Link", "LinkKind", "Screen", "ScreenName"]
