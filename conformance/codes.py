"""Where the checker reads the one-time codes a server sends (sign-up, reset, email MFA).

A checker cannot read anyone's mailbox, so the person running it says where
codes land:

* ``--codes-command CMD``: a shell command that prints the latest code for a
  username; the username is appended as its last argument (shell-quoted).
* ``--codes-file PATH``: JSON lines, each with ``code`` and ``username`` or
  ``to`` (the address). This project's backend writes such lines with
  ``--outbox-file``, and so do the AWS Blocks servers' code logs.

A code is awaited for a few seconds (delivery may lag) and must be one the
checker has not used yet, so a resend or a second flow never picks up a stale
code.
"""

from __future__ import annotations

import asyncio
import json
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Final, Protocol

WAIT_SECONDS: Final = 5.0
POLL_SECONDS: Final = 0.1
COMMAND_TIMEOUT: Final = 10.0


class CodeSource(Protocol):
    """Finds the newest code sent to any of ``recipients`` (the username, its email, phone)."""

    async def latest(self, recipients: Iterable[str]) -> str | None: ...


class CodesFile:
    """The newest matching line of a JSON-lines file (the file may be appended to meanwhile)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def latest(self, recipients: Iterable[str]) -> str | None:
        wanted = {r.lower() for r in recipients}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        for line in reversed(text.splitlines()):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or not isinstance(record.get("code"), str | int):
                continue
            who = {str(record.get(key, "")).lower() for key in ("username", "to")}
            if who & wanted:
                return str(record["code"])
        return None


class CodesCommand:
    """A shell command printing the latest code for the username given as its last argument."""

    def __init__(self, command: str) -> None:
        self.command = command

    async def latest(self, recipients: Iterable[str]) -> str | None:
        username = next(iter(recipients))
        process = await asyncio.create_subprocess_shell(
            f"{self.command} {shlex.quote(username)}",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            out, _ = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            return None
        code = out.decode("utf-8", errors="replace").strip().splitlines()
        return code[-1].strip() if process.returncode == 0 and code and code[-1].strip() else None


class CodeBook:
    """Waits for a code the run has not used yet, from whichever source was configured."""

    def __init__(self, source: CodeSource | None) -> None:
        self._source = source
        self._used: set[str] = set()

    @property
    def available(self) -> bool:
        return self._source is not None

    async def fresh(self, recipients: Iterable[str]) -> str | None:
        """A new code for ``recipients``, or None when none arrives within a few seconds."""
        if self._source is None:
            return None
        who = list(recipients)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while True:
            code = await self._source.latest(who)
            if code is not None and code not in self._used:
                self._used.add(code)
                return code
            if loop.time() >= deadline:
                return None
            await asyncio.sleep(POLL_SECONDS)
