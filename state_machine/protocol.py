"""Wire models of the setAuthState protocol (``docs/protocol.md``).

Lenient in what they accept, exact in what they produce:

* Unknown keys on any object are kept (``extra="allow"``) so a newer server's
  additions survive a round trip and stay visible to whoever needs them.
* ``state`` and a field's ``type`` are plain strings, not enums: an unknown state
  is still a renderable state (the ``generic`` screen), never a crash.
* Missing optional pieces default sensibly (a field without ``type`` is text,
  an action without ``fields`` has none) because a reply that a person can act
  on must not be thrown away over a missing detail. Wrong types count as
  missing: a label that is an object is no label, an action or field without a
  usable ``name`` is dropped. Only a reply whose ``state`` is absent or not a
  scalar is rejected (pydantic's ValidationError): it is no AuthState at all.

Producing is exact: :meth:`AuthState.to_wire` and friends emit camelCase keys in
the order the AWS Blocks servers use and omit absent optional keys, which is what
the reference backend needs to answer field for field like the recordings.

This module imports pydantic and the standard library only.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

# Server states named in docs/protocol.md. Anything else is "unknown but renderable".
SIGNED_OUT: Final = "signedOut"
SIGNED_IN: Final = "signedIn"
CONFIRMING_SIGN_UP: Final = "confirmingSignUp"
CONFIRMING_SIGN_IN: Final = "confirmingSignIn"
CONFIRMING_MFA: Final = "confirmingMfa"
CONFIRMING_PASSWORD_RESET: Final = "confirmingPasswordReset"
KNOWN_STATES: Final = frozenset(
    {SIGNED_OUT, SIGNED_IN, CONFIRMING_SIGN_UP, CONFIRMING_SIGN_IN, CONFIRMING_MFA, CONFIRMING_PASSWORD_RESET}
)

# Action names the client knows (the AWS Blocks vocabulary plus the reference
# backend's signed-in additions). Any other name is still a form a person can
# submit; these are the ones the core gives a meaning to (state_machine/actions.py).
SIGN_IN: Final = "signIn"
SIGN_UP: Final = "signUp"
RESET_PASSWORD: Final = "resetPassword"
SIGN_IN_WITH_PASSKEY: Final = "signInWithPasskey"
CONFIRM_SIGN_UP: Final = "confirmSignUp"
RESEND_SIGN_UP_CODE: Final = "resendSignUpCode"
AUTO_SIGN_IN: Final = "autoSignIn"
CONFIRM_SIGN_IN: Final = "confirmSignIn"
CONFIRM_RESET_PASSWORD: Final = "confirmResetPassword"
SIGN_OUT: Final = "signOut"
START_PASSKEY_REGISTRATION: Final = "startPasskeyRegistration"
COMPLETE_PASSKEY_REGISTRATION: Final = "completePasskeyRegistration"
DELETE_PASSKEY: Final = "deletePasskey"
START_TOTP_SETUP: Final = "startTotpSetup"
COMPLETE_TOTP_SETUP: Final = "completeTotpSetup"
COMPLETE_EMAIL_MFA_SETUP: Final = "completeEmailMfaSetup"
CANCEL_SETUP: Final = "cancelSetup"
CHANGE_PASSWORD: Final = "changePassword"  # additive (docs/protocol.md): current + new password
SET_PREFERRED_MFA: Final = "setPreferredMfa"
DISABLE_MFA: Final = "disableMfa"
REAUTHENTICATE: Final = "reauthenticate"  # additive: proof of identity before a sensitive change
CHOOSE_REAUTHENTICATION_METHOD: Final = "chooseReauthenticationMethod"  # additive
RESEND_REAUTHENTICATION_CODE: Final = "resendReauthenticationCode"  # additive
SIGN_OUT_EVERYWHERE: Final = "signOutEverywhere"
# Additive code-screen actions of the reference backend (docs/protocol.md, "Code screens").
RESEND_PASSWORD_RESET_CODE: Final = "resendPasswordResetCode"
RESEND_SIGN_IN_CODE: Final = "resendSignInCode"
RESEND_EMAIL_MFA_SETUP_CODE: Final = "resendEmailMfaSetupCode"
USE_ANOTHER_MFA_METHOD: Final = "useAnotherMfaMethod"

WEBAUTHN_GET: Final = "webauthn-get"
WEBAUTHN_CREATE: Final = "webauthn-create"


class _WireModel(BaseModel):
    """Base for wire objects: keep unknown keys, accept both alias and name."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object exactly as a server would send it (aliases, no nulls)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _text(value: object) -> str:
    """Coerce a scalar a careless server sent where text belongs into text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise ValueError("expected text")


def _loose_text(value: object, fallback: str = "") -> str:
    """Text for a descriptive slot; an object or list there counts as "not given"."""
    try:
        return _text(value)
    except ValueError:
        return fallback


def _loose_optional_text(value: object) -> str | None:
    if value is None:
        return None
    try:
        return _text(value)
    except ValueError:
        return None


def _named_entries(value: object, model: type[BaseModel]) -> tuple[object, ...]:
    """The entries of a list that can become ``model``: objects with a non-empty name.

    Anything else (a string, a number, an object without a usable ``name``) is
    dropped, so one malformed form or field does not cost the whole reply.
    """
    if not isinstance(value, list | tuple):
        return ()
    kept: list[object] = []
    for entry in value:
        if isinstance(entry, model) or (isinstance(entry, dict) and _loose_text(entry.get("name"))):
            kept.append(entry)
    return tuple(kept)


class AuthField(_WireModel):
    """One input of an action's form."""

    name: str
    label: str = ""
    type: str = "text"
    required: bool = False
    default_value: JsonValue = Field(default=None, alias="defaultValue")

    @field_validator("name", mode="before")
    @classmethod
    def _coerce_name(cls, value: object) -> str:
        return _text(value)

    @field_validator("label", mode="before")
    @classmethod
    def _coerce_label(cls, value: object) -> str:
        return _loose_text(value)

    @field_validator("type", mode="before")
    @classmethod
    def _coerce_type(cls, value: object) -> str:
        return _loose_text(value) or "text"

    @field_validator("required", mode="before")
    @classmethod
    def _coerce_required(cls, value: object) -> bool:
        return value is True or value == "true"

    @property
    def hidden(self) -> bool:
        """Hidden fields carry server data (session, challenge, options) to echo."""
        return self.type == "hidden"

    @property
    def has_default(self) -> bool:
        return self.default_value is not None

    @property
    def default_text(self) -> str:
        """The default as the text an input would hold ("" when there is none)."""
        value = self.default_value
        if isinstance(value, dict | list):
            return json.dumps(value, separators=(",", ":"))
        return _text(value)


