"""The signed-in card's one-time suggestion to add a second factor (issue 12, item 4).

Shown right after a password sign-in that asked for nothing else (the machine
sets :attr:`Screen.suggested`); "Not now" dismisses it, and any later reply
(a reload, an account action) ends it, so it is offered once, never nagging.
Its buttons submit the account section's own set-up forms (they take no
input); their hooks are ``authenticator-suggestion-<action>``, so the
account section's ``authenticator-action-<action>`` hooks stay unique.
"""

from __future__ import annotations

from functools import partial

from nicegui import ui

from ....state_machine import Msg
from ..hooks import hook
from .kit import ScreenContext


def second_factor_suggestion(ctx: ScreenContext) -> None:
    """A bordered box: why, one button per set-up the server offers, and Not now."""
    suggested = ctx.screen.suggested
    submit = ctx.on_bare_submit
    if not suggested or submit is None:
        return
    box = ui.element("section").classes("na-banner na-notice na-suggestion")
    box.props["aria-labelledby"] = "na-suggestion-title"
    hook(box, "authenticator-suggestion")
    with box:
        title = ui.label(ctx.t(Msg("suggest.second_factor.title"))).classes("na-suggestion-title")
        title.props["id"] = "na-suggestion-title"
        ui.label(ctx.t(Msg("suggest.second_factor.body"))).classes("na-banner-text")
        with ui.element("div").classes("na-suggestion-actions"):
            for form in suggested:
                button = ui.button(ctx.t(form.label), on_click=partial(submit, form.action))
                button.props("outline no-caps color=primary").classes("na-secondary")
                hook(button, f"authenticator-suggestion-{form.action}")
            dismiss = ui.button(ctx.t(Msg("action.dismiss_suggestion")), on_click=ctx.on_dismiss)
            dismiss.props("flat no-caps color=primary").classes("na-link")
            hook(dismiss, "authenticator-suggestion-dismiss")
