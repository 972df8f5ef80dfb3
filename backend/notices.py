"""Telling the owner about every security change, at the address they had before it.

A thief who changes the email would otherwise read the notice themselves, so
the notice goes to the *old* verified address. Notices are best effort (the
change already happened); ``CodeDelivery.notify`` logs a failed one.
"""

from __future__ import annotations

import logging

from .components import Components
from .mail_templates import NoticePurpose
from .users import User

_log = logging.getLogger(__name__)


def tell_owner(
    parts: Components, user: User, purpose: NoticePurpose, now: float, address: str | None = None
) -> None:
    """Send ``purpose``'s notice (the change happened at ``now``) to ``address`` or the verified email.

    ``user`` is the account as it was *before* the change, so its email is the old one.
    """
    to = address if address is not None else (user.email if user.email_verified else None)
    _log.info("security change %s for %s", purpose, user.username)
    if to:
        parts.delivery.notify(to, user.username, purpose, changed_at=now)
