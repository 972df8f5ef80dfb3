"""What a passkey is called on the account card: the person's own name, else its provider's.

A passkey's attestation names the authenticator model that made it (the
AAGUID, a UUID). Providers publish theirs, so the bundled table
``passkey_providers.json`` turns the common ones into the name people know
("iCloud Keychain", "Google Password Manager", "YubiKey 5 Series"); a list of
truncated credential ids tells nobody which passkey lives where. An AAGUID
missing from the table (or the all-zero one of an authenticator that keeps
its model to itself) leaves the passkey unnamed and the client says "Passkey".

A name the person types (``renamePasskey``) wins over the provider's. It is
stored and sent back as plain text; clients show it as text, never as markup,
so the rules here only keep it short and free of characters that rearrange
or hide text (controls, bidirectional overrides, line separators).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources
from typing import Final

from .errors import AuthError, Problem

MAX_NAME_LENGTH: Final = 64
_ZERO_AAGUID: Final = "00000000-0000-0000-0000-000000000000"
# Unicode categories refused in a name: controls, format characters (bidirectional
# overrides, zero-width joiners), line and paragraph separators, surrogates, private use.
_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


@cache
def _providers() -> dict[str, str]:
    """The bundled table, read on first use (most backends never name a passkey)."""
    text = resources.files("nicegui_authenticator.backend").joinpath("passkey_providers.json").read_text()
    table = json.loads(text)
    return {k.lower(): v for k, v in table.items() if not k.startswith("_") and isinstance(v, str)}


def provider_name(aaguid: str | None) -> str | None:
    """The provider that made a passkey, from its AAGUID; None when the table does not know it."""
    if not aaguid or aaguid == _ZERO_AAGUID:
        return None
    return _providers().get(aaguid.strip().lower())


def display_name(own_name: str | None, aaguid: str | None) -> str | None:
    """The name the account card shows: the person's, else the provider's, else None."""
    return own_name or provider_name(aaguid)


def checked_name(raw: str) -> str:
    """``raw`` as a passkey name, or INVALID_PARAMETER saying what is wrong with it.

    Surrounding spaces go; the rest must be 1 to :data:`MAX_NAME_LENGTH` characters
    without controls or invisible formatting characters.
    """
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise AuthError(Problem.INVALID_PARAMETER, "The passkey name must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise AuthError(
            Problem.INVALID_PARAMETER, f"The passkey name must be at most {MAX_NAME_LENGTH} characters"
        )
    if any(unicodedata.category(c) in _REFUSED_CATEGORIES for c in name):
        raise AuthError(Problem.INVALID_PARAMETER, "The passkey name must not contain control characters")
    return name
