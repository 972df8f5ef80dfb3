"""A radio group whose options each carry a test hook.

``ui.radio`` renders Quasar's QOptionGroup from ``{value, label}`` option
objects; QOptionGroup passes any further keys of an option to that option's
QRadio. Adding ``data-testid`` there puts ``authenticator-<field>-<VALUE>`` on
the clickable radio itself (``role=radio``), as PROTOCOL.md's hooks want,
while keeping one accessible group with keyboard navigation.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from .hooks import field_hook


class ChoiceRadio(ui.radio):
    """``ui.radio`` keyed by wire values, labelled with readable names, hooked per option."""

    def __init__(self, field_name: str, options: dict[str, str], *, value: str | None) -> None:
        self._field_name = field_name
        super().__init__(options, value=value)

    def _update_options(self) -> None:
        super()._update_options()
        options: list[dict[str, Any]] = self._props["options"]
        for option, value in zip(options, self._values, strict=True):
            option["data-testid"] = f"{field_hook(self._field_name)}-{value}"