class AuthAction(_WireModel):
    """One form the person may submit; its ``name`` goes back as ``action``."""

    name: str
    label: str = ""
    url: str | None = None
    method: str | None = None
    capability: str | None = None
    fields: tuple[AuthField, ...] = ()

    @field_validator("name", mode="before")
    @classmethod
    def _coerce_name(cls, value: object) -> str:
        return _text(value)

    @field_validator("label", mode="before")
    @classmethod
    def _coerce_label(cls, value: object) -> str:
        return _loose_text(value)

    @field_validator("url", "method", "capability", mode="before")
    @classmethod
    def _coerce_optional(cls, value: object) -> str | None:
        return _loose_optional_text(value)

    @field_validator("fields", mode="before")
    @classmethod
    def _fields_or_empty(cls, value: object) -> object:
        return _named_entries(value, AuthField)

    def field(self, name: str) -> AuthField | None:
        """The field called ``name``, if the action has one."""
        return next((f for f in self.fields if f.name == name), None)

    def default_of(self, name: str) -> str | None:
        """Text of field ``name``'s default value, when present."""
        field = self.field(name)
        return field.default_text if field is not None and field.has_default else None

    @property
    def base_name(self) -> str:
        """``signIn`` for ``signIn:google``: federated actions keep a suffix."""
        return self.name.split(":", 1)[0]

    @property
    def provider(self) -> str | None:
        """``google`` for ``signIn:google``; None for ordinary actions."""
        return self.name.split(":", 1)[1] if ":" in self.name else None

    @property
    def is_external(self) -> bool:
        """A ``url`` action is a real browser form, not a setAuthState call."""
        return bool(self.url)


