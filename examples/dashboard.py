"""A dashboard with an account menu, content for signed-in people, a protected page and a login page.

Start a backend, then this app::

    nicegui-authenticator backend --dev --sign-in-with username   # codes at http://127.0.0.1:8000/dev/outbox
    python examples/dashboard.py                                  # http://localhost:8081

``AUTH_ENDPOINT``, ``PORT`` and ``STORAGE_SECRET`` override the defaults.
"""

from __future__ import annotations

import os

from nicegui import app, ui
from nicegui_authenticator import AccountMenu, AuthClient, AuthenticatedContent, protected, sign_in_page

auth = AuthClient(os.environ.get("AUTH_ENDPOINT", "http://127.0.0.1:8000/aws-blocks/api"))
app.on_shutdown(auth.aclose)


def header() -> None:
    # White header text needs 4.5:1 on the primary colour (NiceGUI's default blue gives 3.06:1).
    ui.colors(primary="#1f62b4")
    with ui.header().classes("items-center gap-6"):
        ui.link("Home", "/").classes("text-white text-h6 no-underline")
        ui.link("Reports", "/reports").classes("text-white")
        ui.space()
        AccountMenu(auth)


@ui.page("/")
def home() -> None:
    header()
    with AuthenticatedContent(auth, fallback=lambda: ui.label("Sign in (top right) to see your numbers.")):
        ui.label("Revenue this month: 1,234,567").classes("text-h5")


@ui.page("/login")
def login(redirect: str | None = None) -> None:
    # Back to the protected page after sign-in; the card is the page, so its title is the h1.
    sign_in_page(auth, redirect=redirect, heading_level=1)


@ui.page("/reports")
@protected(auth, login_path="/login")
def reports() -> None:
    header()
    ui.label("Quarterly reports").classes("text-h5")


ui.run(
    port=int(os.environ.get("PORT", "8081")),
    storage_secret=os.environ.get("STORAGE_SECRET", "change me"),
    reload=False,
    show=False,
    language="en-US",  # <html lang>: screen readers pick the right voice
)
