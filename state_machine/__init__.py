"""The pure (sans-I/O) client state machine for the setAuthState protocol.

Imports pydantic and the standard library only: no network, no UI, no clock,
no randomness. See :mod:`.machine` for the theory of operation.
"""

from __future__ import annotations

from .classify import classify_screen
from .context import MachineConfig, Phase
from .effects import AuthChanged, CallGetAuthState, CallSetAuthState, Effect, RunWebAuthn, SubmitExternalForm
from .events import (
    CallFailed,
    Cancel,
    DismissSuggestion,
    Event,
    Navigate,
    PasskeyAutofilled,
    Refresh,
    Retry,
    ServerReplied,
    Start,
    Submit,
    WebAuthnFailed,
    WebAuthnResult,
)
from .forms import CONFIRM_PASSWORD_FIELD, Choice, FieldKind, Form, FormField, FormRole
from .labels import code_variant, parse_choices, parse_destination
from .machine import AuthMachine, InvalidTransition
from .messages import ENGLISH, Catalog, Msg, Raw, Template, Text, translate
from .otpauth import totp_uri
from .passkey_info import PasskeyInfo, format_day
from .password_policy import PasswordPolicy
from .protocol import AuthAction, AuthField, AuthState, AuthUser
from .screens import Link, LinkKind, Screen, ScreenName
from .sign_up_fields import SignUpField

__all__ = [
    "CONFIRM_PASSWORD_FIELD",
    "ENGLISH",
    "AuthAction",
    "AuthChanged",
    "AuthField",
    "AuthMachine",
    "AuthState",
    "AuthUser",
    "CallFailed",
    "CallGetAuthState",
    "CallSetAuthState",
    "Cancel",
    "Catalog",
    "Choice",
    "DismissSuggestion",
    "Effect",
    "Event",
    "FieldKind",
    "Form",
    "FormField",
    "FormRole",
    "InvalidTransition",
    "Link",
    "LinkKind",
    "MachineConfig",
    "Msg",
    "Navigate",
    "PasskeyAutofilled",
    "PasskeyInfo",
    "PasswordPolicy",
    "Phase",
    "Raw",
    "Refresh",
    "Retry",
    "RunWebAuthn",
    "Screen",
    "ScreenName",
    "ServerReplied",
    "SignUpField",
    "Start",
    "Submit",
    "SubmitExternalForm",
    "Template",
    "Text",
    "WebAuthnFailed",
    "WebAuthnResult",
    "classify_screen",
    "code_variant",
    "format_day",
    "parse_choices",
    "parse_destination",
    "totp_uri",
    "translate",
]
