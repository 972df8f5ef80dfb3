"""``passkey_manage``: the registered passkeys, each with Delete; Add a passkey.

Each ``deletePasskey`` action is one passkey (its hidden ``credentialId``
picks it). The server's label names it ("Delete passkey cred-2e3…"); the row
shows that name as plain text and the catalog's "Delete" on the button.
"""

from __future__ import annotations

import re

from nicegui import ui

from ...state_machine import Form, Msg
from ..form_view import ButtonStyle
from .kit import ScreenContext, back_to_account, banners, heading, hint, signed_in_as

_DELETE_PREFIX = re.compile(r"^\s*(delete|remove)\s+(passkey\s*)?", re.IGNORECASE)


def passkey_name(form: Form) -> str:
    """A readable name for the passkey a ``deletePasskey`` form removes."""
    name = _DELETE_PREFIX.sub("", form.server_label).strip()
    if name:
        return name
    credential = form.field("credentialId")
    return credential.value if credential is not None and credential.value else ""


def render(ctx: ScreenContext) -> None:
    screen = ctx.screen
    heading(ctx)
    signed_in_as(ctx)
    banners(ctx)
    deletes = [f for f in screen.forms if f.action == "deletePasskey"]
    hint(ctx)
    with ui.element("div").classes("na-passkeys"):
        for form in deletes:
            with ui.element("div").classes("na-passkey"):
                ui.icon("key", color="primary")
                ui.label(passkey_name(form) or ctx.t(Msg("passkey.unnamed"))).classes("na-passkey-name")
                ctx.form_view(form, ButtonStyle.DANGER, icon="delete")
    if screen.primary is not None and screen.primary.action != "deletePasskey":
        ctx.form_view(screen.primary, ButtonStyle.PRIMARY, icon="add")
    for form in screen.secondary:
        if form.action != "deletePasskey":
            ctx.form_view(form, ButtonStyle.SECONDARY)
    back_to_account(ctx)
