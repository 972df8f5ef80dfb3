"""The app each worker process of ``serve --workers N`` runs (uvicorn's app factory).

Apart from ``serving`` because it rebuilds the settings with the command line's
own parser (``command_line.settings_from_args``), and ``command_line`` calls
``serving``: here, the two meet without importing each other.
"""

from __future__ import annotations

import argparse
import json
import os
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette

from .app import ReferenceBackend
from .command_line import settings_from_args
from .serving import WORKER_OPTIONS_ENV, log_to_stderr


def worker_app() -> Any:
    """The backend the parent's options describe (passed down as JSON in the environment)."""
    log_to_stderr()
    options = argparse.Namespace(**json.loads(os.environ[WORKER_OPTIONS_ENV]))
    backend = ReferenceBackend(settings_from_args(options))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        yield
        backend.close()

    return Starlette(routes=list(backend.routes), lifespan=lifespan)
