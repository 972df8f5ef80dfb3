"""Who is signed in, broadcast to every open tab of the same browser.

The server session lives in one cookie jar per browser (see
:mod:`.browser_session`), so when one tab signs in or out every other tab of
that browser is looking at a stale screen. The element that saw the change
emits :data:`auth_changed`; every Authenticator (and the AccountMenu) of the
same browser re-reads the state. NiceGUI's :class:`~nicegui.Event` is the
framework's own cross-client bus: subscriptions made inside a page are dropped
when that page's client goes away, so nothing here outlives the tabs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import app
from nicegui.event import Event

from ...state_machine import AuthUser


@dataclass(frozen=True)
class AuthChange:
    """One sign-in or sign-out, as seen by the tab where it happened.

    ``browser_id`` scopes the change to one browser (None when the app runs
    without a storage secret: then nobody else can be told). ``source`` is an
    opaque, process-unique id of the element that emitted it (NiceGUI element
    ids repeat across clients, so they will not do), so it does not refresh itself.
    """

    browser_id: str | None
    user: AuthUser | None
    source: str | None = None


auth_changed: Event[AuthChange] = Event()
"""Fired after every sign-in and sign-out; subscribe with :func:`on_same_browser`."""


def current_browser_id() -> str | None:
    """The NiceGUI browser id of the current request, or None without a storage secret."""
    try:
        value = app.storage.browser.get("id")
    except (RuntimeError, AssertionError, KeyError):
        return None
    return value if isinstance(value, str) else None


def notify_auth_changed(
    user: AuthUser | None, *, source: str | None = None, browser_id: str | None = None
) -> None:
    """Tell the other tabs of this browser that ``user`` is now signed in (None: signed out).

    Call it from a UI context (an event handler or a page function) so the
    browser is known; ``browser_id`` overrides that.
    """
    auth_changed.emit(AuthChange(browser_id or current_browser_id(), user, source))


def on_same_browser(callback: Callable[[AuthChange], Any], *, ignore_source: str | None = None) -> None:
    """Subscribe ``callback`` to changes made in this browser (by other elements than ``ignore_source``).

    Must be called inside a page: the browser is read now, and the subscription
    ends when the page's client is deleted.
    """
    browser_id = current_browser_id()
    if browser_id is None:
        return

    def relay(change: AuthChange) -> Any:
        if change.browser_id != browser_id or (ignore_source is not None and change.source == ignore_source):
            return None
        return callback(change)

    auth_changed.subscribe(relay, expect_args=True)
