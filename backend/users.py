"""The ``users`` table: accounts, their identifiers, password and MFA enrolment.

Identifiers are compared by a normalised key (NFKC, trimmed, case-folded) so
``Alice`` and ``alice`` are one account, as in Cognito pools with case
insensitivity on; the username keeps the spelling given at sign-up. An email
or phone number is a sign-in alias only once verified, so an unconfirmed
sign-up cannot capture somebody else's address.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from .at_rest import Sealer
from .errors import AuthError, Problem
from .groups import groups_of
from .store import Store

Status = Literal["UNCONFIRMED", "CONFIRMED", "FORCE_CHANGE_PASSWORD"]
MFA_ORDER: Final = ("TOTP", "EMAIL", "SMS")


def identifier_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@dataclass(frozen=True)
class User:
    id: int
    sub: str
    username: str
    email: str | None
    email_verified: bool
    phone: str | None
    phone_verified: bool
    attributes: Mapping[str, str]
    password_hash: str
    status: Status
    temporary_password_expires_at: float | None
    created_at: float
    totp_secret: str | None
    totp_last_step: int
    email_mfa: bool
    sms_mfa: bool
    preferred_mfa: str | None
    groups: tuple[str, ...] = ()

    @property
    def username_key(self) -> str:
        return identifier_key(self.username)

    def enrolled_mfa(self, allowed: Iterable[str]) -> tuple[str, ...]:
        """Enrolled MFA types among ``allowed``, in the order TOTP, EMAIL, SMS."""
        enrolled = {
            "TOTP": self.totp_secret is not None,
            "EMAIL": self.email_mfa and self.email is not None and self.email_verified,
            "SMS": self.sms_mfa and self.phone is not None and self.phone_verified,
        }
        allowed_set = set(allowed)
        return tuple(t for t in MFA_ORDER if t in allowed_set and enrolled[t])

    @property
    def delivery_address(self) -> str:
        """Where codes for this account go when no channel is named: email, phone, else username."""
        return self.email or self.phone or self.username


def _user(row: Any, groups: tuple[str, ...] = ()) -> User:
    return User(
        id=int(row["id"]),
        sub=row["sub"],
        username=row["username"],
        email=row["email"],
        email_verified=bool(row["email_verified"]),
        phone=row["phone"],
        phone_verified=bool(row["phone_verified"]),
        attributes=json.loads(row["attributes"]),
        password_hash=row["password_hash"],
        status=row["status"],
        temporary_password_expires_at=row["temporary_password_expires_at"],
        created_at=float(row["created_at"]),
        totp_secret=row["totp_secret"],
        totp_last_step=int(row["totp_last_step"]),
        email_mfa=bool(row["email_mfa"]),
        sms_mfa=bool(row["sms_mfa"]),
        preferred_mfa=row["preferred_mfa"],
        groups=groups,
    )


class Users:
    """Reads and writes accounts; every method is one short transaction."""

    def __init__(self, store: Store, sealer: Sealer | None = None) -> None:
        self._store = store
        self._sealer = sealer  # TOTP secrets are stored sealed under the server key (at_rest)

    def _opened(self, user: User) -> User:
        if self._sealer is None or user.totp_secret is None:
            return user
        return dataclasses.replace(user, totp_secret=self._sealer.open(user.totp_secret))

    def by_id(self, user_id: int) -> User | None:
        return self._one("SELECT * FROM users WHERE id = ?", (user_id,))

    def by_username(self, username: str) -> User | None:
        return self._one("SELECT * FROM users WHERE username_key = ?", (identifier_key(username),))

    def find(self, identifier: str, sign_in_with: Iterable[str]) -> User | None:
        """The account ``identifier`` names through any enabled sign-in identifier."""
        key = identifier_key(identifier)
        if not key:
            return None
        user = self.by_username(identifier)
        if user is not None:
            return user
        kinds = set(sign_in_with)
        if "email" in kinds:
            user = self._one("SELECT * FROM users WHERE email_key = ? AND email_verified = 1", (key,))
            if user is not None:
                return user
        if "phone" in kinds:
            return self._one(
                "SELECT * FROM users WHERE phone = ? AND phone_verified = 1", (identifier.strip(),)
            )
        return None

    def delete_unconfirmed(self, user_id: int) -> None:
        """Forget a sign-up whose code could not be sent (never a confirmed account)."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM users WHERE id = ? AND status = 'UNCONFIRMED'", (user_id,))

    def create(
        self,
        *,
        username: str,
        password_hash: str,
        status: Status,
        now: float,
        email: str | None = None,
        phone: str | None = None,
        attributes: Mapping[str, str] | None = None,
        temporary_password_expires_at: float | None = None,
        replace_unconfirmed: bool = False,
    ) -> User:
        """Insert an account; ``replace_unconfirmed`` lets a new sign-up take over an abandoned one."""
        with self._store.transaction() as db:
            existing = db.execute(
                "SELECT id, status FROM users WHERE username_key = ?", (identifier_key(username),)
            ).fetchone()
            if existing is not None:
                if not (replace_unconfirmed and existing["status"] == "UNCONFIRMED"):
                    raise AuthError(Problem.USER_EXISTS)
                db.execute("DELETE FROM users WHERE id = ?", (existing["id"],))
            try:
                inserted = db.execute(
                    """INSERT INTO users (sub, username, username_key, email, email_key, phone, attributes,
                           password_hash, status, temporary_password_expires_at, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                    (
                        str(uuid.uuid4()),
                        username,
                        identifier_key(username),
                        email,
                        identifier_key(email) if email else None,
                        phone,
                        json.dumps(dict(attributes or {})),
                        password_hash,
                        status,
                        temporary_password_expires_at,
                        now,
                    ),
                ).fetchone()
            except self._store.integrity_errors:
                # A concurrent sign-up (another worker or process) took the name first.
                raise AuthError(Problem.USER_EXISTS) from None
            row_id = int(inserted["id"])
            user = self._opened(_user(db.execute("SELECT * FROM users WHERE id = ?", (row_id,)).fetchone()))
        return user

    def email_taken(self, email: str, except_user: int | None = None) -> bool:
        """True when another account already holds ``email`` as a verified alias."""
        row = self._one(
            "SELECT * FROM users WHERE email_key = ? AND email_verified = 1 AND id != ?",
            (identifier_key(email), -1 if except_user is None else except_user),
        )
        return row is not None

    def confirm(self, user_id: int, *, enable_email_mfa: bool) -> User:
        """Mark a sign-up confirmed: the code reached its address, so that address is verified.

        An email another account already verified stays unverified here (it is no
        sign-in alias then) instead of blocking the confirmation.
        """
        with self._store.transaction() as db:
            user = self._require(user_id)
            email_ok = user.email is not None and not self.email_taken(user.email, except_user=user_id)
            phone_ok = user.email is None and user.phone is not None
            db.execute(
                """UPDATE users SET status = 'CONFIRMED',
                       email_verified = CASE WHEN ? <> 0 THEN 1 ELSE email_verified END,
                       phone_verified = CASE WHEN ? <> 0 THEN 1 ELSE phone_verified END,
                       email_mfa = CASE WHEN ? <> 0 THEN 1 ELSE email_mfa END
                   WHERE id = ?""",
                (int(email_ok), int(phone_ok), int(email_ok and enable_email_mfa), user_id),
            )
            return self._require(user_id)

    def set_password(self, user_id: int, password_hash: str, *, clear_preferred_mfa: bool = False) -> None:
        with self._store.transaction() as db:
            db.execute(
                """UPDATE users SET password_hash = ?, temporary_password_expires_at = NULL,
                       status = CASE WHEN status = 'FORCE_CHANGE_PASSWORD' THEN 'CONFIRMED' ELSE status END,
                       preferred_mfa = CASE WHEN ? <> 0 THEN NULL ELSE preferred_mfa END
                   WHERE id = ?""",
                (password_hash, int(clear_preferred_mfa), user_id),
            )

    def rehash(self, user_id: int, password_hash: str) -> None:
        with self._store.transaction() as db:
            db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))

    def enable_totp(self, user_id: int, secret: str, step: int) -> None:
        with self._store.transaction() as db:
            db.execute(
                "UPDATE users SET totp_secret = ?, totp_last_step = ?, preferred_mfa = 'TOTP' WHERE id = ?",
                (secret if self._sealer is None else self._sealer.seal(secret), step, user_id),
            )

    def use_totp_step(self, user_id: int, step: int) -> bool:
        """Record ``step`` as used; False when it (or a later one) was used already (replay)."""
        with self._store.transaction() as db:
            cursor = db.execute(
                "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
                (step, user_id, step),
            )
            return cursor.rowcount == 1

    def enable_email_mfa(self, user_id: int, email: str) -> None:
        with self._store.transaction() as db:
            db.execute(
                """UPDATE users SET email = ?, email_key = ?, email_verified = 1, email_mfa = 1,
                       preferred_mfa = 'EMAIL' WHERE id = ?""",
                (email, identifier_key(email), user_id),
            )

    def enable_sms_mfa(self, user_id: int) -> None:
        with self._store.transaction() as db:
            db.execute(
                "UPDATE users SET phone_verified = 1, sms_mfa = 1, preferred_mfa = 'SMS' WHERE id = ?",
                (user_id,),
            )

    def set_preferred_mfa(self, user_id: int, mfa_type: str | None) -> None:
        with self._store.transaction() as db:
            db.execute("UPDATE users SET preferred_mfa = ? WHERE id = ?", (mfa_type, user_id))

    def disable_mfa(self, user_id: int) -> None:
        with self._store.transaction() as db:
            db.execute(
                """UPDATE users SET totp_secret = NULL, email_mfa = 0, sms_mfa = 0, preferred_mfa = NULL
                   WHERE id = ?""",
                (user_id,),
            )

    def _require(self, user_id: int) -> User:
        user = self.by_id(user_id)
        if user is None:
            raise LookupError("account vanished during the request")
        return user

    def _one(self, query: str, args: tuple[object, ...]) -> User | None:
        with self._store.read() as db:
            row = db.execute(query, args).fetchone()
            return None if row is None else self.from_row(row, groups_of(db, int(row["id"])))

    def from_row(self, row: Any, groups: tuple[str, ...]) -> User:
        """The account in ``row`` (``users`` columns by name, as a query that joins it returns them)."""
        return self._opened(_user(row, groups))
