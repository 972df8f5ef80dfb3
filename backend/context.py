"""What a handler receives (the request, the action's fields) and returns (an outcome).

Handlers are plain synchronous functions run in a worker thread; they never
see Starlette. The request carries only what the protocol lets the server
know: the two cookies, the client address and the time. The outcome is the
AuthState plus the cookie changes the HTTP layer must make.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..state_machine.protocol import AuthState
from .errors import AuthError, Problem

MAX_FIELD_LENGTH = 64 * 1024


@dataclass(frozen=True)
class Request:
    session_token: str | None
    bridge_token: str | None
    address: str
    now: float
    known_device: str | None = None  # the known-device cookie (its own failure budget)


@dataclass(frozen=True)
class Outcome:
    state: AuthState
    session: str | None = None  # set the auth cookie to this new token
    end_session: bool = False  # clear the auth cookie
    bridge: str | None = None  # set the auto sign-in cookie
    end_bridge: bool = False  # clear the auto sign-in cookie
    known_device: str | None = None  # set the known-device cookie to this new token
    encoded: bytes | None = None  # ``state`` already serialised (reply_cache.py): sent as it is

    @property
    def touches_cookies(self) -> bool:
        """Whether the reply sets or clears a cookie (else the HTTP layer need not decide ``Secure``)."""
        return (
            self.session is not None
            or self.end_session
            or self.bridge is not None
            or self.end_bridge
            or self.known_device is not None
        )


class Params:
    """The flat object of ``setAuthState``: ``action`` plus that action's fields."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self._raw = raw

    def text(self, name: str) -> str:
        """The field as text; absent or null is ``""``; anything but a string is refused."""
        value = self._raw.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise AuthError(Problem.INVALID_PARAMETER, f"{name} must be a string")
        if len(value) > MAX_FIELD_LENGTH:
            raise AuthError(Problem.INVALID_PARAMETER, f"{name} is too long")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # JSON may carry lone surrogates ("\ud800"): not text
            raise AuthError(Problem.INVALID_PARAMETER, f"{name} is not valid text") from None
        return value

    def stripped(self, name: str) -> str:
        return self.text(name).strip()

    def opts_out(self, name: str) -> bool:
        """True for ``false`` or ``"false"``: the recorded block honours only the string."""
        value = self._raw.get(name)
        return value is False or (isinstance(value, str) and value.strip().lower() == "false")

    def __contains__(self, name: str) -> bool:
        return self._raw.get(name) is not None
