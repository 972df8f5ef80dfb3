"""``confirm_identity``: a change to how the account is secured asks for a fresh proof first.

The server refuses email, passkey and MFA changes on a sign-in older than a
few minutes (a copied cookie must not be enough). The primary form is the
proof the server asks for now (a password, a code, or a passkey button); the
secondary forms resend an emailed code or switch to another of the account's
methods. Once the proof succeeds the machine sends the refused change again.
"""

from __future__ import annotations

from .kit import ScreenContext, back_to_account, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
    back_to_account(ctx)
