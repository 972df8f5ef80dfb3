"""Fields the host app adds to sign-up, with its own client-side checks.

``Authenticator(..., sign_up_fields=[SignUpField("given_name", label="Given name",
required=True, validate=...)])``. What happens to a field depends on the server:

* The server's ``signUp`` lists it (the reference backend with
  ``--sign-up-attributes given_name``): it stays the server's field, sent as
  typed; the app only adds its label and checks.
* The server does not list it: it is shown and checked, but **not sent**. The
  protocol has no way for a server to say it takes attributes it did not list
  (PROTOCOL.md, "Actions a backend may emit"), the reference backend keeps only
  the attributes it lists, and no recording shows a server taking one more; so
  sending it could only be ignored or refused. The value stays with the machine
  (``Context.values``) like anything typed, so the app can read it.

Either way the payload holds nothing the person did not type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from .forms import FieldKind, Form, FormField
from .messages import Raw, Text, label_text
from .rules import Required, Rule, Satisfies

Validator = Callable[[str], str | None]


@dataclass(frozen=True)
class SignUpField:
    """One field the app wants at sign-up.

    :param name: the attribute name (``given_name``, ``custom:team``)
    :param label: text shown above the input (already in the reader's language)
    :param required: refuse an empty value before any call
    :param validate: ``value -> None`` when fine, else a message key of the catalog
        (``validation.required``) or the app's own text; must be pure
    """

    name: str
    label: str | None = None
    required: bool = False
    validate: Validator | None = None

    def rules(self) -> tuple[Rule, ...]:
        rules: list[Rule] = [Required()] if self.required else []
        if self.validate is not None:
            rules.append(Satisfies(self.validate))
        return tuple(rules)

    def label_text(self) -> Text:
        return Raw(self.label) if self.label is not None else label_text(self.name, "")


def with_sign_up_fields(form: Form, extras: tuple[SignUpField, ...], typed: Mapping[str, str]) -> Form:
    """``form`` (the sign-up form) with the app's fields: checks added to the server's, new ones unsent."""
    if not extras:
        return form
    fields = list(form.fields)
    for extra in extras:
        index = next((i for i, f in enumerate(fields) if f.name == extra.name), None)
        if index is not None:
            fields[index] = _strengthened(fields[index], extra)
            continue
        fields.append(
            FormField(
                name=extra.name,
                kind=FieldKind.TEXT,
                label=extra.label_text(),
                required=extra.required,
                value=typed.get(extra.name, ""),
                rules=extra.rules(),
                sent=False,  # the server did not ask for it (module docstring)
            )
        )
    return replace(form, fields=tuple(fields))


def _strengthened(server: FormField, extra: SignUpField) -> FormField:
    """The server's field with the app's label and checks; its name, kind and echo stay the server's."""
    required = (Required(),) if extra.required and Required() not in server.rules else ()
    custom = (Satisfies(extra.validate),) if extra.validate is not None else ()
    return replace(
        server,
        label=Raw(extra.label) if extra.label is not None else server.label,
        required=server.required or extra.required,
        rules=(*required, *server.rules, *custom),
    )
