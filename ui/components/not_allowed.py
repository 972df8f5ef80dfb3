"""The page a signed-in person sees when a protected page is for groups they are not in.

Sending them to the login page would be a loop in disguise (it shows them
signed in already); saying nothing would look like a broken link. This page
says who they are signed in as and offers the login page to switch accounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from nicegui import ui

from ...state_machine import AuthUser, translate
from ...state_machine.messages import msg
from .hooks import hook
from .messages import effective_catalog
from .theme import ensure_styles

NOT_ALLOWED_ENGLISH: Final[Mapping[str, str]] = MappingProxyType(
    {
        "not_allowed.title": "You don't have access to this page",
        "not_allowed.body": "You are signed in as {username}, but this page is only for certain groups.",
        "not_allowed.switch": "Sign in with another account",
    }
)


def not_allowed_page(user: AuthUser, login_url: str, catalog: Mapping[str, str] | None = None) -> None:
    """Build the "not allowed" content in the current page (test hook ``not-allowed``)."""
    ensure_styles()
    texts = effective_catalog({**NOT_ALLOWED_ENGLISH, **(catalog or {})})
    with hook(ui.card().classes("na-card gap-2").props("flat bordered"), "not-allowed"):
        ui.label(translate(msg("not_allowed.title"), texts)).classes("text-h6")
        ui.label(translate(msg("not_allowed.body", username=user.display_name), texts))
        ui.link(translate(msg("not_allowed.switch"), texts), login_url)
