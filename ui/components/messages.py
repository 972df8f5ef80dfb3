"""English text for the few sentences only the NiceGUI shell shows.

The state machine's catalog (``state_machine.messages.ENGLISH``) covers
everything a Screen names. The browser shell adds a handful of its own (the
signed-in line whose exact wording PROTOCOL.md's test hooks fix, section
titles). :func:`effective_catalog` layers: machine English, these, then the
host app's catalog, so a translation overrides any of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ...state_machine import ENGLISH

UI_ENGLISH: Final[Mapping[str, str]] = MappingProxyType(
    {
        "signed_in.as": "Signed in as: {username}",
        "section.account": "Account settings",
        "section.passkeys": "Your passkeys",
        "passkey.unnamed": "Passkey",
        "passkey.delete_named": "Delete passkey {name}",
        "totp.secret_label": "Secret key",
        "totp.qr_alt": "QR code for your authenticator app",
        "link.back_to_account": "Back to account",
        # Account actions with inputs, shown as captioned sub-forms (see screens.kit.subform)
        "subform.startEmailMfaSetup.hint": "Receive sign-in codes at this email address.",
        "subform.startEmailMfaSetup.submit": "Send code",
        "subform.setPreferredMfa.title": "Preferred verification method",
        "external.refused": "This sign-in option is not available.",
    }
)


def effective_catalog(catalog: Mapping[str, str] | None) -> Mapping[str, str]:
    """Machine English, then the shell's English, then the host app's catalog."""
    return MappingProxyType({**ENGLISH, **UI_ENGLISH, **(catalog or {})})
