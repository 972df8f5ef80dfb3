"""``passkey_manage``: the registered passkeys, each with Rename and Delete; Add a passkey.

Each ``deletePasskey`` action is one passkey (its hidden ``credentialId``
picks it). Its name is the one the server's additive ``passkey`` key gives
(the person's own, else the provider's, "iCloud Keychain"), else the server's
label ("Delete passkey cred-2e3…" -> "cred-2e3…"); the dates it gives
(created, last used) are worded for the person's language by Babel. Each row
is a key icon, the name as plain text, the dates, a "Rename" button when the
server offers ``renamePasskey`` for that passkey (it opens a small form with
the name to edit) and a compact "Delete" button. The buttons' accessible
names say which passkey they act on, since every row's visible text is the same.
"""

from __future__ import annotations

import re

from nicegui import ui

from ....state_machine import Catalog, Form, Msg, format_day
from ....state_machine.messages import msg
from ..form_view import ButtonStyle
from ..hooks import hook
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


def _credential_of(form: Form) -> str:
    credential = form.field("credentialId")
    return credential.value if credential is not None else ""


def _dates(ctx: ScreenContext, form: Form) -> str:
    """ "Created 29 Nov 2026 · Last used 1 Dec 2026", in the person's language (UTC days)."""
    info = form.passkey
    if info is None or info.created_at is None:
        return ""
    language = ctx.catalog.language if isinstance(ctx.catalog, Catalog) else "en"
    parts = [ctx.t(msg("passkey.created", date=format_day(info.created_at, language)))]
    if info.last_used_at is not None:
        parts.append(ctx.t(msg("passkey.last_used", date=format_day(info.last_used_at, language))))
    else:
        parts.append(ctx.t(Msg("passkey.never_used")))
    return " · ".join(parts)


def _row(ctx: ScreenContext, form: Form, rename: Form | None) -> None:
    info = form.passkey
    name = (info.name if info is not None else None) or passkey_name(form) or ctx.t(Msg("passkey.unnamed"))
    with ui.element("div").classes("na-passkey-item"):
        with ui.element("div").classes("na-passkey"):
            ui.icon("key", color="primary").props('aria-hidden="true"').classes("na-passkey-icon")
            with ui.element("div").classes("na-passkey-text"):
                ui.label(name).classes("na-passkey-name")
                dates = _dates(ctx, form)
                if dates:
                    ui.label(dates).classes("na-passkey-dates")
            opener: ui.button | None = None
            # One group, so that where the row is too narrow the two buttons wrap below together.
            with ui.element("div").classes("na-passkey-actions"):
                if rename is not None:
                    opener = ui.button(ctx.t(Msg("passkey.rename")), icon="edit")
                    opener.props("flat dense no-caps color=primary").classes("na-passkey-rename")
                    opener.props["aria-label"] = ctx.t(msg("passkey.rename_named", name=name))
                    opener.props["type"] = "button"
                    hook(opener, "authenticator-passkey-rename")
                view = ctx.form_view(
                    form, ButtonStyle.DANGER, icon="delete", button_label=ctx.t(Msg("action.deletePasskey"))
                )
                view.button.classes("na-passkey-delete")
                view.button.props["aria-label"] = ctx.t(msg("passkey.delete_named", name=name))
        if rename is not None and opener is not None:
            with ui.element("div").classes("na-passkey-editor") as editor:
                # The server's label ("Rename passkey cred-2e3…") tells the forms apart; the button saves.
                ctx.form_view(rename, ButtonStyle.SECONDARY, button_label=ctx.t(Msg("action.renamePasskey")))
            editor.set_visibility(False)
            opener.props["aria-expanded"] = "false"

            def toggle(opener: ui.button = opener, editor: ui.element = editor) -> None:
                editor.set_visibility(not editor.visible)
                opener.props["aria-expanded"] = "true" if editor.visible else "false"
                opener.update()

            opener.on_click(toggle)


def render(ctx: ScreenContext) -> None:
    screen = ctx.screen
    heading(ctx)
    signed_in_as(ctx)
    banners(ctx)
    # Per passkey, the form without inputs deletes it and the one with a name field renames it.
    deletes = [f for f in screen.items if not f.visible_fields]
    renames = {_credential_of(f): f for f in screen.items if f.visible_fields}
    hint(ctx)
    if deletes:
        with ui.element("div").classes("na-passkeys"):
            for form in deletes:
                _row(ctx, form, renames.get(_credential_of(form)))
    if screen.primary is not None and not screen.primary.per_item:
        ctx.form_view(screen.primary, ButtonStyle.PRIMARY, icon="add")
    for form in screen.secondary:
        if not form.per_item:
            ctx.form_view(form, ButtonStyle.SECONDARY)
    back_to_account(ctx)
