"""From what a person typed to what goes on the wire.

Submission rules shared by every form: normalising input (a pasted ``123 456``
code, a grouped phone number), client-side validation, and building the flat
setAuthState payload with hidden and default values echoed exactly as the
server sent them (docs/protocol.md, "AuthField").
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import JsonValue

from .forms import FieldKind, Form, FormField
from .messages import Text
from .rules import check, normalize_code


def normalize_value(f: FormField | None, value: str) -> str:
    if f is not None and f.kind is FieldKind.ONE_TIME_CODE:
        return normalize_code(value)
    if f is not None and f.kind is FieldKind.PHONE:
        # "+1 (415) 555-0123" -> "+14155550123": people group digits, servers want E.164.
        return "".join(c for c in value if c not in " ()-./\t")
    if f is not None and f.kind in (FieldKind.USERNAME, FieldKind.EMAIL):
        return value.strip()
    return value


def field_value(f: FormField, values: Mapping[str, str]) -> JsonValue:
    """What a field sends.

    Hidden fields echo the server's ``defaultValue`` exactly (same JSON type,
    even ""); so does a visible field the person left at its default. Fields
    hidden because we already know their value (AuthBasic's re-asked username
    and password) send that value.
    """
    if sends_echo(f, values):
        return f.echo
    return values.get(f.name, f.value) if f.visible else f.value


def sends_echo(f: FormField, values: Mapping[str, str]) -> bool:
    if f.echo is None:
        return False
    if not f.visible:
        return f.kind in (FieldKind.HIDDEN, FieldKind.SECRET)
    return values.get(f.name, f.value) == f.value


def field_text(f: FormField, values: Mapping[str, str]) -> str:
    """What a field sends in a real browser form (always text)."""
    return values.get(f.name, f.value) if f.visible else f.value


def payload_of(form: Form, values: Mapping[str, str]) -> dict[str, JsonValue]:
    """The flat setAuthState object for ``form``: ``action`` plus its fields.

    Empty inputs are left out (the recorded clients never send ``""`` for a
    blank box), echoed defaults never are. A field called ``action`` cannot
    replace the action being submitted.
    """
    payload: dict[str, JsonValue] = {"action": form.action}
    for f in form.fields:
        if not f.sent or f.name == "action":
            continue
        value = field_value(f, values)
        if value != "" or sends_echo(f, values):
            payload[f.name] = value
    return payload


def validate_form(form: Form, values: Mapping[str, str]) -> dict[str, Text]:
    errors: dict[str, Text] = {}
    for f in form.fields:
        if not f.visible:
            continue
        value = values.get(f.name, f.value)
        for rule in f.rules:
            problem = check(rule, value, values)
            if problem is not None:
                errors[f.name] = problem
                break
    return errors
