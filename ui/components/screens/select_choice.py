"""``select_mfa``, ``select_mfa_setup`` and ``select_first_factor``: one radio choice.

The options come from the server's label (``Pick one of: TOTP, EMAIL``), shown
with readable names, first one preselected; the form widget does the rest.
"""

from __future__ import annotations

from .kit import ScreenContext, standard


def render(ctx: ScreenContext) -> None:
    standard(ctx)
