"""Header and footer slots per screen: a host app's own elements inside the card.

``with authenticator.slot("sign_in.footer"): ui.label("By signing in you accept ...")``
puts the label under the sign-in screen's body; ``"*.header"`` is above the body
of every screen. A slot is one persistent container: the card is rebuilt when
the screen changes, so containers are moved out to a hidden parking place
before the body is rebuilt and moved back in where their screen is shown. Their
contents are created once, by the host, and keep their state.
"""

from __future__ import annotations

from typing import Final

from nicegui import ui

from ...state_machine import ScreenName
from .hooks import hook

PLACES: Final = ("header", "footer")
EVERY_SCREEN: Final = "*"


def _check(name: str) -> tuple[str, str]:
    screen, _, place = name.partition(".")
    known = {s.value for s in ScreenName} | {EVERY_SCREEN}
    if screen not in known or place not in PLACES:
        raise ValueError(
            f"unknown slot {name!r}: use '<screen>.header' or '<screen>.footer' with a screen of "
            f"{', '.join(sorted(known))}"
        )
    return screen, place


class ScreenSlots:
    """The slot containers of one Authenticator, parked while the card is rebuilt."""

    def __init__(self, owner: ui.element) -> None:
        self._owner = owner
        # Built with the first slot: an element fewer for every page that uses none (issue 15).
        self._parking: ui.element | None = None
        self._slots: dict[tuple[str, str], ui.element] = {}

    def _parking_place(self) -> ui.element:
        if self._parking is None:
            with self._owner.default_slot:
                self._parking = ui.element("div")
            self._parking.set_visibility(False)
        return self._parking

    def slot(self, name: str) -> tuple[ui.element, bool]:
        """The container for ``name`` (created on first use) and whether it is new."""
        key = _check(name)
        if key in self._slots:
            return self._slots[key], False
        with self._parking_place():
            container = ui.element("div").classes(f"na-slot na-slot-{key[1]}")
        hook(container, f"authenticator-slot-{key[0].replace('*', 'all')}-{key[1]}")
        self._slots[key] = container
        return container, True

    def applies(self, name: str, screen: ScreenName) -> bool:
        return _check(name)[0] in (screen.value, EVERY_SCREEN)

    def park(self) -> None:
        """Take every container out of the card (before the card is cleared)."""
        for container in self._slots.values():
            parking = self._parking_place()
            if container.parent_slot is not None and container.parent_slot.parent is not parking:
                container.move(parking)

    def place(self, screen: ScreenName, place: str, *, body: ui.element) -> None:
        """Move the containers of ``screen`` (and of every screen) for ``place`` next to the card's body.

        Headers go just before ``body``, footers at the end of its container (after it).
        """
        slot = body.parent_slot
        assert slot is not None
        for which in (EVERY_SCREEN, screen.value):
            container = self._slots.get((which, place))
            if container is not None:
                at = slot.children.index(body)
                container.move(slot.parent, target_index=at if place == "header" else -1)
