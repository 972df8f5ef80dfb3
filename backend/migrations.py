"""The database schema as an ordered list of migrations.

Each migration moves the schema from ``version - 1`` to ``version``; the
``schema_version`` table records how far a database file has come, so an
older file is upgraded in place at start-up and a newer one is refused (see
``store.Store``). Add a migration at the end; never edit a released one.

The statements are written once, with SQLite's column types; the PostgreSQL
store renders them in its own types (``PostgresStore.ddl``), so both engines
share one schema and one history.

Secrets that only need comparing are stored hashed: session and challenge
tokens (sha256, so a copied database file holds no live session) and
one-time codes. Password hashes carry their own scrypt parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "users, sessions, challenges, codes, passkeys, outbox, rate-limit failures",
        (
            """CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                sub TEXT NOT NULL UNIQUE,
                username TEXT NOT NULL,
                username_key TEXT NOT NULL UNIQUE,
                email TEXT,
                email_key TEXT,
                email_verified INTEGER NOT NULL DEFAULT 0,
                phone TEXT,
                phone_verified INTEGER NOT NULL DEFAULT 0,
                attributes TEXT NOT NULL DEFAULT '{}',
                password_hash TEXT NOT NULL,
                status TEXT NOT NULL,
                temporary_password_expires_at REAL,
                created_at REAL NOT NULL,
                totp_secret TEXT,
                totp_last_step INTEGER NOT NULL DEFAULT 0,
                email_mfa INTEGER NOT NULL DEFAULT 0,
                sms_mfa INTEGER NOT NULL DEFAULT 0,
                preferred_mfa TEXT
            )""",
            "CREATE INDEX users_email ON users(email_key) WHERE email_key IS NOT NULL",
            "CREATE INDEX users_phone ON users(phone) WHERE phone IS NOT NULL",
            """CREATE TABLE web_sessions (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                pending TEXT
            )""",
            "CREATE INDEX web_sessions_user ON web_sessions(user_id)",
            """CREATE TABLE challenges (
                token_hash TEXT PRIMARY KEY,
                data TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                expires_at REAL NOT NULL
            )""",
            """CREATE TABLE codes (
                key TEXT PRIMARY KEY,
                code_hash TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                expires_at REAL NOT NULL
            )""",
            """CREATE TABLE auto_sign_in (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                confirmed INTEGER NOT NULL DEFAULT 0,
                expires_at REAL NOT NULL
            )""",
            """CREATE TABLE passkeys (
                credential_id TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                public_key BLOB NOT NULL,
                sign_count INTEGER NOT NULL,
                transports TEXT NOT NULL DEFAULT '[]',
                created_at REAL NOT NULL,
                last_used_at REAL
            )""",
            "CREATE INDEX passkeys_user ON passkeys(user_id)",
            """CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                recipient TEXT NOT NULL,
                username TEXT NOT NULL,
                purpose TEXT NOT NULL,
                code TEXT NOT NULL,
                ts REAL NOT NULL
            )""",
            """CREATE TABLE failures (
                key TEXT NOT NULL,
                ts REAL NOT NULL
            )""",
            "CREATE INDEX failures_key_ts ON failures(key, ts)",
        ),
    ),
    Migration(
        2,
        "user groups (reported in user.groups, checked by app methods)",
        (
            """CREATE TABLE user_groups (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                group_name TEXT NOT NULL,
                PRIMARY KEY (user_id, group_name)
            )""",
        ),
    ),
    Migration(
        3,
        "budget events get an id, so a refunded attempt removes exactly its own events "
        "(open windows are forgotten once, at upgrade)",
        (
            "DROP TABLE failures",
            """CREATE TABLE failures (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL,
                ts REAL NOT NULL
            )""",
            "CREATE INDEX failures_key_ts ON failures(key, ts)",
        ),
    ),
    Migration(
        4,
        "web sessions remember when the person last proved who they are (recent authentication "
        "for sensitive actions) and when the session was last used (idle timeout); known devices "
        "keep their own failure budget",
        (
            "ALTER TABLE web_sessions ADD COLUMN authenticated_at REAL NOT NULL DEFAULT 0",
            "ALTER TABLE web_sessions ADD COLUMN last_seen_at REAL NOT NULL DEFAULT 0",
            """CREATE TABLE known_devices (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                expires_at REAL NOT NULL
            )""",
            "CREATE INDEX known_devices_user ON known_devices(user_id)",
        ),
    ),
    Migration(
        5,
        "passkeys remember the authenticator model that made them (AAGUID, so the account card can "
        "name the provider) and the name the person gave them",
        (
            "ALTER TABLE passkeys ADD COLUMN aaguid TEXT",
            "ALTER TABLE passkeys ADD COLUMN name TEXT",
        ),
    ),
)

LATEST_VERSION: Final = MIGRATIONS[-1].version
