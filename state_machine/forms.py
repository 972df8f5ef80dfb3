"""Form models: what a person fills in on a screen, independent of any widget kit.

The server describes inputs by ``name`` and HTML ``type`` only. People need more:
a one-time-code box that opens the numeric keyboard, a new-password box with a
confirmation and visible rules, a radio list instead of ``Pick one of: TOTP,
EMAIL``. :func:`build_form` turns an :class:`AuthAction` into a :class:`Form` whose
fields carry a semantic :class:`FieldKind`; renderers map kinds to widgets and
never look at raw AuthState.

Values the person gave earlier are reused (username everywhere, the sign-up
password on AuthBasic's confirm step, see fixture
``basic_signup_confirm_signin_signout.jsonl`` step 2): such fields are filled in
and hidden instead of being asked twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from pydantic import JsonValue

from .actions import is_item, leads_back
from .labels import parse_choices
from .messages import Msg, Text, action_text, choice_text, label_text, msg
from .passkey_info import PasskeyInfo, passkey_info
from .password_policy import PasswordPolicy
from .protocol import PASSWORD_POLICY_KEY, SIGN_IN_WITH_KEY, AuthAction, AuthField
from .rules import (
    CodeShape,
    EmailShape,
    MatchesField,
    MeetsPolicy,
    OneOf,
    PhoneShape,
    Required,
    Rule,
)


class FieldKind(StrEnum):
    """What an input means to a person; renderers choose widgets by kind."""

    USERNAME = "username"
    EMAIL = "email"
    PHONE = "phone"
    CURRENT_PASSWORD = "current_password"
    NEW_PASSWORD = "new_password"
    CONFIRM_PASSWORD = "confirm_password"
    ONE_TIME_CODE = "one_time_code"
    CHOICE = "choice"
    SECRET = "secret"
    HIDDEN = "hidden"
    TEXT = "text"
    NUMBER = "number"


class FormRole(StrEnum):
    """How a form is offered on its screen."""

    PRIMARY = "primary"  # the screen's main submit
    SECONDARY = "secondary"  # e.g. resend code, delete passkey, account actions
    EXTERNAL = "external"  # a federated provider button (real browser form)


# Name of the client-only confirmation input added after a new password.
CONFIRM_PASSWORD_FIELD: Final = "confirmPassword"

_AUTOCOMPLETE: Final[Mapping[FieldKind, str]] = {
    FieldKind.USERNAME: "username",
    FieldKind.EMAIL: "email",
    FieldKind.PHONE: "tel",
    FieldKind.CURRENT_PASSWORD: "current-password",
    FieldKind.NEW_PASSWORD: "new-password",
    FieldKind.CONFIRM_PASSWORD: "new-password",
    FieldKind.ONE_TIME_CODE: "one-time-code",
}

_INPUT_TYPE: Final[Mapping[FieldKind, str]] = {
    FieldKind.EMAIL: "email",
    FieldKind.PHONE: "tel",
    FieldKind.CURRENT_PASSWORD: "password",
    FieldKind.NEW_PASSWORD: "password",
    FieldKind.CONFIRM_PASSWORD: "password",
    FieldKind.HIDDEN: "hidden",
    FieldKind.NUMBER: "number",
}


@dataclass(frozen=True)
class Choice:
    """One option of a choice field: the wire value and its readable name."""

    value: str
    label: Text


@dataclass(frozen=True)
class FormField:
    """One input as a person meets it."""

    name: str
    kind: FieldKind
    label: Text
    required: bool
    value: str = ""  # what the input starts with
    input_type: str = "text"
    autocomplete: str | None = None
    hint: Text | None = None
    rules: tuple[Rule, ...] = ()
    choices: tuple[Choice, ...] = ()
    policy: PasswordPolicy | None = None
    visible: bool = True  # False for hidden fields and values already known
    sent: bool = True  # False for the client-only password confirmation
    echo: JsonValue = None  # exact JSON a hidden/default field sends back
    numeric: bool = False  # numeric keyboard (inputmode=numeric)

    @property
    def is_password(self) -> bool:
        return self.kind in (FieldKind.CURRENT_PASSWORD, FieldKind.NEW_PASSWORD, FieldKind.CONFIRM_PASSWORD)


@dataclass(frozen=True)
class Form:
    """An action made ready for a person: fields, submit label, role."""

    action: str
    label: Text
    fields: tuple[FormField, ...]
    role: FormRole = FormRole.PRIMARY
    capability: str | None = None
    url: str | None = None
    method: str = "GET"
    server_label: str = ""
    per_item: bool = False  # one such form per item (a passkey), told apart by server_label
    passkey: PasskeyInfo | None = None  # the passkey a per-item form acts on, when the server says
    leads_back: bool = False  # the server's own way back (cancel a setup)

    @property
    def visible_fields(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.visible)

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    def first_of(self, *kinds: FieldKind) -> FormField | None:
        return next((f for f in self.fields if f.kind in kinds), None)


@dataclass(frozen=True)
class Known:
    """What the person already told us, for prefilling later forms."""

    values: Mapping[str, str] = field(default_factory=dict)
    username: str | None = None
    sign_up_password: str | None = None


# Field names a confirm step may ask again although the person just gave them
# (AuthBasic's confirmSignUp and confirmResetPassword show them as plain inputs).
_REASKED: Final = frozenset({"username", "password"})


def _kind(f: AuthField, new_password: bool) -> FieldKind:
    """Semantic kind from the field's name and type (``new_password``: the action sets a password)."""
    name, ftype = f.name, f.type
    if ftype == "hidden":
        return FieldKind.SECRET if name == "sharedSecret" else FieldKind.HIDDEN
    if name in ("mfaType", "firstFactor") or parse_choices(f.label) is not None:
        return FieldKind.CHOICE
    if name == "code" or (name.endswith("Code") and ftype != "password"):
        return FieldKind.ONE_TIME_CODE
    if name == "newPassword":
        return FieldKind.NEW_PASSWORD
    if ftype == "password" or name == "password":
        return FieldKind.NEW_PASSWORD if new_password else FieldKind.CURRENT_PASSWORD
    if ftype == "email" or name == "email":
        return FieldKind.EMAIL
    if ftype == "tel" or name == "phone_number":
        return FieldKind.PHONE
    if name == "username":
        return FieldKind.USERNAME
    if ftype == "number":
        return FieldKind.NUMBER
    return FieldKind.TEXT


