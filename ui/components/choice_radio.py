"""A radio group built from individual Quasar radios, each carrying its test hook.

``ui.radio`` (QOptionGroup) renders its options itself and drops any extra
attribute, so a per-option ``data-testid`` cannot reach the DOM. Building the
group from one ``q-radio`` per option puts ``authenticator-<field>-<VALUE>``
on the clickable ``role=radio`` element, keeps the wire value as each radio's
``val``, and lets the person choose by mouse or keyboard (Quasar emits
``update:model-value`` for both; a plain ``click`` is also accepted, which is
what NiceGUI's simulated User sends).
"""

from __future__ import annotations

from nicegui import ui

from .hooks import field_hook, hook
from .quasar_props import apply


class ChoiceRadio(ui.element):
    """One radio per option; ``value`` is the chosen wire value."""

    def __init__(self, field_name: str, options: dict[str, str], *, value: str, label: str) -> None:
        super().__init__("div")
        self.value = value
        apply(self, {"role": "radiogroup", "aria-label": label})
        self._radios: list[ui.element] = []
        with self:
            for option, label in options.items():
                radio = ui.element("q-radio")
                # One change per radio, not five (issue 15).
                apply(
                    radio,
                    {"val": option, "label": label, "name": field_name, "model-value": value, "dense": True},
                )
                hook(radio, f"{field_hook(field_name)}-{option}")
                radio.on("update:model-value", lambda _, option=option: self.choose(option), [])
                radio.on("click", lambda _, option=option: self.choose(option), [])
                self._radios.append(radio)

    def choose(self, option: str) -> None:
        """Select ``option`` (a wire value) in every radio of the group."""
        if self.props.get("disable"):
            return
        self.value = option
        for radio in self._radios:
            radio.props["model-value"] = option

    def set_enabled(self, enabled: bool) -> None:
        for element in (self, *self._radios):
            if enabled:
                element.props.pop("disable", None)
            else:
                element.props["disable"] = True
