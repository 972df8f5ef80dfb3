"""``LanguageSwitcher``: a select of languages, each named in itself, that re-words an Authenticator.

A person who cannot read the page must still find their language, so every
option is written in its own language and script ("Deutsch", "العربية",
"日本語"), and the control keeps a language icon (which does not mirror, drawn
inline by :mod:`.svg_icons`) next to it. Picking one re-words the Authenticator
in place (what was typed stays) and is remembered for this browser (:mod:`..session.language`).

Usage::

    authenticator = Authenticator(client)
    LanguageSwitcher(authenticator)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

from nicegui import ui
from nicegui.events import ValueChangeEventArguments

from ...state_machine import Msg, translate
from ...state_machine.catalogs import catalog_for
from ...state_machine.languages import canonical_tags, language_for
from ..session.language import remember_language
from . import svg_icons
from .authenticator import Authenticator
from .hooks import hook

LanguageChangeHandler = Callable[[str], Any]

# Inline SVG for the arrow, not the icon font: the hosted page's first load stays free of it (svg_icons).
_LOOK: Final[Mapping[str, Any]] = MappingProxyType(
    {
        "dense": True,
        "outlined": True,
        "options-dense": True,
        "behavior": "menu",
        "dropdown-icon": svg_icons.DROP_DOWN,
    }
)


class LanguageSwitcher(ui.select):
    """Choose the language of ``authenticator`` among its languages (or ``languages``).

    :param authenticator: the element to re-word
    :param languages: the tags to offer (default: the Authenticator's ``languages``)
    :param on_change: called with the new tag after the switch (e.g. to set the page's ``dir``)
    """

    def __init__(
        self,
        authenticator: Authenticator,
        *,
        languages: Sequence[str] | None = None,
        on_change: LanguageChangeHandler | None = None,
    ) -> None:
        offered = canonical_tags(languages) if languages is not None else authenticator.languages
        options = {tag: language_for(tag).native_name for tag in offered}
        super().__init__(options, value=authenticator.language, on_change=self._switched)
        self._authenticator = authenticator
        self._on_change = on_change
        # Every change of a select's props or classes rebuilds its options (NiceGUI's ChoiceElement.update):
        # the look, the hook and the name go in as one change, not seven (issue 15: this was a
        # fifth of the hosted page's build).
        with self.props.suspend_updates(), self.classes.suspend_updates():
            self.props.update(_LOOK)
            self.classes.append("na-language-switcher")
            hook(self, "language-switcher")
            self._label_in(authenticator.language)
        # No update() after: the new element is queued for the browser already, and its dict is read when sent.
        with self.add_slot("prepend"):
            globe = ui.icon(svg_icons.GLOBE, size="1.25rem").classes("na-no-mirror")
            globe.props["aria-hidden"] = "true"

    def _update_options(self) -> None:
        """The options as one tuple of plain dicts, which NiceGUI sends as is (the same JSON array).

        A list in the props becomes an observable copy with an observable dict per option: for
        two dozen languages, about 15 KB per connected visitor for a list that never changes
        (issue 15). The value handling is NiceGUI's own (``ChoiceElement``): the model value
        names an option by its index.
        """
        current = self.value
        self.props["options"] = tuple(
            {"value": index, "label": label} for index, label in enumerate(self._labels)
        )
        self.props[self.VALUE_PROP] = self._value_to_model_value(current)
        self.value = current if current in self._values else None

    def _label_in(self, tag: str) -> None:
        """Name the control in the language now shown, for screen readers."""
        self.props["aria-label"] = translate(Msg("language.label"), catalog_for(tag))

    def _switched(self, event: ValueChangeEventArguments[Any]) -> None:
        tag = event.value
        if not isinstance(tag, str) or tag == self._authenticator.language:
            return
        remember_language(tag)
        self._authenticator.set_language(tag)
        self._label_in(tag)
        if self._on_change is not None:
            self._on_change(tag)