def _policy_of(f: AuthField, fallback: PasswordPolicy) -> PasswordPolicy:
    extra = f.model_extra or {}
    return PasswordPolicy.from_wire(extra.get(PASSWORD_POLICY_KEY)) or fallback


def _rules(
    kind: FieldKind, required: bool, policy: PasswordPolicy | None, choices: tuple[Choice, ...]
) -> tuple[Rule, ...]:
    rules: list[Rule] = [Required()] if required else []
    if kind is FieldKind.EMAIL:
        rules.append(EmailShape())
    elif kind is FieldKind.PHONE:
        rules.append(PhoneShape())
    elif kind is FieldKind.ONE_TIME_CODE:
        rules.append(CodeShape())
    elif kind is FieldKind.NEW_PASSWORD and policy is not None:
        rules.append(MeetsPolicy(policy))
    elif kind is FieldKind.CHOICE and choices:
        rules.append(OneOf(tuple(c.value for c in choices)))
    return tuple(rules)


def _choices_of(f: AuthField) -> tuple[Choice, ...]:
    """The options a choice field offers, read from its label (``Pick one of: TOTP, EMAIL``)."""
    return tuple(Choice(o, choice_text(o)) for o in parse_choices(f.label) or ())


# A username field that also takes other identifiers (SIGN_IN_WITH_KEY) -> its label.
_IDENTIFIER_LABELS: Final[Mapping[frozenset[str], str]] = {
    frozenset({"username", "email"}): "field.username_or_email",
    frozenset({"username", "phone"}): "field.username_or_phone",
    frozenset({"username", "email", "phone"}): "field.username_email_or_phone",
}


def _label_of(f: AuthField, kind: FieldKind, choices: tuple[Choice, ...]) -> Text:
    """A choice whose options were parsed gets our own question; an identifier that takes
    an email too says so ("Username or email"); the rest keep their label."""
    if kind is FieldKind.CHOICE and choices:
        return Msg("field.mfa_type" if f.name != "firstFactor" else "field.first_factor")
    accepts = (f.model_extra or {}).get(SIGN_IN_WITH_KEY)
    if kind is FieldKind.USERNAME and isinstance(accepts, list):
        key = _IDENTIFIER_LABELS.get(frozenset(str(a) for a in accepts))
        if key is not None:
            return Msg(key)
    return label_text(f.name, f.label)


