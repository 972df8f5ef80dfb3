"""Small constructors for the forms (actions and fields) the backend sends.

Labels and types here are the recorded ones (see ``tests/fixtures``); the
state builders in ``states`` assemble them into whole replies.
"""

from __future__ import annotations

from typing import Any, Final

from ..state_machine.password_policy import PasswordPolicy
from ..state_machine.protocol import SIGN_IN_WITH_KEY, AuthAction, AuthField
from .settings import BackendSettings

# Labels of hidden fields as the AWS Blocks servers print them.
HIDDEN_LABELS: Final = {
    "username": "Username",
    "session": "Session",
    "challenge": "Challenge",
    "sharedSecret": "Shared Secret",
    "credentialCreationOptions": "Credential Creation Options",
    "credentialRequestOptions": "Credential Request Options",
    "credential": "Credential",
    "credentialId": "Credential ID",
    "email": "Email",
    "method": "Method",
}

# Sign-up attributes with a meaning of their own: (label, input type).
ATTRIBUTE_FIELDS: Final = {
    "email": ("Email", "email"),
    "phone_number": ("Phone Number", "tel"),
}


def field(name: str, label: str, type_: str = "text", *, required: bool = True, **extra: Any) -> AuthField:
    return AuthField(name=name, label=label, type=type_, required=required, **extra)


def hidden(name: str, value: str | None = None) -> AuthField:
    """A hidden field; with ``value`` it carries data the client must echo."""
    return AuthField(name=name, label=HIDDEN_LABELS[name], type="hidden", required=True, defaultValue=value)


def new_password_field(name: str, label: str, policy: PasswordPolicy) -> AuthField:
    """A password a person chooses now: carries the additive ``passwordPolicy`` key."""
    return field(name, label, "password", passwordPolicy=policy.to_wire())


def action(name: str, label: str, *fields: AuthField, capability: str | None = None) -> AuthAction:
    return AuthAction(name=name, label=label, capability=capability, fields=fields)


def pick_one_of(options: tuple[str, ...]) -> str:
    """Choices travel only inside the label (PROTOCOL.md): ``Pick one of: TOTP, EMAIL``."""
    return "Pick one of: " + ", ".join(options)


def identifier_field(settings: BackendSettings, *, names_account: bool = False) -> AuthField:
    """The sign-in identifier: ``Email`` when only email signs in, ``Username`` otherwise.

    ``names_account``: the field names an existing account (sign in, reset), so
    it may be any identifier the account signs in with, which the additive
    ``signInWith`` key says; a new account's username (sign-up) is just that.
    """
    kinds = settings.identifiers
    if kinds == ("email",):
        return field("username", "Email", "email")
    if kinds == ("phone",):
        return field("username", "Phone Number", "tel")
    if names_account and kinds != ("username",):
        # The recorded label stays; the additive key says what else is accepted.
        return AuthField.model_validate(
            {
                "name": "username",
                "label": "Username",
                "type": "text",
                "required": True,
                SIGN_IN_WITH_KEY: list(kinds),
            }
        )
    return field("username", "Username")


def sign_up_attribute_names(settings: BackendSettings) -> tuple[str, ...]:
    """Attributes asked at sign-up: sign-in aliases beside a username, then configured extras."""
    names: list[str] = []
    kinds = settings.identifiers
    if settings.mode == "cognito" and "username" in kinds:
        if "email" in kinds:
            names.append("email")
        if "phone" in kinds:
            names.append("phone_number")
    for name in settings.sign_up_attributes:
        if name not in names:
            names.append(name)
    if kinds == ("email",) and "email" in names:
        names.remove("email")  # the username *is* the email
    if kinds == ("phone",) and "phone_number" in names:
        names.remove("phone_number")
    return tuple(names)


def attribute_field(name: str) -> AuthField:
    label, type_ = ATTRIBUTE_FIELDS.get(name, (name.replace("_", " ").title(), "text"))
    return field(name, label, type_)
