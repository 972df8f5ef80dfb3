"""The question before a destructive action wears the asking element's brand and theme.

Quasar renders a dialog at the end of <body>, outside the element whose inline
style carries ``--na-*`` tokens, so without a copy the dialog fell back to
Quasar's own colours: in dark mode its Cancel was the light brand on a dark
card (axe-core: color-contrast).
"""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import CANNED, CannedBackend, wait_for_screen


async def test_the_confirm_dialog_carries_the_elements_tokens(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(CANNED["passkey_manage"])), theme={"radius-card": "0"})

    await user.open("/")
    await wait_for_screen(user, "passkey_manage")
    wrapper = sorted(user.find(marker="authenticator-action-deletePasskey").elements, key=lambda e: e.id)[0]
    delete = next(e for e in wrapper.descendants() if isinstance(e, ui.button))
    UserInteraction(user, {delete}, None).click()
    await user.should_see(marker="authenticator-confirm-yes")
    card = next(e for e in user.find(ui.card).elements if "na-confirm" in e.classes)
    assert card.style["--na-radius-card"] == "0"
    assert all(name.startswith("--na-") for name in card.style)
