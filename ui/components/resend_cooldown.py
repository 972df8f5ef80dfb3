"""A visible cooldown on Resend buttons, so a code cannot be requested five times in four seconds.

Each Resend starts a wait (30 s by default) during which the button is disabled
and counts down ("Resend code in 27 s"). The machine stays pure: time is the
shell's, so this lives in the NiceGUI shell and only reads which forms are
resends from the action table. A screen that appears with a Resend button has
just sent a code, so it starts the wait too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from nicegui import ui

from ...state_machine import Catalog, translate
from ...state_machine.actions import ActionRole, row_of
from ...state_machine.messages import msg
from .form_view import FormView


def is_resend(action: str) -> bool:
    """The action asks the server to send a code again (a RESEND row of the action table)."""
    row = row_of(action)
    return row is not None and row.role is ActionRole.RESEND


class ResendCooldown:
    """The wait before the next Resend, applied to the Resend buttons drawn now."""

    def __init__(self, seconds: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._clock = clock
        self._ready_at = 0.0
        self._views: list[FormView] = []
        self._catalog: Catalog | None = None
        self._timer: ui.timer | None = None

    def start(self) -> None:
        """A code was just sent: the next Resend waits."""
        self._ready_at = self._clock() + self._seconds

    def remaining(self) -> int:
        """Whole seconds until Resend may be pressed again (0: now)."""
        return max(0, math.ceil(self._ready_at - self._clock()))

    def apply(self, views: Sequence[FormView], catalog: Catalog | None) -> None:
        """Disable and count down the Resend buttons among ``views`` (call inside the card's slot)."""
        self._views = [v for v in views if is_resend(v.form.action)]
        self._catalog = catalog
        self._tick()
        if self._views and self.remaining() and (self._timer is None or self._timer.is_deleted):
            self._timer = ui.timer(1.0, self._tick)

    def _tick(self) -> None:
        left = self.remaining()
        for view in self._views:
            if view.button.is_deleted or view.button.props.get("loading"):
                continue
            label = translate(view.form.label, self._catalog)
            if left:
                label = translate(msg("action.resend_in", label=label, count=str(left)), self._catalog)
            view.button.set_text(label)
            view.button.set_enabled(not left)
        if not left and self._timer is not None:
            self._timer.cancel()
            self._timer = None
