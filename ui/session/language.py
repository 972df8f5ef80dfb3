"""Which language this browser reads: its remembered choice, else its ``Accept-Language``.

A person who picks a language in a switcher expects every page and every later
visit in that browser to keep it, so the choice goes to ``app.storage.user``
(it survives reloads; it needs NiceGUI's ``storage_secret``, without which the
header alone decides). Until then the browser's own preference list decides,
negotiated against the languages offered (see
:func:`nicegui_authenticator.state_machine.languages.negotiate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from nicegui import ui

from ...state_machine.languages import canonical_tags, language_for, negotiate
from .browser_session import user_storage

STORAGE_KEY: Final = "nicegui-authenticator.language"


def remembered_language(offered: Sequence[str]) -> str | None:
    """The language this browser chose before, if it is still offered."""
    store = user_storage()
    tag = store.get(STORAGE_KEY) if store is not None else None
    return tag if isinstance(tag, str) and tag in offered else None


def remember_language(tag: str) -> None:
    """Keep ``tag`` as this browser's choice (silently nothing without per-browser storage)."""
    store = user_storage()
    if store is not None:
        store[STORAGE_KEY] = language_for(tag).tag


def accept_language_header() -> str | None:
    """The ``Accept-Language`` header of the request that built the current page, if any."""
    try:
        request = ui.context.client.request
    except RuntimeError:
        return None
    return request.headers.get("accept-language") if request is not None else None


def browser_language(offered: Sequence[str] | None = None) -> str:
    """The language for the current browser among ``offered`` (all shipped ones by default)."""
    tags = canonical_tags(offered)
    return remembered_language(tags) or negotiate(accept_language_header(), tags)
