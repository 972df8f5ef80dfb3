"""Parts of the screen shown before that the next screen takes over instead of building anew.

Most screens share parts of the same kind in the same place: the heading, the
row of links under the form. Deleting them and building the same kinds again
costs the server a NiceGUI element each (several Python objects, three
signature inspections) and costs the browser an unmount and a mount of the
same Vue component. Instead, before a screen is drawn, the body's parts that
carry a recycling key are set aside; a renderer that draws a part of that key
takes the old one, changes what differs (text, labels, test hooks) and moves
it to its place; what nobody took is deleted at the end (issue 15).

Only parts without state of their own are keyed: a heading, a link row. Forms
and their inputs are always built anew, so typed values, errors and focus
behave exactly as on a fresh screen.
"""

from __future__ import annotations

import weakref
from typing import Final, TypeVar

from nicegui import ui

E = TypeVar("E", bound=ui.element)

# Element -> its recycling key; weak, so a deleted element leaves no entry behind.
_KEYS: Final[weakref.WeakKeyDictionary[ui.element, str]] = weakref.WeakKeyDictionary()


def keyed(element: E, key: str) -> E:
    """Let ``element`` be taken over by the next screen's part of the same ``key``."""
    _KEYS[element] = key
    return element


class Recycler:
    """The keyed parts of one card body between the screen that had them and the next one."""

    def __init__(self) -> None:
        self._spare: dict[str, ui.element] = {}

    def set_aside(self, body: ui.element) -> None:
        """Before the next screen is drawn into ``body``: keep its keyed parts, delete the rest."""
        self._spare = {}
        for child in list(body.default_slot.children):
            key = _KEYS.get(child)
            if key is not None and key not in self._spare:
                self._spare[key] = child
            else:
                body.remove(child)

    def take(self, key: str) -> ui.element | None:
        """The part ``key`` of the screen before, moved to where the new screen is being drawn now."""
        element = self._spare.pop(key, None)
        if element is not None:
            slot = ui.context.slot_stack[-1]
            element.move(slot.parent, target_slot=slot.name)
        return element

    def discard_rest(self) -> None:
        """Delete the parts the new screen did not take."""
        for element in self._spare.values():
            if not element.is_deleted:
                element.delete()
        self._spare = {}
