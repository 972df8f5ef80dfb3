"""Groups of accounts, as Cognito user pool groups: names an app checks before it answers.

A person's groups travel in ``user.groups`` of every signed-in AuthState (the
Cognito mode always reports the list, as the recorded servers do with
``"groups": []``; AuthBasic knows no groups, so its replies carry the key only
when an administrator put the person in one). App methods registered with
``ReferenceBackend.method(..., groups=...)`` answer 403 to anyone in none of
them. Membership is managed by administrators only (``admin add-to-group``),
never over RPC.
"""

from __future__ import annotations

from typing import Final

from .store import Database, Store

MAX_GROUP_NAME: Final = 128  # Cognito's limit


def check_group_name(name: str) -> str:
    """``name`` when it is a usable group name (1-128 visible characters, no spaces), else ValueError."""
    if not 1 <= len(name) <= MAX_GROUP_NAME:
        raise ValueError(f"a group name has 1 to {MAX_GROUP_NAME} characters")
    if any(c.isspace() or not c.isprintable() for c in name):
        raise ValueError("a group name has no spaces or control characters")
    return name


def groups_of(db: Database, user_id: int) -> tuple[str, ...]:
    """The groups of one account, sorted (so replies do not depend on insertion order)."""
    rows = db.execute(
        "SELECT group_name FROM user_groups WHERE user_id = ? ORDER BY group_name", (user_id,)
    ).fetchall()
    return tuple(str(row[0]) for row in rows)


class Groups:
    """Adds and removes memberships; reading them is part of loading a user (``users.py``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, user_id: int, name: str) -> bool:
        """Put the account in ``name``; False when it was in it already."""
        with self._store.transaction() as db:
            if name in groups_of(db, user_id):
                return False
            db.execute("INSERT INTO user_groups (user_id, group_name) VALUES (?, ?)", (user_id, name))
            return True

    def remove(self, user_id: int, name: str) -> bool:
        """Take the account out of ``name``; False when it was not in it."""
        with self._store.transaction() as db:
            cursor = db.execute(
                "DELETE FROM user_groups WHERE user_id = ? AND group_name = ?", (user_id, name)
            )
            return cursor.rowcount == 1
