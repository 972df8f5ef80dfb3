"""Events: what happens to the machine, from the person and from the world.

The person: :class:`Start`, :class:`Navigate`, :class:`Submit`, :class:`Cancel`, :class:`DismissSuggestion`,
:class:`Retry`, :class:`Refresh`, :class:`WebAuthnResult`, :class:`WebAuthnFailed`,
:class:`PasskeyAutofilled`.
The world (outcomes of effects the shell ran): :class:`ServerReplied`,
:class:`CallFailed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import JsonValue

from .protocol import AuthState
from .screens import ScreenName


@dataclass(frozen=True)
class Start:
    """Open the authenticator: read the server's state.

    ``resume`` is a confirm screen the shell kept across a reload (a
    ``confirmingSignUp`` state): the server does not remember it, so when the
    server says "signed out" the machine shows it again instead.
    """

    resume: AuthState | None = None
    # The signed-out screen to open on (a link to /?screen=sign-up); ignored when signed in.
    view: ScreenName | None = None


@dataclass(frozen=True)
class Refresh:
    """Re-read the server's state (another tab signed in or out, a page came back)."""


@dataclass(frozen=True)
class Navigate:
    """Move between signed-out screens (sign in, sign up, forgot password,
    passkey sign-in) without a server call."""

    to: ScreenName


@dataclass(frozen=True)
class Submit:
    """The person submits a form.

    ``action`` names the form (default: the screen's primary one); where a
    screen repeats an action (one ``deletePasskey`` per passkey) the hidden
    values in ``values`` pick the form. ``extra`` adds payload keys the forms do
    not describe (e.g. ``autoSignIn: "false"`` on signUp). ``skip_validation``
    sends what was given even if the client-side rules object, for probing a
    server's own checks.
    """

    values: Mapping[str, str] = field(default_factory=dict)
    action: str | None = None
    extra: Mapping[str, JsonValue] = field(default_factory=dict)
    skip_validation: bool = False


@dataclass(frozen=True)
class DismissSuggestion:
    """ "Not now" on the signed-in card's suggestion to add a passkey or an authenticator app."""


@dataclass(frozen=True)
class Cancel:
    """ "Back to Sign In": leave a challenge (re-reads the server) or a local screen."""


@dataclass(frozen=True)
class Retry:
    """Run the call that failed again, with the same payload."""


@dataclass(frozen=True)
class WebAuthnResult:
    """The browser's credential, JSON-encoded (PublicKeyCredential.toJSON shape)."""

    credential: str


@dataclass(frozen=True)
class WebAuthnFailed:
    """The ceremony did not produce a credential."""

    reason: Literal["cancelled", "unavailable", "failed"]
    detail: str = ""


@dataclass(frozen=True)
class PasskeyAutofilled:
    """The person picked a passkey from the browser's autofill (conditional mediation):
    the assertion, JSON-encoded, for the screen's username-less passkey sign-in."""

    credential: str


@dataclass(frozen=True)
class ServerReplied:
    """The pending call returned an AuthState."""

    state: AuthState


FailureKind = Literal["network", "timeout", "protocol", "rpc"]


@dataclass(frozen=True)
class CallFailed:
    """The pending call failed before an AuthState came back.

    A plain description rather than the client's exception types, so the pure
    core does not import the I/O layer. ``code`` is the JSON-RPC error code for
    ``rpc`` failures; ``http_status`` follows docs/protocol.md (negative codes -> 500).
    """

    kind: FailureKind
    message: str = ""
    code: int | None = None
    name: str | None = None
    retriable: bool = False

    @property
    def http_status(self) -> int | None:
        if self.code is None:
            return None
        return self.code if self.code > 0 else 500


Event = (
    Start
    | Refresh
    | Navigate
    | Submit
    | Cancel
    | DismissSuggestion
    | Retry
    | WebAuthnResult
    | WebAuthnFailed
    | PasskeyAutofilled
    | ServerReplied
    | CallFailed
)
