"""Serving the backend: what a start-up refuses, one process or N workers, and the log.

Split from ``command_line`` (which parses options): this module decides how
the parsed settings run. ``worker.worker_app`` is the app factory uvicorn calls
in each worker process; it rebuilds the settings from the options the parent
parsed, passed down as JSON in the environment.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from typing import Any, Final

from .cookies import is_loopback
from .settings import ENV_PREFIX, BackendSettings


def check_serving(settings: BackendSettings, host: str, workers: int) -> None:
    """Refuse the combinations that would leak codes or lose them (ValueError says why).

    Development mode shows every code at ``/dev/outbox``, so it binds loopback
    only. Without it, codes must reach people: a production backend with only
    the outbox would accept sign-ups nobody can ever confirm.
    """
    if workers < 1:
        raise ValueError("--workers must be at least 1")
    if settings.dev and not is_loopback(host):
        raise ValueError(
            f"--dev shows sign-in codes at /dev/outbox, so it binds loopback only, not {host}; "
            "drop --dev and configure --smtp-url or --code-delivery to serve others"
        )
    if not settings.dev and not settings.delivers_codes:
        raise ValueError(
            "no way to deliver codes: give --smtp-url (with --mail-from) or "
            "--code-delivery command:PATH|webhook:URL, or run with --dev on loopback for development"
        )


def dev_banner(settings: BackendSettings, host: str, port: int) -> str:
    line = "!" * 72
    return (
        f"{line}\n!!  DEVELOPMENT MODE: codes are readable at http://{host}:{port}/dev/outbox\n"
        f"!!  Never run --dev on a machine others can reach.\n{line}"
    )


WORKER_OPTIONS_ENV: Final = ENV_PREFIX + "WORKER_OPTIONS"
"""The parsed command line, as JSON, for worker processes to build the same settings."""


def serve(
    settings: BackendSettings,
    host: str,
    port: int,
    *,
    workers: int = 1,
    options: argparse.Namespace | None = None,
) -> None:
    """Serve until interrupted; with ``workers > 1``, that many processes share the port.

    Worker processes are started by uvicorn and build their own backend from
    the same options (``worker.worker_app``): the backend keeps nothing between
    requests outside the database, so any worker may answer any request.
    ``X-Forwarded-For`` is handled by the backend itself (``forwarded_allow_ips``),
    so uvicorn's own proxy header handling is off.
    """
    import uvicorn  # imported here: building a parser must stay cheap

    from .app import ReferenceBackend

    if settings.dev:
        print(dev_banner(settings, host, port), file=sys.stderr, flush=True)
    log_to_stderr()
    common: dict[str, Any] = {"host": host, "port": port, "log_level": "info", "proxy_headers": False}
    if workers > 1:
        if options is None:
            raise ValueError("several workers need the command-line options to rebuild the settings")
        os.environ[WORKER_OPTIONS_ENV] = json.dumps(_json_options(options))
        ReferenceBackend(settings).close()  # migrate once, before the workers race to
        uvicorn.run(f"{__package__}.worker:worker_app", factory=True, workers=workers, **common)
        return
    backend = ReferenceBackend(settings)
    try:
        uvicorn.run(backend.asgi_app, **common)
    finally:
        backend.close()


def _json_options(ns: argparse.Namespace) -> dict[str, Any]:
    return {k: v for k, v in vars(ns).items() if isinstance(v, str | int | float | bool | list | type(None))}


def log_to_stderr() -> None:
    """Show the backend's audit lines (sign-ins, failures; never secrets) beside uvicorn's."""
    logger = logging.getLogger("nicegui_authenticator")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
