"""The page a signed-in person sees when a protected page is for groups they are not in.

Sending them to the login page would be a loop in disguise (it shows them
signed in already); saying nothing would look like a broken link. This page
says who they are signed in as and offers the login page to switch accounts.
"""

from __future__ import annotations

from collections.abc import Mapping

from nicegui import ui

from ...state_machine import AuthUser, Template, translate
from ...state_machine.languages import language_for
from ...state_machine.messages import msg
from ..session.language import browser_language
from .hooks import hook
from .messages import effective_catalog
from .theme import ensure_styles


def not_allowed_page(user: AuthUser, login_url: str, catalog: Mapping[str, Template] | None = None) -> None:
    """Build the "not allowed" content in the current page (test hook ``not-allowed``), in the browser's language."""
    ensure_styles()
    language = browser_language()
    texts = effective_catalog(catalog, language)
    card = ui.card().classes("na-card gap-2").props("flat bordered")
    card.props["lang"] = language
    card.props["dir"] = language_for(language).direction.value
    with hook(card, "not-allowed"):
        ui.label(translate(msg("not_allowed.title"), texts)).classes("text-h6")
        ui.label(translate(msg("not_allowed.body", username=user.display_name), texts))
        ui.link(translate(msg("not_allowed.switch"), texts), login_url)