class AuthUser(_WireModel):
    """The signed-in person. Providers add keys (userSub, groups, attributes)."""

    user_id: str = Field(default="", alias="userId")
    username: str = ""

    @field_validator("user_id", "username", mode="before")
    @classmethod
    def _coerce_text(cls, value: object) -> str:
        return _loose_text(value)

    @property
    def display_name(self) -> str:
        return self.username or self.user_id

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups the server reports (Cognito's ``groups``); empty when it reports none.

        Lenient like the rest of the wire: only the text entries of a list count.
        """
        raw = (self.model_extra or {}).get("groups")
        return tuple(g for g in raw if isinstance(g, str)) if isinstance(raw, list) else ()


class AuthState(_WireModel):
    """What the server says now: the state, who is signed in, and the forms."""

    state: str
    user: AuthUser | None = None
    actions: tuple[AuthAction, ...] = ()
    error: str | None = None
    # Declared in the order the AWS Blocks servers emit them (error, retriable, errorName).
    retriable: bool | None = None
    error_name: str | None = Field(default=None, alias="errorName")
    # Our reference backend's addition: seconds until another attempt is accepted (a delay
    # after failed attempts). Other servers omit it; the error then reads as before.
    retry_after: int | None = Field(default=None, alias="retryAfter")

    @field_validator("state", mode="before")
    @classmethod
    def _coerce_state(cls, value: object) -> str:
        return _text(value)

    @field_validator("error", "error_name", mode="before")
    @classmethod
    def _coerce_optional_text(cls, value: object) -> str | None:
        return _loose_optional_text(value)

    @field_validator("retry_after", mode="before")
    @classmethod
    def _seconds_or_none(cls, value: object) -> int | None:
        # Lenient: a wait that is not a positive number of seconds is no wait we could show.
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 10**9:
            return None
        return math.ceil(value)

    @field_validator("user", mode="before")
    @classmethod
    def _user_object_only(cls, value: object) -> object:
        # A user that is not an object carries nothing we could show.
        return value if isinstance(value, dict | AuthUser) else None

    @field_validator("actions", mode="before")
    @classmethod
    def _actions_or_empty(cls, value: object) -> object:
        # Drop entries that cannot be a form (no name) rather than the whole reply.
        return _named_entries(value, AuthAction)

    @field_validator("retriable", mode="before")
    @classmethod
    def _coerce_retriable(cls, value: object) -> bool | None:
        return None if value is None else value is True or value == "true"

    @property
    def is_known_state(self) -> bool:
        return self.state in KNOWN_STATES

    def action(self, name: str) -> AuthAction | None:
        """The first action called ``name``."""
        return next((a for a in self.actions if a.name == name), None)

    def action_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actions)


# The password rules a backend may advertise on a new-password field, as an extra
# key of the AuthField (additive: AWS Blocks renderers ignore it). The reference
# backend writes it; the client's forms read it.
PASSWORD_POLICY_KEY: Final = "passwordPolicy"

# What a sign-in identifier field accepts, as an extra key of the AuthField
# (additive): ``["username", "email"]``. The recorded blocks label the field
# "Username" even when an email signs in too; a client that reads this key can
# say "Username or email".
SIGN_IN_WITH_KEY: Final = "signInWith"

# Where a code went, masked (``c***@e***.com``), as an extra key of the action
# that takes the code (additive). ``confirmSignIn`` says it in its label, as
# recorded; ``confirmSignUp`` has no such label, so the reference backend adds
# this key when the person just typed that address.
CODE_DESTINATION_KEY: Final = "codeDestination"


def password_policy_wire(
    *,
    min_length: int,
    require_lowercase: bool,
    require_uppercase: bool,
    require_digits: bool,
    require_symbols: bool,
    reject_common: bool,
) -> dict[str, int | bool]:
    """The ``passwordPolicy`` object: ``{"minLength": 8, "requireLowercase": true, ...}``."""
    return {
        "minLength": min_length,
        "requireLowercase": require_lowercase,
        "requireUppercase": require_uppercase,
        "requireDigits": require_digits,
        "requireSymbols": require_symbols,
        "rejectCommon": reject_common,
    }


# ---------------------------------------------------------------------------
# JSON-RPC 2.0 envelope
# ---------------------------------------------------------------------------

JSONRPC_VERSION: Final = "2.0"

# Reserved JSON-RPC error codes (the AWS Blocks servers use them; see
# basic_errors_and_protocol_edges.jsonl).
PARSE_ERROR: Final = -32700
INVALID_REQUEST: Final = -32600
METHOD_NOT_FOUND: Final = -32601
INVALID_PARAMS: Final = -32602
INTERNAL_ERROR: Final = -32603


class RpcErrorData(_WireModel):
    name: str | None = None
    retriable: bool | None = None


class RpcErrorObject(_WireModel):
    code: int
    message: str = ""
    data: RpcErrorData | None = None

    @field_validator("data", mode="before")
    @classmethod
    def _data_object_only(cls, value: object) -> object:
        return value if isinstance(value, dict | RpcErrorData) else None

    @property
    def http_status(self) -> int:
        """Positive codes are HTTP statuses; reserved negative ones map to 500."""
        return self.code if self.code > 0 else 500


def parse_auth_state(value: object) -> AuthState:
    """Validate a decoded ``result`` as an AuthState (raises pydantic's ValidationError)."""
    return AuthState.model_validate(value)
