"""A signed-in ``getAuthState`` in one query: the session, its account and the account's groups.

Why one query: the session read, the account read and the groups read were
each a statement of their own (three round trips to PostgreSQL, three
statements for SQLite), and together the largest part of a signed-in
``getAuthState`` (issue 15 profile). Joined, they are one indexed lookup.

Whether the session is live is decided from this read on every request,
exactly as ``WebSessions.lookup`` decides it; only the reply built from the
account is reused (``reply_cache.SignedInReplies``), under a key made of the
account's content, so a session revoked or expired in any process is refused
on the very next request.

The row holds ``users.*`` and the session's own columns under their own names
(none of which ``users`` has), so ``Users.from_row`` and ``WebSessions`` read
it as they read their own rows.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Final

from .reply_cache import Encoded, SignedInReplies
from .sessions import UNSETTLED, Unsettled, WebSessions, token_hash
from .store import Store
from .users import Users

_SESSION_WITH_ACCOUNT: Final = """
    SELECT u.*, s.token_hash, s.user_id, s.expires_at, s.pending, s.authenticated_at, s.last_seen_at,
           g.group_name
    FROM web_sessions s
    JOIN users u ON u.id = s.user_id
    LEFT JOIN user_groups g ON g.user_id = s.user_id
    WHERE s.token_hash = ?
    ORDER BY g.group_name"""

# The account columns a signed-in reply is built from (``Replies.signed_in``), plus whether a TOTP
# secret is set (never the secret). A column left out here must not change the reply: the tests
# change every other one and compare (tests/backend/test_reply_cache.py).
REPLY_COLUMNS: Final = (
    "id",
    "sub",
    "username",
    "created_at",
    "email",
    "email_verified",
    "phone",
    "phone_verified",
    "attributes",
    "email_mfa",
    "sms_mfa",
)


def reply_key(row: Any, groups: tuple[str, ...]) -> Hashable:
    """What a signed-in reply for the account in ``row`` depends on."""
    return (*(row[name] for name in REPLY_COLUMNS), row["totp_secret"] is not None, groups)


class SignedInReads:
    """The signed-in reply for a session cookie, from one read (no writes)."""

    def __init__(self, store: Store, sessions: WebSessions, users: Users, replies: SignedInReplies) -> None:
        self._store = store
        self._sessions = sessions
        self._users = users
        self._replies = replies

    def reply(self, token: str, now: float) -> Encoded | Unsettled | None:
        """The reply for ``token``'s live session; None without one; ``UNSETTLED`` when deciding must write.

        ``UNSETTLED``: the session has expired (its row is to be deleted) or is due its
        idle-deadline touch; ``WebSessions.lookup`` does both, in a worker thread.
        """
        with self._store.read() as db:
            rows = db.execute(_SESSION_WITH_ACCOUNT, (token_hash(token),)).fetchall()
        if not rows:
            return None
        row = rows[0]
        if self._sessions.needs_write(row, now):
            return UNSETTLED
        groups = tuple(str(r["group_name"]) for r in rows if r["group_name"] is not None)
        return self._replies.reply(reply_key(row, groups), lambda: self._users.from_row(row, groups))
