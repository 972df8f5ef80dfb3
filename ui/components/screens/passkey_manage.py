"""``passkey_manage``: the registered passkeys, each with Delete; Add a passkey.

Each ``deletePasskey`` action is one passkey (its hidden ``credentialId``
picks it). The server's label names it ("Delete passkey cred-2e3…"); each row
is a key icon, that name as plain text (the label without its leading
"Delete passkey", else the shortened credential id) and a compact "Delete"
button from the catalog. The button's accessible name says which passkey it
deletes, since every row's visible text is the same.
"""

from __future__ import annotations

import re

from nicegui import ui

from ....state_machine import Form, Msg
from ....state_machine.messages import msg
from ..form_view import ButtonStyle
from .kit import ScreenContext, back_to_account, banners, heading, hint, signed_in_as

_DELETE_PREFIX = re.compile(r"^\s*(delete|remove)\b\s*(passkey\b\s*)?", re.IGNORECASE)
_ID_HEAD, _ID_TAIL = 8, 4


def short_credential_id(credential_id: str) -> str:
    """``EdPqFAIx…k3Q9``: enough of a (long, base64url) credential id to tell passkeys apart."""
    if len(credential_id) <= _ID_HEAD + _ID_TAIL + 4:
        return credential_id
    return f"{credential_id[:_ID_HEAD]}…{credential_id[-_ID_TAIL:]}"


def passkey_name(form: Form) -> str:
    """A readable name for the passkey a ``deletePasskey`` form removes.

    The server's label minus its leading "Delete passkey" when it has one
    ("Delete passkey cred-2e3…" -> "cred-2e3…"); otherwise the credential id,
    shortened; "" when neither says anything.
    """
    label = form.server_label.strip()
    prefix = _DELETE_PREFIX.match(label)
    if prefix is not None and label[prefix.end() :].strip():
        return label[prefix.end() :].strip()
    credential = form.field("credentialId")
    if credential is not None and credential.value:
        return short_credential_id(credential.value)
    return "" if prefix is not None else label


def _row(ctx: ScreenContext, form: Form) -> None:
    name = passkey_name(form) or ctx.t(Msg("passkey.unnamed"))
    with ui.element("div").classes("na-passkey"):
        ui.icon("key", color="primary").props('aria-hidden="true"').classes("na-passkey-icon")
        ui.label(name).classes("na-passkey-name")
        view = ctx.form_view(
            form, ButtonStyle.DANGER, icon="delete", button_label=ctx.t(Msg("action.deletePasskey"))
        )
        view.button.classes("na-passkey-delete")
        view.button.props["aria-label"] = ctx.t(msg("passkey.delete_named", name=name))


def render(ctx: ScreenContext) -> None:
    screen = ctx.screen
    heading(ctx)
    signed_in_as(ctx)
    banners(ctx)
    deletes = screen.items
    hint(ctx)
    if deletes:
        with ui.element("div").classes("na-passkeys"):
            for form in deletes:
                _row(ctx, form)
    if screen.primary is not None and not screen.primary.per_item:
        ctx.form_view(screen.primary, ButtonStyle.PRIMARY, icon="add")
    for form in screen.secondary:
        if not form.per_item:
            ctx.form_view(form, ButtonStyle.SECONDARY)
    back_to_account(ctx)
