"""The live password checklist shown under a new-password input.

Rules come from :meth:`PasswordPolicy.checklist`, the same source the state
machine validates with, so what the person sees ticked is what will pass.
"""

from __future__ import annotations

from collections.abc import Mapping

from nicegui import ui

from ...state_machine import PasswordPolicy, Template, translate
from .hooks import hook


class PasswordChecklist:
    """One row per requirement; :meth:`update` ticks them as the person types."""

    def __init__(
        self, policy: PasswordPolicy, field_name: str, catalog: Mapping[str, Template] | None
    ) -> None:
        self._policy = policy
        self._catalog = catalog
        self._rows: list[tuple[ui.element, ui.icon]] = []
        with ui.element("div").classes("na-rules") as self.element:
            for text, _ in policy.checklist(""):
                with ui.element("div").classes("na-rule") as row:
                    icon = ui.icon("radio_button_unchecked", size="1rem")
                    ui.label(translate(text, catalog))
                self._rows.append((row, icon))
        hook(self.element, f"authenticator-{field_name}-rules")
        self.element.props["aria-live"] = "polite"

    def update(self, password: str) -> None:
        for (row, icon), (_, met) in zip(self._rows, self._policy.checklist(password), strict=True):
            icon.name = "check_circle" if met else "radio_button_unchecked"
            if met:
                row.classes(add="na-rule-met")
            else:
                row.classes(remove="na-rule-met")
