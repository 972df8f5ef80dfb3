"""Codes for other channels (SMS, chat, a queue): a command or a webhook gets each message as JSON.

``command:PATH`` runs the executable PATH (no shell, no arguments) with the
message on stdin; exit status 0 means delivered. ``webhook:URL`` POSTs the
message with httpx; a 2xx answer means delivered. Anything else, a timeout
included, is a failed delivery, which the person sees as a retriable error.

The message::

    {"channel": "email" | "sms" | "other", "to": "...", "username": "...",
     "purpose": "sign-up", "code": "123456", "expiresInSeconds": 600,
     "app": "Example Inc.", "subject": "...", "text": "...", "html": "..."}

A notice (no code) has ``"code": null``.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import httpx

HOOK_TIMEOUT_SECONDS: Final = 20.0


class HookFailedError(Exception):
    """The command or webhook did not confirm delivery; the message says how, never what."""


@dataclass(frozen=True)
class DeliveryHook:
    kind: Literal["command", "webhook"]
    target: str

    def deliver(self, payload: dict[str, Any]) -> None:
        if self.kind == "command":
            _run_command(self.target, payload)
        else:
            _post(self.target, payload)


def parse_hook(spec: str) -> DeliveryHook:
    """``command:/usr/local/bin/send-sms`` or ``webhook:https://...``; ValueError otherwise."""
    kind, _, target = spec.partition(":")
    if kind == "command" and target:
        if not Path(target).is_absolute():
            raise ValueError("--code-delivery command:PATH needs an absolute PATH")
        return DeliveryHook("command", target)
    if kind == "webhook" and target.startswith(("http://", "https://")):
        return DeliveryHook("webhook", target)
    raise ValueError("--code-delivery must be outbox, log, command:/absolute/path or webhook:https://...")


def _run_command(path: str, payload: dict[str, Any]) -> None:
    try:
        finished = subprocess.run(
            [path],
            input=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            capture_output=True,
            timeout=HOOK_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HookFailedError(f"command could not run ({type(exc).__name__})") from None
    if finished.returncode != 0:
        raise HookFailedError(f"command exited with status {finished.returncode}")


def _post(url: str, payload: dict[str, Any]) -> None:
    try:
        response = httpx.post(url, json=payload, timeout=HOOK_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise HookFailedError(f"webhook unreachable ({type(exc).__name__})") from None
    if not response.is_success:
        raise HookFailedError(f"webhook answered {response.status_code}")
