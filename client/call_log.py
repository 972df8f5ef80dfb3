"""The one DEBUG record each JSON-RPC call leaves: method, id, action, outcome, duration.

Names and outcomes only, never values: payloads, bodies and cookies stay out
of logs (see ``transport.py`` and ``redaction.py``). The logger is the
transport's, so existing log configuration keeps working.
"""

from __future__ import annotations

import logging
import time

from .errors import AuthClientError, ProtocolError, RpcError, TransportError

logger = logging.getLogger("nicegui_authenticator.client.transport")


def log_call(method: str, request_id: int, action: str | None, outcome: str, started: float) -> None:
    """The one record per call: names and outcome only, never values (see module docstring)."""
    if logger.isEnabledFor(logging.DEBUG):
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.debug(
            "%s id=%d action=%s -> %s in %.1f ms", method, request_id, action or "-", outcome, elapsed_ms
        )


def outcome_of_error(exc: AuthClientError) -> str:
    if isinstance(exc, TransportError):
        return f"TransportError({exc.kind})"
    if isinstance(exc, ProtocolError):
        return f"ProtocolError({exc.reason})"
    if isinstance(exc, RpcError):
        return f"{type(exc).__name__}({exc.code}{' ' + exc.name if exc.name else ''})"
    return type(exc).__name__
