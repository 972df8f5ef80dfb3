"""The Authenticator made your own: title, wording, password rules, no sign-up tab.

Included in the documentation (docs/customisation.md) and run by
tests/ui/test_docs_examples.py in NiceGUI's User simulation.
"""

from __future__ import annotations

from nicegui import ui
from nicegui_authenticator import AuthClient, Authenticator, PasswordPolicy


def sign_in_box(client: AuthClient) -> Authenticator:
    """An invitation-only sign-in box in the app's own words."""
    return Authenticator(
        client,
        title="Acme Reports",  # the heading above every screen
        issuer="Acme",  # the name authenticator apps show next to the code
        hide_sign_up=True,  # accounts are created by an administrator
        password_policy=PasswordPolicy(min_length=12, reject_common=True),  # checked before sending
        catalog={"screen.sign_in": "Welcome back", "action.signIn": "Continue"},  # any message key
    )


def page(client: AuthClient) -> None:
    @ui.page("/")
    def index() -> None:
        with sign_in_box(client):
            ui.label("The reports, for signed-in people only.")  # shown once signed in
