"""One widget per :class:`FieldKind`: what a form field looks like in the browser.

The renderer chooses widgets by the field's semantic kind, never by raw
server types: one-time codes open the numeric keyboard and accept a pasted
code, every password has a show/hide toggle, choices are radio buttons,
hidden values are real ``<input type=hidden>`` elements that carry their test
hook. Labels pass through :func:`translate`; server text lands in props and
labels, which Vue renders as text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.disableable_element import DisableableElement

from ...state_machine import FieldKind, FormField, Msg, Template, translate
from .choice_radio import ChoiceRadio
from .hooks import field_hook, hook
from .password_rules import PasswordChecklist

OnChange = Callable[["FieldHandle"], None]
OnEnter = Callable[[], Any]


@dataclass(eq=False)
class FieldHandle:
    """A rendered field: read its value, show an error, disable it while pending."""

    spec: FormField
    element: ui.element
    read: Callable[[], str]
    error_label: ui.label | None = None
    checklist: PasswordChecklist | None = None
    extras: list[ui.element] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def value(self) -> str:
        return self.read()

    def set_error(self, message: str | None) -> None:
        if isinstance(self.element, ui.input):
            self.element.error = message
        elif self.error_label is not None:
            self.error_label.text = message or ""
            self.error_label.set_visibility(bool(message))

    def set_enabled(self, enabled: bool) -> None:
        for element in (self.element, *self.extras):
            if isinstance(element, DisableableElement | ChoiceRadio):
                element.set_enabled(enabled)


def _hidden(spec: FormField, value: str) -> FieldHandle:
    element = ui.element("input")
    element.props["type"] = "hidden"
    element.props["name"] = spec.name
    element.props["value"] = value
    hook(element, field_hook(spec.name))
    return FieldHandle(spec, element, read=lambda: value)


def _choice(spec: FormField, value: str, catalog: Mapping[str, Template] | None) -> FieldHandle:
    options = {choice.value: translate(choice.label, catalog) for choice in spec.choices}
    selected = value if value in options else spec.choices[0].value
    with ui.element("div").classes("na-choice") as group:
        label = translate(spec.label, catalog)
        ui.label(label).classes("na-choice-label")
        radio = ChoiceRadio(spec.name, options, value=selected, label=label)
        error = ui.label("").classes("na-field-error")
        error.set_visibility(False)
    hook(group, field_hook(spec.name))
    return FieldHandle(spec, group, read=lambda: radio.value, error_label=error, extras=[radio])


def _input(
    spec: FormField,
    value: str,
    catalog: Mapping[str, Template] | None,
    *,
    autofocus: bool,
    on_enter: OnEnter,
    on_change: OnChange,
) -> FieldHandle:
    password = spec.is_password
    element = ui.input(
        translate(spec.label, catalog),
        value=value,
        password=password,
        password_toggle_button=password,
    ).props("outlined no-error-icon")
    element.without_auto_validation()  # errors are ours (machine + live checks), not NiceGUI's
    element.props["name"] = spec.name
    if spec.input_type in ("email", "tel", "number"):
        element.props["type"] = spec.input_type
    if spec.autocomplete:
        element.props["autocomplete"] = spec.autocomplete
    if spec.numeric:
        element.props["inputmode"] = "numeric"
    if spec.kind is FieldKind.ONE_TIME_CODE:
        element.props["autocorrect"] = "off"
        element.props["spellcheck"] = "false"
    if spec.kind in (FieldKind.USERNAME, FieldKind.EMAIL):
        element.props["autocapitalize"] = "none"
        element.props["spellcheck"] = "false"
    if spec.required:
        element.props["aria-required"] = "true"
    hint = spec.hint
    if hint is None and spec.kind is FieldKind.CHOICE:
        hint = Msg("hint.choice_free_text")  # the options could not be read from the label
    if hint is not None:
        element.props["hint"] = translate(hint, catalog)
    if autofocus:
        element.props["autofocus"] = True
    hook(element, field_hook(spec.name))
    element.on("keydown.enter", on_enter)
    if password:
        _accessible_toggle(element, translate(Msg("action.show_password"), catalog))

    handle = FieldHandle(spec, element, read=lambda: element.value or "")
    if spec.kind is FieldKind.NEW_PASSWORD and spec.policy is not None:
        handle.checklist = PasswordChecklist(spec.policy, spec.name, catalog)
        handle.checklist.update(value)
    element.on_value_change(lambda _: on_change(handle))
    return handle


def _accessible_toggle(element: ui.input, label: str) -> None:
    """Make NiceGUI's show/hide icon a keyboard-reachable, labelled button."""
    for icon in element.slots["append"].children:
        icon.props["role"] = "button"
        icon.props["tabindex"] = "0"
        icon.props["aria-label"] = label
        hook(icon, f"{field_hook(element.props.get('name', ''))}-toggle")
        # Enter/Space toggle like a click; .stop keeps Enter from submitting the form.
        icon.on("keydown.enter.stop.prevent", js_handler="(e) => e.target.click()")
        icon.on("keydown.space.stop.prevent", js_handler="(e) => e.target.click()")


def build_field(
    spec: FormField,
    value: str,
    catalog: Mapping[str, Template] | None,
    *,
    autofocus: bool,
    on_enter: OnEnter,
    on_change: OnChange,
) -> FieldHandle:
    """Render ``spec`` starting at ``value``; hidden ones as ``<input type=hidden>``."""
    if not spec.visible:
        return _hidden(spec, spec.value)
    if spec.kind is FieldKind.CHOICE and spec.choices:
        return _choice(spec, value, catalog)
    return _input(spec, value, catalog, autofocus=autofocus, on_enter=on_enter, on_change=on_change)
