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
from . import svg_icons
from .choice_radio import ChoiceRadio
from .hooks import field_hook, hook
from .password_rules import PasswordChecklist
from .quasar_props import apply, parsed

_INPUT_PROPS = parsed("outlined no-error-icon")
_TOGGLE_PROPS = parsed("flat round dense type=button")

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

    def set_error(self, message: str | None, *, in_banner: bool = False) -> None:
        """Show ``message`` under the field and tie it to the input (or clear both).

        The text goes in our own element in Quasar's ``error`` slot, not in
        ``error-message``: Quasar renders that with ``role=alert``, a second
        announcement of what the screen's one live region (the error banner)
        already says. ``aria-invalid`` and ``aria-describedby`` let a screen
        reader read the error when the person returns to the field.

        ``in_banner``: the error banner above already shows these very words (a
        server error that belongs to this field). The field turns red and keeps
        the text for screen readers, but does not print it a second time.
        """
        if isinstance(self.element, ui.input) and message and self.error_label is None:
            self.error_label = _error_label(self.element)  # built with the first error, not per field
        if self.error_label is not None:
            self.error_label.text = message or ""
            if in_banner and message:
                self.error_label.classes(add="na-sr-only")
            else:
                self.error_label.classes(remove="na-sr-only")
        if isinstance(self.element, ui.input):
            self.element.error = message
            self.element.props.pop("error-message", None)
            if message:
                self.element.props["aria-invalid"] = "true"
            else:
                self.element.props.pop("aria-invalid", None)
            self.element.props["aria-describedby"] = _described_by(self, with_error=bool(message))
            self.element.update()
        elif self.error_label is not None:
            self.error_label.set_visibility(bool(message))

    def set_enabled(self, enabled: bool) -> None:
        for element in (self.element, *self.extras):
            if isinstance(element, DisableableElement | ChoiceRadio):
                element.set_enabled(enabled)


def _described_by(handle: FieldHandle, *, with_error: bool) -> str | None:
    """The ids that describe the input: its error (when shown), then the password rules."""
    ids = []
    if with_error and handle.error_label is not None:
        ids.append(str(handle.error_label.props["id"]))
    if handle.checklist is not None:
        ids.append(str(handle.checklist.element.props["id"]))
    return " ".join(ids) or None


def _hidden(spec: FormField, value: str) -> FieldHandle:
    element = apply(ui.element("input"), {"type": "hidden", "name": spec.name, "value": value})
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
    element = ui.input(translate(spec.label, catalog), value=value, password=password)
    element.without_auto_validation()  # errors are ours (machine + live checks), not NiceGUI's
    # Gathered first and set as one change: each prop set on its own is a change NiceGUI reacts to (issue 15).
    props: dict[str, Any] = {**_INPUT_PROPS, "name": spec.name}
    if spec.input_type in ("email", "tel", "number"):
        props["type"] = spec.input_type
    if spec.autocomplete:
        props["autocomplete"] = spec.autocomplete
    if spec.numeric:
        props["inputmode"] = "numeric"
    if spec.kind is FieldKind.ONE_TIME_CODE:
        props["autocorrect"] = "off"
        props["spellcheck"] = "false"
    if spec.kind in (FieldKind.USERNAME, FieldKind.EMAIL):
        props["autocapitalize"] = "none"
        props["spellcheck"] = "false"
    if spec.required:
        props["aria-required"] = "true"
    hint = spec.hint
    if hint is None and spec.kind is FieldKind.CHOICE:
        hint = Msg("hint.choice_free_text")  # the options could not be read from the label
    if hint is not None:
        props["hint"] = translate(hint, catalog)
    if autofocus:
        props["autofocus"] = True
    apply(element, props)
    hook(element, field_hook(spec.name))
    element.on("keydown.enter", on_enter)
    if password:
        _password_toggle(element, catalog)
    # The error slot's label comes with the first error (FieldHandle.set_error): most fields never
    # show one, and every element saved is one less to build on each screen change (issue 15).
    handle = FieldHandle(spec, element, read=lambda: element.value or "")
    if spec.kind is FieldKind.NEW_PASSWORD and spec.policy is not None:
        handle.checklist = PasswordChecklist(spec.policy, spec.name, catalog)
        handle.checklist.update(value)
        element.props["aria-describedby"] = _described_by(handle, with_error=False)
    element.on_value_change(lambda _: on_change(handle))
    return handle


def _error_label(element: ui.input) -> ui.label:
    """Our own element in Quasar's ``error`` slot of ``element`` (see :meth:`FieldHandle.set_error`)."""
    with element.add_slot("error"):
        label = ui.label("").classes("na-input-error")
    label.props["id"] = f"na-error-{element.id}"
    return label


def _password_toggle(element: ui.input, catalog: Mapping[str, Template] | None) -> None:
    """A real button after the input that shows or hides the password.

    Its name says what it will do ("Show password" / "Hide password") and
    changes with it; it is in the tab order and never ``aria-hidden`` (Quasar's
    own toggle is an icon, which is). Enter on it toggles rather than submitting
    the form the field belongs to.
    """
    show, hide = (
        translate(Msg("action.show_password"), catalog),
        translate(Msg("action.hide_password"), catalog),
    )

    def toggle() -> None:
        hidden = element.props.get("type") == "password"
        element.props["type"] = "text" if hidden else "password"
        element.update()
        button.props["aria-label"] = hide if hidden else show
        button.props["icon"] = svg_icons.EYE if hidden else svg_icons.EYE_SLASHED
        button.update()

    with element.add_slot("append"):
        button = ui.button(
            icon=svg_icons.EYE_SLASHED, on_click=toggle, color=None
        )  # inline SVG, no icon font
    apply(button, _TOGGLE_PROPS, {"aria-label": show}).classes("na-password-toggle")
    button.on("keydown.enter.stop", js_handler="() => {}")
    hook(button, f"{field_hook(element.props.get('name', ''))}-toggle")


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
