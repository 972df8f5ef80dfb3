"""Quasar props written the NiceGUI way (``"flat no-caps dense"``), parsed once and applied as one change.

``element.props("flat no-caps dense color=primary")`` parses its string on every
call (a regular expression and ``ast.literal_eval`` per value) and then sets
each prop on its own, and every set is a change NiceGUI reacts to. On the
screens that are built on every screen change this was about half of what a
button cost to build (issue 15). Here the string is parsed when the module is
imported, and :func:`apply` sets all of it in one change.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from nicegui import ui
from nicegui.props import Props

E = TypeVar("E", bound=ui.element)

QuasarProps = Mapping[str, Any]


def parsed(text: str) -> QuasarProps:
    """``text`` as NiceGUI's ``props()`` would read it, read now, once, and frozen."""
    return MappingProxyType(Props.parse(text))


def apply(element: E, *props: QuasarProps) -> E:
    """Give ``element`` every prop of ``props`` (later ones win) as one change."""
    merged: dict[str, Any] = {}
    for part in props:
        merged.update(part)
    element.props.update(merged)
    return element


ARIA_HIDDEN: QuasarProps = MappingProxyType({"aria-hidden": "true"})
