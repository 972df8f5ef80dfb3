"""Known devices: a browser that signed in before keeps its own failure budget.

Why: failure budgets that a stranger can spend lock the owner out. Budgets
are per account *and* address, so a stranger elsewhere spends only their own;
a stranger behind the same address (a shared NAT, a café) would still spend
the owner's, and a botnet spread over many addresses spends the account-wide
budget. A browser that once signed in to the account carries a
``known_device`` cookie (random, stored hashed, per account), and attempts
from it are counted against that device alone: whatever strangers do, the
owner's own browser can still sign in.
"""

from __future__ import annotations

import secrets

from .sessions import WEB_TOKEN_BYTES, token_hash
from .store import Store, Sweeps


class KnownDevices:
    def __init__(self, store: Store, lifetime: float) -> None:
        self._store = store
        self.lifetime = lifetime
        self._sweeps = Sweeps("known_devices")

    def remember(self, user_id: int, presented: str | None, now: float) -> str | None:
        """After a sign-in: a new token for this browser, or None when it already holds a live one."""
        if presented and self.holder(presented, user_id, now) is not None:
            return None
        token = secrets.token_urlsafe(WEB_TOKEN_BYTES)
        with self._store.transaction() as db:
            self._sweeps.sweep(db, now)
            db.execute(
                "INSERT INTO known_devices (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (token_hash(token), user_id, now + self.lifetime),
            )
        return token

    def holder(self, token: str, user_id: int, now: float) -> str | None:
        """The device's budget key when ``token`` is a live known device of ``user_id``."""
        digest = token_hash(token)
        with self._store.read() as db:
            row = db.execute(
                "SELECT 1 FROM known_devices WHERE token_hash = ? AND user_id = ? AND expires_at > ?",
                (digest, user_id, now),
            ).fetchone()
        return None if row is None else digest[:32]

    def forget_all(self, user_id: int) -> None:
        """A password reset: the devices that knew the old password are strangers again."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM known_devices WHERE user_id = ?", (user_id,))
