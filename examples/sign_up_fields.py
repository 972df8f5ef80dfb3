"""Extra sign-up fields with the app's own checks, and the Authenticator in a dialog.

Included in the documentation (docs/customisation.md) and run by
tests/ui/test_docs_examples.py in NiceGUI's User simulation.
"""

from __future__ import annotations

from nicegui import ui
from nicegui_authenticator import AuthClient, Authenticator, SignUpField


def no_digits(value: str) -> str | None:
    """None when the name is fine, else what to tell the person (a catalog key works too)."""
    return "A name has no digits." if any(c.isdigit() for c in value) else None


def sign_in_dialog(client: AuthClient) -> Authenticator:
    """A sign-in dialog whose Create Account also asks for a given name."""
    return Authenticator(
        client,
        title="Acme Reports",  # also the dialog's accessible name
        variation="modal",  # in a dialog: open() shows it, signing in closes it
        sign_up_fields=[
            # Sent only when the server's signUp lists given_name (reference backend:
            # serve --sign-up-attributes given_name); otherwise checked but never sent.
            SignUpField("given_name", label="Given name", required=True, validate=no_digits),
        ],
        form_fields={"sign_up": {"given_name": {"placeholder": "Ada", "order": 0}}},
    )


def page(client: AuthClient) -> None:
    @ui.page("/")
    def index() -> None:
        dialog = sign_in_dialog(client)
        ui.button("Sign in", on_click=dialog.open)
