"""Administration, in Python and on the command line, never over RPC.

Synchronous on purpose: these are for start-up scripts, the command line and
tests. From async code call them in a thread (adding a user hashes a password,
tens of milliseconds at the default cost).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .addresses import check_attribute, check_username
from .components import Components
from .errors import AuthError
from .groups import check_group_name
from .passwords import policy_message, policy_violations
from .users import User


class Admin:
    def __init__(self, parts: Components) -> None:
        self._parts = parts

    def add_user(
        self,
        username: str,
        password: str,
        *,
        temporary: bool = True,
        email: str | None = None,
        phone: str | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> None:
        """Create a confirmed account. With ``temporary`` (the default) the next sign-in
        must choose a new password (challenge ``newPassword``), within
        ``temporary_password_lifetime``. Email and phone given here count as verified.
        """
        parts = self._parts
        now = parts.settings.clock()
        try:
            check_username(parts.settings, username)
            if email is not None:
                check_attribute("email", email)
            if phone is not None:
                check_attribute("phone_number", phone)
        except AuthError as error:
            raise ValueError(error.detail) from None
        missing = policy_violations(password, parts.settings.policy)
        if missing:
            raise ValueError(policy_message(missing))
        if parts.settings.identifiers == ("email",) and email is None:
            email = username
        if parts.users.by_username(username) is not None:
            raise ValueError(f"User already exists: {username!r}")
        user = parts.users.create(
            username=username,
            password_hash=parts.hasher.hash(password),
            status="FORCE_CHANGE_PASSWORD" if temporary else "UNCONFIRMED",
            now=now,
            email=email,
            phone=phone,
            attributes=attributes,
            temporary_password_expires_at=now + parts.settings.temporary_password_lifetime
            if temporary
            else None,
        )
        if not temporary:
            parts.users.confirm(user.id, enable_email_mfa=False)
        else:
            with parts.store.transaction() as db:
                db.execute(
                    """UPDATE users SET email_verified = CASE WHEN email IS NULL THEN 0 ELSE 1 END,
                           phone_verified = CASE WHEN phone IS NULL THEN 0 ELSE 1 END WHERE id = ?""",
                    (user.id,),
                )

    def confirm_user(self, username: str) -> None:
        """Confirm a pending sign-up as if its code had been entered."""
        user = self._require(username)
        if user.status == "UNCONFIRMED":
            self._parts.users.confirm(
                user.id, enable_email_mfa=self._parts.settings.enrols_email_mfa_on_sign_up
            )

    def add_to_group(self, username: str, group: str) -> bool:
        """Put an account in a group (reported in ``user.groups``); False if it was in it already."""
        return self._parts.groups.add(self._require(username).id, check_group_name(group))

    def remove_from_group(self, username: str, group: str) -> bool:
        """Take an account out of a group; False if it was not in it. Takes effect on its next call."""
        return self._parts.groups.remove(self._require(username).id, group)

    def groups_of(self, username: str) -> list[str]:
        """The account's groups, sorted."""
        return list(self._require(username).groups)

    def sign_out_everywhere(self, username: str) -> None:
        """Revoke every session of an account (a lost laptop, a dismissed employee)."""
        self._parts.web_sessions.revoke_all(self._require(username).id)

    def list_outbox(self, limit: int = 200) -> list[dict[str, str]]:
        return self._parts.delivery.outbox(limit)

    def latest_code(self, recipient_or_username: str, purpose: str | None = None) -> str | None:
        return self._parts.delivery.latest_code(recipient_or_username, purpose)

    def mfa_preference(self, username: str) -> dict[str, Any]:
        """``{"preferred": "TOTP", "enabled": ["TOTP", "EMAIL"]}`` (``preferred`` only when set)."""
        user = self._require(username)
        enabled = list(user.enrolled_mfa(self._parts.settings.active_mfa_types))
        preference: dict[str, Any] = {}
        if user.preferred_mfa in enabled:
            preference["preferred"] = user.preferred_mfa
        preference["enabled"] = enabled
        return preference

    def _require(self, username: str) -> User:
        user = self._parts.users.by_username(username)
        if user is None:
            raise LookupError(f"no account named {username!r}")
        return user
