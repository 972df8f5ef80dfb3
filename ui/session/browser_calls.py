"""The effects that must happen in the person's browser.

WebAuthn ceremonies (``navigator.credentials.create/get``), federated sign-in
(a real form submitted to the provider) and clipboard copies cannot run in
Python. Their JavaScript lives in ``assets/authenticator.js``, an ES module
served once per app and imported on demand, so no page needs a script tag and
an Authenticator opened later in a dialog works the same. Every browser
function answers with plain data, never an exception, so a cancelled or
failed ceremony becomes :class:`WebAuthnFailed` instead of a timeout.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import resources
from typing import Final
from urllib.parse import urlsplit

from nicegui import app
from nicegui.client import Client
from pydantic import JsonValue

from ...state_machine import RunWebAuthn, WebAuthnFailed, WebAuthnResult

logger = logging.getLogger(__name__)

_ROUTE: Final = "/_nicegui_authenticator/authenticator.js"
_ASSET: Final = resources.files("nicegui_authenticator.assets") / "authenticator.js"
_VERSION: Final = hashlib.sha256(_ASSET.read_bytes()).hexdigest()[:12]
# Extra seconds granted on top of the ceremony's own timeout (the browser
# reports its own timeout as NotAllowedError, which we want to see).
_CEREMONY_SLACK: Final = 30.0
_DEFAULT_CEREMONY_TIMEOUT: Final = 300.0


def ensure_assets() -> None:
    """Serve ``authenticator.js`` (idempotent; called by every Authenticator)."""
    if any(getattr(route, "path", None) == _ROUTE for route in app.routes):
        return
    with resources.as_file(_ASSET) as path:
        app.add_static_file(local_file=path, url_path=_ROUTE)


def module_call(function: str, *args: JsonValue) -> str:
    arguments = ", ".join(json.dumps(a) for a in args)
    return (
        f"const m = await import(window.path_prefix + {json.dumps(_ROUTE + '?v=' + _VERSION)});\n"
        f"return await m.{function}({arguments});"
    )


def _ceremony_timeout(options_json: str) -> float:
    try:
        options = json.loads(options_json)
    except ValueError:
        return _DEFAULT_CEREMONY_TIMEOUT
    if isinstance(options, dict) and isinstance(options.get("publicKey"), dict):
        options = options["publicKey"]
    timeout = options.get("timeout") if isinstance(options, dict) else None
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and 0 < timeout <= 3_600_000:
        return timeout / 1000 + _CEREMONY_SLACK
    return _DEFAULT_CEREMONY_TIMEOUT


async def run_webauthn(client: Client, effect: RunWebAuthn) -> WebAuthnResult | WebAuthnFailed:
    """Run the browser ceremony the machine asked for and describe its outcome."""
    try:
        answer = await client.run_javascript(
            module_call("ceremony", effect.kind, effect.options_json),
            timeout=_ceremony_timeout(effect.options_json),
        )
    except TimeoutError:
        return WebAuthnFailed("failed", "the browser did not answer in time")
    if not isinstance(answer, dict):
        return WebAuthnFailed("failed", "the page was closed")
    status = answer.get("status")
    detail = str(answer.get("detail") or "")
    if status == "ok" and isinstance(answer.get("credential"), str):
        return WebAuthnResult(answer["credential"])
    if status == "cancelled":
        return WebAuthnFailed("cancelled", detail)
    if status == "unavailable":
        return WebAuthnFailed("unavailable", detail)
    return WebAuthnFailed("failed", detail or "unknown error")


# How long the Python side waits for the autofill to yield a passkey: the server's
# username-less challenge lives 10 minutes, after which a fresh sign-in state restarts it.
AUTOFILL_WAIT: Final = 10 * 60.0


async def run_autofill(client: Client, options_json: str) -> str | None:
    """Offer the site's passkeys in the username field's autofill (conditional mediation).

    Returns the assertion (JSON) once the person picks one; None when the request
    ended otherwise (stopped, unsupported, timed out, the page closed).
    """
    try:
        answer = await client.run_javascript(
            module_call("autofillCeremony", options_json), timeout=AUTOFILL_WAIT
        )
    except TimeoutError:
        return None
    if (
        isinstance(answer, dict)
        and answer.get("status") == "ok"
        and isinstance(answer.get("credential"), str)
    ):
        return str(answer["credential"])
    if isinstance(answer, dict) and answer.get("status") == "failed":
        logger.info("passkey autofill ended: %s", answer.get("detail"))
    return None


def stop_autofill(client: Client) -> None:
    """End the autofill request, without waiting (the browser's next ceremony waits for it)."""
    if not client.is_deleted:
        client.run_javascript(module_call("stopAutofill"))


def safe_external_url(url: str) -> bool:
    """Only http(s) URLs (or same-site paths) may become a form action:
    a ``javascript:`` action from a hostile server would run script."""
    parts = urlsplit(url.strip())
    if parts.scheme:
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    return url.strip().startswith("/") and not url.strip().startswith("//")


async def submit_external_form(client: Client, url: str, method: str, fields: dict[str, str]) -> bool:
    """Submit a real browser form to ``url`` (the person leaves the page).

    Returns False (and submits nothing) for a URL that is not http(s).
    """
    if not safe_external_url(url):
        logger.warning("refusing to submit an external form to a non-http(s) URL")
        return False
    verb = "POST" if method.upper() == "POST" else "GET"
    try:
        await client.run_javascript(module_call("submitForm", url.strip(), verb, dict(fields)), timeout=5.0)
    except TimeoutError:
        logger.info("the browser did not confirm the external form submission")
    return True


async def copy_to_clipboard(client: Client, text: str) -> bool:
    """Copy ``text`` in the browser; True when the browser says it worked."""
    try:
        result = await client.run_javascript(module_call("copyText", text), timeout=5.0)
    except TimeoutError:
        return False
    return result is True
