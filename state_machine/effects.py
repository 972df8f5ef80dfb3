"""Effects: requests from the machine to whichever shell runs it.

The machine never performs I/O; it returns these, the shell runs them and
feeds the outcome back as an event (:class:`CallSetAuthState` and
:class:`CallGetAuthState` -> ServerReplied or CallFailed, :class:`RunWebAuthn` ->
WebAuthnResult or WebAuthnFailed). :class:`SubmitExternalForm` leaves the page;
:class:`AuthChanged` tells the host app who is signed in now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import JsonValue

from .protocol import AuthUser


@dataclass(frozen=True)
class CallSetAuthState:
    """POST ``setAuthState`` with this flat payload (``action`` plus fields)."""

    payload: Mapping[str, JsonValue]

    @property
    def action(self) -> str:
        name = self.payload.get("action")
        return name if isinstance(name, str) else ""


@dataclass(frozen=True)
class CallGetAuthState:
    """POST ``getAuthState``."""


@dataclass(frozen=True)
class RunWebAuthn:
    """Run ``navigator.credentials.create`` (kind ``create``) or ``.get`` with
    these options (JSON text as the server sent it), then report back."""

    kind: Literal["create", "get"]
    options_json: str
    action: str


@dataclass(frozen=True)
class SubmitExternalForm:
    """Submit a real browser form (federated sign-in); the person leaves the page."""

    url: str
    method: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class AuthChanged:
    """The signed-in person changed: a user after sign-in, None after sign-out."""

    user: AuthUser | None


Effect = CallSetAuthState | CallGetAuthState | RunWebAuthn | SubmitExternalForm | AuthChanged
