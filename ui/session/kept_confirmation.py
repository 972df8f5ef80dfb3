"""The confirm-sign-up screen, kept in the browser's storage so a reload does not lose it.

The server holds no memory of a sign-up waiting for its code: ``confirmSignUp``
is stateless (``state_machine/unconfirmed.py``), and ``getAuthState`` after a
reload says only "signed out". Without a copy, closing the tab on *Confirm your
account* was a dead end (issue 12). The copy is the server's own
``confirmingSignUp`` state, as JSON, in ``app.storage.user``: no password, no
code, only the username and the form. It is dropped as soon as the person is
anywhere else.
"""

from __future__ import annotations

import logging
from typing import Final

from pydantic import ValidationError

from ...state_machine import AuthState, Screen, ScreenName
from .browser_session import user_storage

logger = logging.getLogger(__name__)

STORAGE_KEY: Final = "nicegui_authenticator.confirm_sign_up"

# Screens that say nothing about where the person is (the first read, a lone autoSignIn).
_TRANSIENT: Final = frozenset({ScreenName.LOADING, ScreenName.AUTO_SIGN_IN})


def kept_confirmation() -> AuthState | None:
    """The confirm screen this browser was on before a reload, if any."""
    store = user_storage()
    raw = store.get(STORAGE_KEY) if store is not None else None
    if raw is None:
        return None
    try:
        return AuthState.model_validate(raw)
    except ValidationError:
        logger.warning("discarding an unreadable kept confirm screen")
        return None


def keep_or_forget_confirmation(screen: Screen, state: AuthState | None) -> None:
    """Keep ``state`` while the confirm screen is shown; forget it once the person is elsewhere."""
    if screen.pending or screen.name in _TRANSIENT:
        return
    store = user_storage()
    if store is None:
        return
    if screen.name is ScreenName.CONFIRM_SIGN_UP and state is not None:
        wire = state.to_wire()
        if store.get(STORAGE_KEY) != wire:
            store[STORAGE_KEY] = wire
    elif STORAGE_KEY in store:
        del store[STORAGE_KEY]
