"""The live password checklist shown under a new-password input.

Rules come from :meth:`PasswordPolicy.checklist`, the same source the state
machine validates with, so what the person sees ticked is what will pass.
Each rule says "(met)" or "(not met)" in text for screen readers (the icon is
decoration), and the list describes the password input (``aria-describedby``)
rather than being a live region: the screen's one live region is its banner,
and a list re-announced at every keystroke would drown the typing.
"""

from __future__ import annotations

from collections.abc import Mapping

from nicegui import ui

from ...state_machine import Msg, PasswordPolicy, Template, translate
from .hooks import hook


class PasswordChecklist:
    """One row per requirement; :meth:`update` ticks them as the person types."""

    def __init__(
        self, policy: PasswordPolicy, field_name: str, catalog: Mapping[str, Template] | None
    ) -> None:
        self._policy = policy
        self._catalog = catalog
        self._met = translate(Msg("password_rule.met"), catalog)
        self._unmet = translate(Msg("password_rule.unmet"), catalog)
        self._rows: list[tuple[ui.element, ui.icon, ui.label]] = []
        with ui.element("div").classes("na-rules") as self.element:
            for text, _ in policy.checklist(""):
                with ui.element("div").classes("na-rule") as row:
                    icon = ui.icon("radio_button_unchecked", size="1rem").props('aria-hidden="true"')
                    ui.label(translate(text, catalog))
                    state = ui.label(self._unmet).classes("na-sr-only")
                self._rows.append((row, icon, state))
        self.element.props["id"] = f"na-rules-{self.element.id}"
        hook(self.element, f"authenticator-{field_name}-rules")

    def update(self, password: str) -> None:
        for (row, icon, state), (_, met) in zip(self._rows, self._policy.checklist(password), strict=True):
            icon.name = "check_circle" if met else "radio_button_unchecked"
            state.text = self._met if met else self._unmet
            if met:
                row.classes(add="na-rule-met")
            else:
                row.classes(remove="na-rule-met")
