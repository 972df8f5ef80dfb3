"""Development or production: which one ``serve`` runs, and what production demands.

Development mode exists to try the page: the embedded backend keeps codes in
its outbox and shows them at ``/dev/outbox``, so it must never be reachable
from another machine. Production mode sends codes for real, shows no outbox
and no banner, and may bind any interface.

The choice: ``--dev`` or ``--production`` when given; otherwise loopback
means development and any other interface means production, so a page bound
to the world is never a development page by accident. Production refuses to
start without what it cannot work without: a way to deliver codes (the
embedded backend's ``--smtp-url`` or ``--code-delivery``; a remote
``--endpoint`` delivers its own) and a storage secret from the environment
(every ``serve`` process behind a load balancer must sign browser sessions
with the same one).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from ...backend.cookies import is_loopback
from ...backend.settings import BackendSettings
from .storage_secret import ENV_VAR as STORAGE_SECRET_ENV


def wants_production(ns: argparse.Namespace) -> bool:
    """Production unless ``--dev``, or loopback without ``--production``; ValueError on a contradiction."""
    dev, production = bool(getattr(ns, "dev", None)), bool(getattr(ns, "production", False))
    if dev and production:
        raise ValueError("--dev and --production contradict each other")
    if dev and not is_loopback(ns.host):
        raise ValueError(
            f"--dev shows sign-in codes at /dev/outbox, so it binds loopback only, not {ns.host}; "
            "drop --dev to serve in production mode"
        )
    return production or (not dev and not is_loopback(ns.host))


def check_production(host: str, settings: BackendSettings | None, environ: Mapping[str, str]) -> None:
    """Raise ValueError naming everything production mode still lacks."""
    missing = []
    if settings is not None and not settings.delivers_codes:
        missing.append("a way to deliver codes (--smtp-url with --mail-from, or --code-delivery)")
    if not environ.get(STORAGE_SECRET_ENV, "").strip():
        missing.append(f"a storage secret in {STORAGE_SECRET_ENV} (the same on every serve process)")
    if missing:
        where = "" if is_loopback(host) else f" (binding {host} means production mode)"
        raise ValueError(f"production mode{where} needs " + " and ".join(missing))
