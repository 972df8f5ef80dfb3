"""Passkeys in the username field's autofill, while the sign-in screen offers a username-less sign-in.

When the server offers the username-less passkey sign-in
(``Screen.username_less_passkey``), the browser is asked for a *conditional*
``navigator.credentials.get``: nothing shows until the person focuses the
username field (``autocomplete="username webauthn"``), where the site's passkeys
join the suggestions. The request waits in the browser without blocking the
page; the Python side waits for it in a background task. Picking a passkey
feeds :class:`PasskeyAutofilled` to the machine, which signs in with it.

One request at a time, for the options shown: it is stopped when the person
submits any form (the password, or the passkey button whose modal ceremony
needs the browser's one WebAuthn slot), when the screen changes, and when new
options arrive (every signedOut reply brings a fresh challenge).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from nicegui import background_tasks
from nicegui.client import Client

from ...state_machine import Screen, ScreenName
from ..session.browser_calls import run_autofill, stop_autofill


class PasskeyAutofill:
    """Keeps the browser's autofill request in step with the screen shown."""

    def __init__(self, client: Client, deliver: Callable[[str], Awaitable[None]]) -> None:
        self._client = client
        self._deliver = deliver
        self._options: str | None = None
        self._task: asyncio.Task[None] | None = None

    def follow(self, screen: Screen) -> None:
        """Run the autofill for ``screen`` if it offers one (and is idle); stop it otherwise."""
        form = (
            screen.username_less_passkey if screen.name is ScreenName.SIGN_IN and not screen.pending else None
        )
        options = form.field("credentialRequestOptions") if form is not None else None
        wanted = options.value if options is not None and options.value else None
        if wanted == self._options:
            return
        self.stop()
        if wanted is not None:
            self._options = wanted
            self._task = background_tasks.create(self._wait(wanted), name="passkey-autofill")

    def stop(self) -> None:
        """End the request (the person submits something, or leaves the screen)."""
        if self._options is None:
            return
        self._options = None
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        stop_autofill(self._client)

    async def _wait(self, options: str) -> None:
        credential = await run_autofill(self._client, options)
        if self._options != options:
            return  # stopped or replaced meanwhile
        if credential is None:
            # Ended without a passkey (unsupported, or ended by the browser): the next time
            # the screen is drawn it is asked for again.
            self._options = None
            self._task = None
            return
        self._options = None  # used: the reply decides what comes next
        self._task = None
        await self._deliver(credential)