def _hidden_field(f: AuthField, kind: FieldKind, label: Text) -> FormField:
    """A hidden or secret field: never typed, its exact JSON echoed back."""
    return FormField(
        name=f.name,
        kind=kind,
        label=label,
        required=f.required,
        value=f.default_text,
        input_type="hidden",
        visible=False,
        echo=f.default_value,
    )


def _prefill(
    f: AuthField, kind: FieldKind, known: Known, hide_known: bool, choices: tuple[Choice, ...]
) -> tuple[str, bool]:
    """The value a visible field starts with, and whether it is shown at all.

    The username is reused everywhere; the sign-up password only where a
    confirm step asks for it again (``hide_known``), never to prefill a sign-in.
    """
    known_value = known.username if f.name == "username" else None
    if f.name == "password" and hide_known:
        known_value = known.sign_up_password
    typed = known.values.get(f.name)
    value = typed if typed is not None else (known_value or f.default_text)
    if kind is FieldKind.CHOICE and not value and choices:
        value = choices[0].value  # first option preselected
    if hide_known and f.name in _REASKED and known_value:
        return known_value, False
    return value, True


def build_field(
    f: AuthField,
    known: Known,
    *,
    new_password: bool,
    hide_known: bool,
    policy: PasswordPolicy,
) -> FormField:
    """One server field made into a form field, prefilled from what we know."""
    kind = _kind(f, new_password)
    choices = _choices_of(f) if kind is FieldKind.CHOICE else ()
    label = _label_of(f, kind, choices)
    if kind in (FieldKind.HIDDEN, FieldKind.SECRET):
        return _hidden_field(f, kind, label)
    field_policy = _policy_of(f, policy) if kind is FieldKind.NEW_PASSWORD else None
    value, visible = _prefill(f, kind, known, hide_known, choices)
    return FormField(
        name=f.name,
        kind=kind,
        label=label,
        required=f.required,
        value=value,
        input_type=_INPUT_TYPE.get(kind, "text"),
        # The account identifier is "username" to password managers even when it is
        # an email address (cognito_ua_*: username has type email).
        autocomplete="username" if f.name == "username" else _AUTOCOMPLETE.get(kind),
        hint=msg("hint.choice_free_text") if kind is FieldKind.CHOICE and not choices else None,
        rules=_rules(kind, f.required, field_policy, choices),
        choices=choices,
        policy=field_policy,
        visible=visible,
        # Exact JSON to send back while the input still shows the server's default.
        echo=f.default_value if f.has_default and value == f.default_text else None,
        numeric=kind is FieldKind.ONE_TIME_CODE,
    )


def build_form(
    action: AuthAction,
    known: Known,
    *,
    role: FormRole = FormRole.PRIMARY,
    label: Text | None = None,
    new_password: bool = False,
    confirm_password: bool = False,
    hide_known: bool = False,
    policy: PasswordPolicy | None = None,
) -> Form:
    """Make ``action`` a form.

    ``new_password`` marks a ``password`` field as one being chosen (sign up);
    ``confirm_password`` adds the client-only confirmation after it;
    ``hide_known`` fills in and hides fields a confirm step asks again.
    """
    fallback = policy or PasswordPolicy()
    fields: list[FormField] = []
    for f in action.fields:
        built = build_field(f, known, new_password=new_password, hide_known=hide_known, policy=fallback)
        fields.append(built)
        if confirm_password and built.kind is FieldKind.NEW_PASSWORD and built.visible:
            fields.append(
                FormField(
                    name=CONFIRM_PASSWORD_FIELD,
                    kind=FieldKind.CONFIRM_PASSWORD,
                    label=Msg("field.confirm_password"),
                    required=True,
                    value=known.values.get(CONFIRM_PASSWORD_FIELD, ""),
                    input_type="password",
                    autocomplete="new-password",
                    rules=(Required(), MatchesField(built.name)),
                    sent=False,
                )
            )
    if action.is_external:
        return Form(
            action=action.name,
            label=label or action_text(action.name, action.label, external=True, provider=action.provider),
            fields=tuple(fields),
            role=FormRole.EXTERNAL,
            url=action.url,
            method=(action.method or "GET").upper(),
            server_label=action.label,
            leads_back=leads_back(action.name),
        )
    return Form(
        action=action.name,
        label=label or action_text(action.base_name, action.label),
        fields=tuple(fields),
        role=role,
        capability=action.capability,
        server_label=action.label,
        per_item=is_item(action.name),
        leads_back=leads_back(action.name),
        passkey=passkey_info(action),
    )
