"""``confirm_identity``: a sensitive account change asked for the password again.

The server refuses email, passkey and MFA changes on a sign-in older than a
few minutes (a copied cookie must not be enough); this screen takes the
password, and the person then repeats the change from the account screen.
"""

from __future__ import annotations

from .kit import ScreenContext, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
