"""The numbered rules of ``docs/protocol.md`` that the conformance checker enforces.

Each rule has a stable id (``R1`` ... ``R23``) so a deviation can name the
sentence of the contract it breaks, and a CI log stays comparable from one
release to the next. The ids and titles here are the ones in the table of
``docs/protocol.md`` ("Conformance rules"); a test holds the two together.
Ids are never reused: a retired rule keeps its number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Rule:
    """One checkable sentence of the protocol."""

    id: str
    title: str

    @property
    def anchor(self) -> str:
        """Where the rule is written down (the table of docs/protocol.md)."""
        return f"docs/protocol.md#{self.id.lower()}"


_TABLE: Final = (
    ("R1", "A reply is one JSON-RPC 2.0 object with the request's id and exactly one of result and error"),
    ("R2", "The HTTP status is 200 for every JSON-RPC reply, errors included"),
    ("R3", "An error object has an integer code (an HTTP status or a reserved JSON-RPC code) and a message"),
    ("R4", "Envelope faults get the reserved codes: -32700, -32600, -32601, -32602"),
    ("R5", "A body over 10 MiB is refused with code 413, PayloadTooLarge"),
    ("R6", "Every result is an AuthState: a string state and a list of named actions with named fields"),
    ("R7", "A field's type is text, password, email, tel, number or hidden"),
    ("R8", "A state offers at least one action, unless it is a retriable failure"),
    ("R9", "Every hidden field carries a defaultValue, except the credential a client fills in"),
    (
        "R10",
        "Every confirmSignIn carries hidden session and challenge values; each challenge a fresh session",
    ),
    ("R11", "signedIn comes with a user that has a userId and a username"),
    (
        "R12",
        "A capability action carries its WebAuthn options as JSON with a challenge, and a credential field",
    ),
    ("R13", "The choices of mfaType and firstFactor are listed in the field's label after a colon"),
    ("R14", "A totpSetup challenge carries the base32 secret in the hidden field sharedSecret"),
    ("R15", "Ordinary failures are AuthStates with an error, not JSON-RPC errors, and change nothing"),
    ("R16", "An unknown action is answered with an AuthState that carries an error"),
    ("R17", "signUp leads to confirmingSignUp; confirmSignUp ends signed in, signed out or in autoSignIn"),
    ("R18", "Sign-in sets an HttpOnly, Path=/ cookie with SameSite, Secure unless the host is loopback"),
    ("R19", "The session cookie keeps the user signed in; signOut ends it and getAuthState says signedOut"),
    (
        "R20",
        "Reset: resetPassword leads to confirmingPasswordReset, known user or not; the new password works",
    ),
    ("R21", "A client that follows the offered actions completes the flow"),
    ("R22", "A registered passkey signs in, is listed with a deletePasskey action, and can be deleted"),
    (
        "R23",
        "Where signInWithDiscoverablePasskey is offered, a registered passkey signs its account in without a username",
    ),
)

RULES: Final[dict[str, Rule]] = {rule_id: Rule(rule_id, title) for rule_id, title in _TABLE}


def rule(rule_id: str) -> Rule:
    """The rule called ``rule_id`` (a KeyError for an unknown id is a bug in the checker)."""
    return RULES[rule_id]
