"""What a listed passkey is: its name and dates, from the additive ``passkey`` key.

A backend that knows more than the recorded label ("Delete passkey cred-2e3…")
says it on each per-passkey action (``PASSKEY_KEY`` in :mod:`.protocol`): the
name (the person's own, else the provider's) and when the passkey was created
and last used, as ISO 8601 instants. Anything missing or unreadable is simply
unknown; the card then shows what the label gives.

:func:`format_day` words a date for the person's language with Babel (CLDR),
in the zone the shell passes (UTC when it knows none). ``babel.dates`` is
imported by the first date worded, not with the state machine: only the
passkey list shows dates, and the page server's start skips it (issue 15).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cache

from babel import Locale

from .protocol import PASSKEY_KEY, AuthAction


@dataclass(frozen=True)
class PasskeyInfo:
    name: str | None = None
    created_at: datetime | None = None
    last_used_at: datetime | None = None


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def passkey_info(action: AuthAction) -> PasskeyInfo | None:
    """The ``passkey`` key of ``action``, read leniently; None when the server sent none."""
    about = (action.model_extra or {}).get(PASSKEY_KEY)
    if not isinstance(about, dict):
        return None
    name = about.get("name")
    return PasskeyInfo(
        name=name.strip() or None if isinstance(name, str) else None,
        created_at=_instant(about.get("createdAt")),
        last_used_at=_instant(about.get("lastUsedAt")),
    )


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language, sep="-")


def format_day(moment: datetime, language: str, zone: tzinfo = UTC) -> str:
    """``moment``'s day as the language writes it (``29 Nov 2026``, ``29.11.2026``, ``2026年11月29日``)."""
    from babel.dates import format_date

    return str(format_date(moment.astimezone(zone).date(), format="medium", locale=_locale(language)))
