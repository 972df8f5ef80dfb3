"""Ask before a destructive account action (remove a passkey, turn off MFA).

The action table names the question (:attr:`ActionRow.confirm`); this asks it
in a dialog labelled by its own text and answers True only for an explicit yes.
Escape, a click outside and Cancel all answer no.
"""

from __future__ import annotations

from collections.abc import Mapping

from nicegui import ui

from ...state_machine import Catalog, translate
from ...state_machine.messages import msg
from .hooks import hook


async def confirmed(
    question_key: str, catalog: Catalog | None, *, tokens: Mapping[str, str] | None = None
) -> bool:
    """Show the question; True when the person chose to go on.

    ``tokens`` is the asking element's inline style: its ``--na-*`` custom properties (brand,
    theme) are copied onto the dialog, which Quasar renders outside the element.
    """
    with ui.dialog() as dialog, ui.card().classes("na-confirm") as card:
        card.style.update({name: value for name, value in (tokens or {}).items() if name.startswith("--na-")})
        dialog.props["aria-label"] = translate(msg(question_key), catalog)
        hook(dialog, "authenticator-confirm-dialog")
        ui.label(translate(msg(question_key), catalog)).classes("na-confirm-text")
        with ui.row().classes("na-confirm-actions"):
            no = ui.button(translate(msg("confirm.no"), catalog), on_click=lambda: dialog.submit(False))
            no.props("flat no-caps color=primary")
            hook(no, "authenticator-confirm-no")
            yes = ui.button(translate(msg("confirm.yes"), catalog), on_click=lambda: dialog.submit(True))
            yes.props("unelevated no-caps color=negative")
            hook(yes, "authenticator-confirm-yes")
    answer = await dialog
    dialog.delete()
    return answer is True
