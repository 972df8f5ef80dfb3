"""A backend that serves an app's own API next to sign-in, as an AWS Blocks backend does.

``authApi`` (sign-in, sign-up, MFA, ...) and the app's ``api.*`` methods share
one JSON-RPC endpoint and one session cookie. Run it, add a person, then start
a page that calls the API as that person (``examples/api_dashboard.py``) or the
hosted login page in browser session mode for a separate web app
(``examples/separate_app/index.html``)::

    NICEGUI_AUTHENTICATOR_CORS_ORIGINS=http://localhost:8080,http://localhost:3000 \\
        python examples/api_backend.py                                   # http://localhost:8000
    nicegui-authenticator admin add-user ada --permanent --db nicegui-authenticator.sqlite3
    nicegui-authenticator admin add-to-group ada billing --db nicegui-authenticator.sqlite3

Every ``NICEGUI_AUTHENTICATOR_*`` variable applies (``DB``, ``MODE``, ``MFA``,
``CORS_ORIGINS``, ``CROSS_SITE_COOKIES``, ...); ``PORT`` picks the port.
"""

from __future__ import annotations

import os

import uvicorn
from nicegui_authenticator import AuthUser, BackendSettings, MethodError, ReferenceBackend

backend = ReferenceBackend(BackendSettings.from_env())
INVOICES = {"2026-001": 1200, "2026-002": 340}


@backend.method("api.getProfile")  # any signed-in person; others get 401 NotAuthenticatedException
async def get_profile(user: AuthUser) -> dict[str, object]:
    return {"username": user.username, "groups": list(user.groups)}


@backend.method("api.getInvoice", groups=["billing"])  # signed in but not in billing: 403
async def get_invoice(user: AuthUser, number: str) -> dict[str, object]:
    if number not in INVOICES:
        raise MethodError(404, f"No invoice {number}", "NotFoundException")
    return {"number": number, "amount": INVOICES[number]}


if __name__ == "__main__":
    try:
        uvicorn.run(backend.asgi_app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
    finally:
        backend.close()
