"""Start the hosted login page for a :class:`~.command.ServePlan` (NiceGUI from here on).

The embedded backend is one :class:`~...backend.app.ReferenceBackend`, used two
ways at once: the page's :class:`AuthClient` reaches it in-process through
``httpx.ASGITransport`` (no socket, no port), and its routes are put in front
of NiceGUI's own on the same server, so ``/dev/outbox`` and the JSON-RPC
endpoint are reachable by a browser or a test as well.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from nicegui import app, background_tasks, ui
from nicegui.storage import Storage
from starlette.middleware.sessions import SessionMiddleware

from ...backend.app import ReferenceBackend
from ...client import AuthClient
from .command import ServePlan
from .pages import add_hosted_pages
from .security_headers import SecurityHeadersMiddleware
from .start_heap import collect_less_often, freeze_and_resume_collection
from .storage_pruning import prune_periodically
from .storage_secret import load_storage_secret

# The in-process client's URL: any loopback name, so the backend's cookies are
# not marked Secure (the transport never leaves the process).
_IN_PROCESS_ORIGIN = "http://localhost"


def _use_storage_dir(directory: Path) -> None:
    """Keep NiceGUI's per-browser storage (it holds backend session cookies) in an owner-only folder."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    Storage.path = directory
    app.storage = Storage()
    app.on_shutdown(app.storage.on_shutdown)


def _embedded(plan: ServePlan) -> tuple[AuthClient, ReferenceBackend]:
    assert plan.settings is not None
    if not plan.settings.db_path.startswith(("postgresql://", "postgres://")):
        Path(plan.settings.db_path).resolve().parent.mkdir(parents=True, exist_ok=True)
    # The page tells its backend each visitor's address; in-process, a secret of this process
    # signs it (nothing outside the process ever sees the header).
    hop_secret = plan.settings.visitor_hop_secret or secrets.token_urlsafe(32)
    backend = ReferenceBackend(replace(plan.settings, visitor_hop_secret=hop_secret))
    client = AuthClient(
        _IN_PROCESS_ORIGIN + plan.settings.path,
        namespace=plan.settings.namespace,
        transport=httpx.ASGITransport(app=backend.asgi_app),
        visitor_hop_secret=hop_secret,
    )
    # In front of NiceGUI's routes, so no page route or catch-all can shadow them.
    app.router.routes[0:0] = backend.routes
    return client, backend


def endpoint_client(plan: ServePlan) -> AuthClient:
    """The AuthClient for a remote endpoint (``serve --endpoint URL``)."""
    assert plan.endpoint is not None
    # With NICEGUI_AUTHENTICATOR_VISITOR_HOP_SECRET shared with the backend, each visitor's
    # address reaches it signed; without, the backend sees this server's address for everyone.
    return AuthClient(plan.endpoint, namespace=plan.namespace, visitor_hop_secret=plan.visitor_hop_secret)


def start(plan: ServePlan) -> None:
    """Configure NiceGUI for ``plan`` and serve until interrupted."""
    # Owner-only when we create it: it holds the database (password hashes, TOTP
    # secrets), the storage secret and every browser's session cookies.
    plan.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    sessions = plan.data_dir / "sessions"
    _use_storage_dir(sessions)
    app.on_startup(
        lambda: background_tasks.create(prune_periodically(sessions), name="prune browser storage")
    )
    app.on_startup(collect_less_often)
    secret = load_storage_secret(plan.secret_dir)
    backend: ReferenceBackend | None = None
    if plan.embedded:
        client, backend = _embedded(plan)
    else:
        client = endpoint_client(plan)
    if plan.logo_file is not None and plan.config.logo is not None:
        app.add_static_file(local_file=plan.logo_file, url_path=plan.config.logo)
    add_hosted_pages(client, plan.config)

    async def close() -> None:
        await client.aclose()
        if backend is not None:
            backend.close()

    app.on_shutdown(close)
    # NiceGUI's storage cookie first, the headers second: middleware added later
    # runs outside, so the headers middleware sees that cookie (to make it Secure
    # over https) and sits inside NiceGUI's gzip (to put its nonce into the HTML).
    app.add_middleware(SessionMiddleware, secret_key=secret)
    app.add_middleware(SecurityHeadersMiddleware, policy=plan.security)
    # Behind nginx, uvicorn takes the visitor's address and scheme from these proxies only.
    proxies: dict[str, Any] = {}
    if plan.forwarded_allow_ips is not None:
        proxies["forwarded_allow_ips"] = plan.forwarded_allow_ips
    freeze_and_resume_collection()
    ui.run(
        host=plan.host,
        port=plan.port,
        title=plan.config.title or "Sign in",
        favicon="🔐",
        reload=False,
        show=False,
        storage_secret=secret,
        show_welcome_message=False,
        **proxies,
    )
