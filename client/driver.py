"""The one effect runner: feeds events to the machine and runs the effects it asks for.

Both shells (the headless :class:`~.headless.HeadlessAuthenticator` and the
NiceGUI ``Authenticator``) drive the same :class:`AuthMachine` through this
loop, so "swapping the shell never changes behaviour" (DESIGN.md) holds by
construction rather than by two loops kept alike:

* ``CallSetAuthState`` / ``CallGetAuthState`` go through :func:`.calls.perform_call`
  against the shell's transport (:attr:`ShellPort.api`) and come back as
  ``ServerReplied`` / ``CallFailed``;
* ``RunWebAuthn`` and ``SubmitExternalForm`` are what only a shell can do, so
  they are handed to its :class:`ShellPort`;
* ``AuthChanged`` is reported to the port together with the event that caused it.

The transport is part of the port on purpose: a shell decides who makes the
setAuthState calls: this process (an :class:`AuthClient` with the browser's
cookie jar, or an :class:`InProcessApi`), or, in the NiceGUI shell's browser
session mode, the person's browser with its own ``fetch``
(``ui/session/browser_fetch.py``). Nothing here changes between them.

``InvalidTransition``, one rule for both shells
-----------------------------------------------
The machine raises :class:`InvalidTransition` for an event it cannot receive
now. :meth:`EffectRunner.feed` lets it propagate: a program that calls
``submit`` on a screen that offers no form made a mistake it must hear about
(the headless shell is driven this way). :meth:`EffectRunner.offer` is for
person events raised by a widget: the widget was drawn from an earlier screen,
and the machine may have moved on since (a second click while a call is in
flight, a link on a screen being replaced). Such an event is dropped and logged
at DEBUG on this module's logger, and the screen stays as it is. Events the
runner produces itself (replies, ceremony outcomes) always propagate: the
machine asked for them, so a refusal is a bug.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Protocol

from ..state_machine import (
    AuthChanged,
    AuthMachine,
    AuthUser,
    CallGetAuthState,
    CallSetAuthState,
    Effect,
    Event,
    InvalidTransition,
    RunWebAuthn,
    Screen,
    SubmitExternalForm,
    WebAuthnFailed,
    WebAuthnResult,
)
from .api import AuthStateApi
from .calls import perform_call

logger = logging.getLogger(__name__)


class ShellPort(Protocol):
    """What only the shell can do; the runner does everything else."""

    @property
    def api(self) -> AuthStateApi:
        """Where setAuthState/getAuthState calls go (the shell picks the transport)."""
        ...

    def show(self, screen: Screen) -> None:
        """The machine moved to ``screen`` (a shell with a display redraws what changed)."""
        ...

    async def run_webauthn(self, request: RunWebAuthn) -> WebAuthnResult | WebAuthnFailed:
        """Run the passkey ceremony; report its outcome (never raise for a failed ceremony)."""
        ...

    async def submit_external_form(self, request: SubmitExternalForm) -> None:
        """Post a form to another site (a federated sign-in); the browser leaves the page."""
        ...

    async def copy_to_clipboard(self, text: str) -> bool:
        """Put ``text`` on the person's clipboard; say whether it worked."""
        ...

    async def auth_changed(self, user: AuthUser | None, cause: Event) -> None:
        """Who is signed in changed to ``user``, as a result of ``cause``."""
        ...


class EffectRunner:
    """Owns the current machine value and runs its effects through a :class:`ShellPort`."""

    def __init__(self, machine: AuthMachine, port: ShellPort) -> None:
        self.machine = machine
        self.port = port

    @property
    def screen(self) -> Screen:
        return self.machine.screen

    async def feed(self, event: Event) -> Screen:
        """Handle ``event`` and every event its effects cause, until the machine waits for the person.

        Raises :class:`InvalidTransition` when the machine refuses ``event``.
        """
        await self._run(self._handle(event), cause=event)
        return self.machine.screen

    async def offer(self, event: Event) -> Screen:
        """Like :meth:`feed`, for a person event from a widget that may be stale: a refusal
        is logged and dropped (see the module docstring)."""
        try:
            effects = self._handle(event)
        except InvalidTransition as refusal:
            logger.debug("dropped %s the screen no longer accepts: %s", type(event).__name__, refusal)
            return self.machine.screen
        await self._run(effects, cause=event)
        return self.machine.screen

    def _handle(self, event: Event) -> tuple[Effect, ...]:
        self.machine, effects = self.machine.handle(event)
        self.port.show(self.machine.screen)
        return effects

    async def _run(self, effects: tuple[Effect, ...], *, cause: Event) -> None:
        queue: deque[Effect] = deque(effects)
        while queue:
            effect = queue.popleft()
            if isinstance(effect, CallSetAuthState | CallGetAuthState):
                queue.extend(self._handle(await perform_call(self.port.api, effect)))
            elif isinstance(effect, RunWebAuthn):
                queue.extend(self._handle(await self.port.run_webauthn(effect)))
            elif isinstance(effect, SubmitExternalForm):
                await self.port.submit_external_form(effect)
            elif isinstance(effect, AuthChanged):
                await self.port.auth_changed(effect.user, cause)
