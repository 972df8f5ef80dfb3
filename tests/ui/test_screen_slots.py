"""Header and footer slots per screen: the host's elements appear on their screen only, and persist."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import CannedBackend, root, signed_out, wait_for_screen


def _visible(element: ui.element) -> bool:
    """Shown when neither it nor a container above it is hidden (parked slots are)."""
    current: ui.element | None = element
    while current is not None:
        if not current.visible:
            return False
        current = current.parent_slot.parent if current.parent_slot is not None else None
    return True


def _in_card(element: ui.element) -> bool:
    current: ui.element | None = element
    while current is not None:
        if "na-card" in current.classes:
            return True
        current = current.parent_slot.parent if current.parent_slot is not None else None
    return False


async def test_a_footer_shows_on_its_screen_only_and_keeps_its_elements(user: User) -> None:
    labels: dict[str, ui.label] = {}

    @ui.page("/")
    def page() -> None:
        authenticator = Authenticator(InProcessApi(CannedBackend(signed_out())))
        with authenticator.slot("sign_in.footer"):
            labels["footer"] = ui.label("By signing in you accept the terms.")
        with authenticator.slot("*.header"):
            labels["header"] = ui.label("Acme staff only")

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    footer, header = labels["footer"], labels["header"]
    assert _in_card(footer) and _visible(footer) and _in_card(header) and _visible(header)

    user.find(marker="authenticator-tab-signUp").click()
    await wait_for_screen(user, "sign_up")
    assert not _visible(footer) and not _in_card(footer)  # parked, not deleted
    assert _in_card(header) and _visible(header)  # every screen

    user.find(marker="authenticator-tab-signIn").click()
    await wait_for_screen(user, "sign_in")
    assert labels["footer"] is footer and not footer.is_deleted
    assert _in_card(footer) and _visible(footer)
    await user.should_see("By signing in you accept the terms.")
    body = next(e for e in root(user).descendants() if "na-body" in e.classes)
    card = body.parent_slot.parent  # type: ignore[union-attr]
    order = [child for child in card.default_slot.children]
    assert order.index(header.parent_slot.parent) < order.index(body) < order.index(footer.parent_slot.parent)  # type: ignore[union-attr]


async def test_a_slot_added_later_shows_at_once(user: User) -> None:
    holder: dict[str, Authenticator] = {}

    @ui.page("/")
    def page() -> None:
        holder["auth"] = Authenticator(InProcessApi(CannedBackend(signed_out())))

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    with holder["auth"].slot("sign_in.header"):
        late = ui.label("Welcome back")
    assert _in_card(late) and _visible(late)


def test_an_unknown_slot_is_refused() -> None:
    from nicegui_authenticator.ui.components.screen_slots import _check

    with pytest.raises(ValueError, match="unknown slot"):
        _check("sign_in.sidebar")
    with pytest.raises(ValueError, match="unknown slot"):
        _check("signin.footer")
    assert _check("*.footer") == ("*", "footer")
