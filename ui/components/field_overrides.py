"""Per-screen, per-field changes to how a form looks: label, placeholder, hint, order, hidden, default.

``Authenticator(client, form_fields={"sign_up": {"email": {"label": "Work email",
"placeholder": "you@company.com", "order": 1}}})``. They change only what a
person sees and the value an input starts with; the fields sent, their names
and the validation rules stay the server's, so an override can never make a
request the server did not ask for. A hidden field is still sent (with its
default, or empty): hide only what the server does not need from the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

from ...state_machine import FormField, Raw, ScreenName

_KEYS: Final = frozenset({"label", "placeholder", "hint", "order", "hidden", "default"})


@dataclass(frozen=True)
class FieldOverride:
    """How one field is shown: texts verbatim (already in the reader's language), ``order`` ascending."""

    label: str | None = None
    placeholder: str | None = None
    hint: str | None = None
    order: int | None = None
    hidden: bool = False
    default: str | None = None

    @classmethod
    def parse(cls, where: str, value: FieldOverride | Mapping[str, object]) -> FieldOverride:
        if isinstance(value, FieldOverride):
            return value
        unknown = set(value) - _KEYS
        if unknown:
            raise ValueError(
                f"{where}: unknown override {', '.join(sorted(unknown))}; known: {sorted(_KEYS)}"
            )
        texts = {key: value[key] for key in ("label", "placeholder", "hint", "default") if key in value}
        if any(not isinstance(text, str) for text in texts.values()):
            raise ValueError(f"{where}: label, placeholder, hint and default are strings")
        order, hidden = value.get("order"), value.get("hidden", False)
        if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
            raise ValueError(f"{where}: order is a whole number")
        if not isinstance(hidden, bool):
            raise ValueError(f"{where}: hidden is true or false")
        return cls(order=order, hidden=hidden, **texts)  # type: ignore[arg-type]

    def applied(self, spec: FormField) -> FormField:
        """``spec`` with this override's label, hint and starting value."""
        changes: dict[str, object] = {}
        if self.label is not None:
            changes["label"] = Raw(self.label)
        if self.hint is not None:
            changes["hint"] = Raw(self.hint)
        if self.default is not None and not spec.value:
            changes["value"] = self.default
        return replace(spec, **changes) if changes else spec  # type: ignore[arg-type]


FormFieldOverrides = Mapping[str, Mapping[str, FieldOverride | Mapping[str, object]]]


def parse_overrides(given: FormFieldOverrides | None) -> dict[str, dict[str, FieldOverride]]:
    """``{screen: {field: override}}`` checked: known screen names, known override keys."""
    screens = {name.value for name in ScreenName}
    parsed: dict[str, dict[str, FieldOverride]] = {}
    for screen, fields in (given or {}).items():
        if screen not in screens:
            raise ValueError(f"form_fields: unknown screen {screen!r}; known: {', '.join(sorted(screens))}")
        parsed[screen] = {
            name: FieldOverride.parse(f"form_fields[{screen!r}][{name!r}]", value)
            for name, value in fields.items()
        }
    return parsed


def ordered(fields: tuple[FormField, ...], overrides: Mapping[str, FieldOverride]) -> list[FormField]:
    """Fields with an ``order`` first, ascending; the others after them in the server's order."""

    def key(item: tuple[int, FormField]) -> tuple[int, int, int]:
        position, spec = item
        override = overrides.get(spec.name)
        if override is not None and override.order is not None:
            return (0, override.order, position)
        return (1, 0, position)

    return [spec for _, spec in sorted(enumerate(fields), key=key)]
