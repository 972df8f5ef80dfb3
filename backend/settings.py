"""One frozen object holding every option of the reference backend.

Why one object: the backend is configured from three places (Python, the
command line, environment variables) and all three must mean the same thing.
``BackendSettings`` is the single vocabulary; ``command_line`` and
:meth:`BackendSettings.from_env` only translate into it.

Some defaults depend on the mode. AuthBasic (``mode="basic"``) has no MFA, no
passkeys and username-only sign-in, while the Cognito block defaults to MFA
optional, passkeys on and username-or-email sign-in. The password policy is the
same in both (NIST SP 800-63B 5.1.1.2, OWASP ASVS 2.1): at least 8 characters
and not one of the 100,000 most common passwords; composition rules (a digit, a
symbol, ...) are available but off. Options left at ``None`` take the
mode's default in ``__post_init__``, so after construction every option holds
a concrete value and an impossible combination (basic mode with MFA) is a
``ValueError`` rather than a silently ignored option.

Environment variables (all optional, ``NICEGUI_AUTHENTICATOR_`` prefix; lists
are comma separated, booleans are ``1/0``, ``true/false``, ``yes/no``)::

    MODE  DB  SELF_SIGN_UP  SIGN_IN_WITH  SIGN_UP_ATTRIBUTES  MFA  MFA_TYPES
    FLOW  PASSKEYS  RP_ID  RP_NAME  ORIGINS  PUBLIC_URL  AUDIT_LOG  AUTO_SIGN_IN  SESSION_LIFETIME
    SESSION_IDLE_TIMEOUT  RECENT_AUTH_WINDOW  RESET_REMOVES_PASSKEYS_WITHIN
    CODE_DELIVERY  OUTBOX_FILE  PATH  NAMESPACE  DEV  CORS_ORIGINS  CROSS_SITE_COOKIES
    HASHING_SLOTS  HASHING_NICENESS  FAILURE_DELAY
    SMTP_URL  MAIL_FROM  APP_TITLE  FORWARDED_ALLOW_IPS  VISITOR_HOP_SECRET
    SECRET_KEY  KEY_PATH
    PASSWORD_MIN_LENGTH  PASSWORD_REQUIRE_LOWERCASE  PASSWORD_REQUIRE_UPPERCASE
    PASSWORD_REQUIRE_DIGITS  PASSWORD_REQUIRE_SYMBOLS  PASSWORD_REJECT_COMMON
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from ..state_machine.password_policy import MAX_PASSWORD_LENGTH, PasswordPolicy
from .cors import check_origin

if TYPE_CHECKING:
    from .code_message import CodeMessage

Mode = Literal["basic", "cognito"]
MfaMode = Literal["off", "optional", "required"]
MfaType = Literal["TOTP", "EMAIL", "SMS"]
SignInWith = Literal["username", "email", "phone"]
Flow = Literal["password", "choice"]
CodeDeliveryMode = Literal["outbox", "log", "callback"]

ENV_PREFIX: Final = "NICEGUI_AUTHENTICATOR_"
MIB: Final = 1024 * 1024


# The one policy class is the core's (state_machine.password_policy), so the rules
# the backend enforces are the rules it advertises and the client checks.
DEFAULT_POLICY: Final = PasswordPolicy(reject_common=True)
# Cognito's floor for a pool's minimum length; the core allows any length from 1.
MIN_POLICY_LENGTH: Final = 6


@dataclass(frozen=True)
class ScryptCost:
    """scrypt parameters. The default (N=2**15, r=8: 32 MiB, ~50-100 ms) follows OWASP's minimum."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if self.n < 2 or self.n & (self.n - 1):
            raise ValueError("scrypt n must be a power of two")
        if self.r < 1 or self.p < 1:
            raise ValueError("scrypt r and p must be positive")


@dataclass(frozen=True)
class RateLimits:
    """Failure and send budgets per sliding window.

    ``failures_per_username`` is per account *and* address (or per known device), so a
    stranger elsewhere cannot spend the owner's; ``failures_per_account`` caps guesses
    spread over many addresses, and spares the account's known devices. The same keys
    (not the per-address one) also pace attempts with an exponential delay.
    """

    window_seconds: float = 15 * 60
    failures_per_username: int = 10
    failures_per_account: int = 100
    failures_per_address: int = 100
    sends_per_username: int = 10
    sends_per_address: int = 50
    # Exponential delay (backoff.py): after this many failures on an account+address, an
    # account or a known device, the next attempt waits 1 s, then 2 s, 4 s, ... up to the cap.
    delay_after_failures: int = 3
    delay_base_seconds: float = 1.0  # 0 turns the delay off
    delay_cap_seconds: float = 60.0


@dataclass(frozen=True)
class BackendSettings:
    """Every option of the reference backend (see the module docstring for env names)."""

    mode: Mode = "cognito"
    db_path: str = "nicegui-authenticator.sqlite3"
    self_sign_up: bool = True
    sign_in_with: tuple[SignInWith, ...] | None = None
    sign_up_attributes: tuple[str, ...] = ()
    password_policy: PasswordPolicy | None = None
    mfa: MfaMode | None = None
    mfa_types: tuple[MfaType, ...] = ("TOTP", "EMAIL")
    # Optional MFA is opt-in: a confirmed sign-up is enrolled in nothing. True
    # enrols it in email MFA at confirmation, as the recorded AWS Blocks mock does
    # (cognito_opt_signup_autosignin_email_mfa.jsonl step 7 asks for an email code).
    email_mfa_on_sign_up: bool = False
    flow: Flow = "password"
    passkeys: bool | None = None
    rp_id: str = "localhost"
    rp_name: str = "nicegui-authenticator"
    origins: tuple[str, ...] = ("http://localhost:8080",)
    auto_sign_in: bool = True
    session_lifetime: float = 30 * 24 * 3600  # absolute: from sign-in, however busy the session
    session_idle_timeout: float = 12 * 3600  # a session unused this long is over
    # Sensitive actions (email, passkeys, MFA, password) need a password or second factor this recent.
    recent_auth_window: float = 5 * 60
    # A password reset removes passkeys added this recently (a thief's, most likely); 0 keeps all.
    reset_removes_passkeys_within: float = 24 * 3600
    code_delivery: CodeDeliveryMode = "outbox"
    code_callback: Callable[[CodeMessage], None] | None = None
    # Real delivery: email by SMTP, anything else (SMS...) by a command or webhook (``delivery``).
    smtp_url: str | None = field(default=None, repr=False)  # holds the SMTP password
    mail_from: str | None = None
    delivery_hook: str | None = None  # "command:/path" or "webhook:https://..."
    app_title: str | None = None  # named in every message; defaults to rp_name
    # Proxies whose X-Forwarded-For names the client (addresses or networks; "*" trusts any).
    forwarded_allow_ips: tuple[str, ...] = ()
    # Shared with the hosted page, which signs each visitor's address with it (visitor_hop).
    visitor_hop_secret: str | None = field(default=None, repr=False)
    outbox_file: str | None = None
    path: str = "/aws-blocks/api"
    namespace: str = "authApi"
    dev: bool = False
    cors_origins: tuple[str, ...] = ()  # web apps that may call with the person's cookie (cors.py)
    cross_site_cookies: bool = False  # SameSite=None; Secure; Partitioned (cookies.py)
    # Where people reach the site (https://auth.example.com): decides the cookies' Secure flag,
    # whatever a request's Host or X-Forwarded-Proto claims (app.py, ``cookies_secure``).
    public_url: str | None = None
    # The audit channel (audit.py) also goes to this file, one JSON line per security event.
    audit_log: str | None = None
    # Knobs for tests and operators; the defaults are the production choice.
    password_hash_cost: ScryptCost = field(default_factory=ScryptCost)
    # Concurrent password hashes (None: one per core) and how long a hash may wait for a slot.
    hashing_slots: int | None = None
    hashing_deadline: float = 10.0
    # How much lower than the event loop the hashing threads run (0-19; Linux; see hashing.py).
    hashing_niceness: int = 10
    rate_limits: RateLimits = field(default_factory=RateLimits)
    clock: Callable[[], float] = time.time
    code_lifetime: float = 10 * 60
    challenge_lifetime: float = 3 * 60
    auto_sign_in_lifetime: float = 15 * 60
    temporary_password_lifetime: float = 7 * 24 * 3600
    max_code_attempts: int = 5
    max_body_bytes: int = MIB
    cookie_name: str = "auth_session"
    auto_sign_in_cookie_name: str = "autosignin_session"
    # The key sealing TOTP secrets and keying code digests (64 hex digits), kept apart from the
    # database; without it, a key file next to the database (``key_path``) is used or created.
    secret_key: str | None = field(default=None, repr=False)
    key_path: str | None = None
    known_device_cookie_name: str = "known_device"
    known_device_lifetime: float = 180 * 24 * 3600

    def __post_init__(self) -> None:
        if self.public_url is not None and not self.public_url.startswith(("https://", "http://")):
            raise ValueError(f"public URL must start with https:// or http://, not {self.public_url!r}")
        basic = self.mode == "basic"
        self._default("sign_in_with", ("username",) if basic else ("username", "email"))
        self._default("password_policy", DEFAULT_POLICY)
        self._default("mfa", "off" if basic else "optional")
        self._default("passkeys", not basic)
        self._validate()

    def _default(self, name: str, value: object) -> None:
        if getattr(self, name) is None:
            object.__setattr__(self, name, value)

    def _validate(self) -> None:
        _check_choice("mode", self.mode, Mode)
        _check_choice("flow", self.flow, Flow)
        _check_choice("mfa", self.mfa, MfaMode)
        _check_choice("code_delivery", self.code_delivery, CodeDeliveryMode)
        for kind in self.sign_in_with or ():
            _check_choice("sign_in_with", kind, SignInWith)
        for mfa_type in self.mfa_types:
            _check_choice("mfa_types", mfa_type, MfaType)
        if self.policy.min_length < MIN_POLICY_LENGTH:
            raise ValueError(
                f"password min_length must be between {MIN_POLICY_LENGTH} and {MAX_PASSWORD_LENGTH}"
            )
        if not self.sign_in_with:
            raise ValueError("sign_in_with needs at least one of username, email, phone")
        if self.mode == "basic":
            if self.mfa != "off" or self.passkeys or self.flow != "password":
                raise ValueError("basic mode (AuthBasic) has no MFA, passkeys or first-factor choice")
            if self.sign_in_with != ("username",):
                raise ValueError("basic mode (AuthBasic) signs in with a username only")
        if self.mfa != "off" and not self.mfa_types:
            raise ValueError("MFA needs at least one of TOTP, EMAIL, SMS")
        if self.code_delivery == "callback" and self.code_callback is None:
            raise ValueError("code_delivery='callback' needs code_callback")
        self._validate_delivery()
        if not self.path.startswith("/"):
            raise ValueError("path must start with '/'")
        if not self.namespace or "." in self.namespace:
            raise ValueError("namespace must be a non-empty name without '.'")
        if self.passkeys and (not self.rp_id or not self.origins):
            raise ValueError("passkeys need rp_id and at least one origin")
        if min(self.session_lifetime, self.session_idle_timeout, self.recent_auth_window) <= 0:
            raise ValueError("session lifetimes and the recent-authentication window must be positive")
        object.__setattr__(self, "cors_origins", tuple(check_origin(o) for o in self.cors_origins))
        if self.max_code_attempts < 1 or self.max_body_bytes < 1024:
            raise ValueError("max_code_attempts must be >= 1 and max_body_bytes >= 1024")

    def _validate_delivery(self) -> None:
        # The channels are imported only when configured: settings stay cheap to import, and a
        # start without SMTP or a hook does not load them (issue 15).
        if self.smtp_url:
            from .smtp_channel import parse_smtp_url

            parse_smtp_url(self.smtp_url)
            if not self.mail_from or "@" not in self.mail_from:
                raise ValueError("--smtp-url needs --mail-from (the sender address)")
        if self.delivery_hook:
            from .hook_channel import parse_hook

            parse_hook(self.delivery_hook)
        if self.visitor_hop_secret is not None and len(self.visitor_hop_secret) < 32:
            raise ValueError(
                "visitor_hop_secret must be at least 32 characters (e.g. `openssl rand -hex 32`)"
            )

    # -- derived views used by the rest of the backend --------------------------------

    @property
    def title(self) -> str:
        """The app's name in messages."""
        return self.app_title or self.rp_name

    @property
    def delivers_codes(self) -> bool:
        """True when codes reach people (SMTP, a hook, the host's callback), not just an outbox."""
        return bool(self.smtp_url or self.delivery_hook or self.code_delivery == "callback")

    @property
    def trusted_origins(self) -> tuple[str, ...]:
        """The one list of other origins whose pages may act with the person's cookie.

        The app's own pages (``origins``, where its passkey ceremonies run) and the web apps
        allowed to call across origins (``cors_origins``, ``--cors-origin``). CORS answers
        the second part only (``cors.py``); the forgery guard (``request_forgery.py``)
        accepts both, besides the endpoint's own origin.
        """
        return tuple(dict.fromkeys((*self.origins, *self.cors_origins)))

    @property
    def policy(self) -> PasswordPolicy:
        assert self.password_policy is not None  # resolved in __post_init__
        return self.password_policy

    @property
    def identifiers(self) -> tuple[SignInWith, ...]:
        assert self.sign_in_with is not None  # resolved in __post_init__
        return self.sign_in_with

    @property
    def passkeys_enabled(self) -> bool:
        return bool(self.passkeys)

    @property
    def mfa_mode(self) -> MfaMode:
        assert self.mfa is not None  # resolved in __post_init__
        return self.mfa

    @property
    def active_mfa_types(self) -> tuple[MfaType, ...]:
        """The MFA types a person can use right now (none when MFA is off)."""
        return () if self.mfa_mode == "off" else self.mfa_types

    @property
    def enrols_email_mfa_on_sign_up(self) -> bool:
        """Whether confirming a sign-up turns on email MFA (off unless asked: opt-in)."""
        return self.email_mfa_on_sign_up and "EMAIL" in self.active_mfa_types

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> BackendSettings:
        """Settings from ``NICEGUI_AUTHENTICATOR_*`` variables; ``overrides`` win over them."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, parse in _ENV_PARSERS.items():
            raw = env.get(ENV_PREFIX + name)
            if raw is not None and raw.strip() != "":
                target, value = parse(raw.strip())
                values[target] = value
        # "policy.min_length" and the like set one part of a nested setting, the rest default.
        for prefix, target, default in (
            ("policy.", "password_policy", DEFAULT_POLICY),
            ("limits.", "rate_limits", RateLimits()),
        ):
            parts = {k.removeprefix(prefix): values.pop(k) for k in list(values) if k.startswith(prefix)}
            if parts:
                values[target] = replace(default, **parts)
        values.update(overrides)
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(**values)


def _check_choice(name: str, value: object, choices: object) -> None:
    allowed = get_args(choices)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))}, not {value!r}")


def parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def parse_list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _as(target: str, convert: Callable[[str], object]) -> Callable[[str], tuple[str, object]]:
    return lambda raw: (target, convert(raw))


_ENV_PARSERS: Final[dict[str, Callable[[str], tuple[str, object]]]] = {
    "MODE": _as("mode", str),
    "DB": _as("db_path", str),
    "SELF_SIGN_UP": _as("self_sign_up", parse_bool),
    "SIGN_IN_WITH": _as("sign_in_with", parse_list),
    "SIGN_UP_ATTRIBUTES": _as("sign_up_attributes", parse_list),
    "MFA": _as("mfa", str),
    "MFA_TYPES": _as("mfa_types", lambda raw: tuple(t.upper() for t in parse_list(raw))),
    "EMAIL_MFA_ON_SIGN_UP": _as("email_mfa_on_sign_up", parse_bool),
    "FLOW": _as("flow", str),
    "PASSKEYS": _as("passkeys", parse_bool),
    "RP_ID": _as("rp_id", str),
    "RP_NAME": _as("rp_name", str),
    "ORIGINS": _as("origins", parse_list),
    "AUTO_SIGN_IN": _as("auto_sign_in", parse_bool),
    "SESSION_LIFETIME": _as("session_lifetime", float),
    "SESSION_IDLE_TIMEOUT": _as("session_idle_timeout", float),
    "RECENT_AUTH_WINDOW": _as("recent_auth_window", float),
    "RESET_REMOVES_PASSKEYS_WITHIN": _as("reset_removes_passkeys_within", float),
    "CODE_DELIVERY": lambda raw: ("delivery_hook", raw) if ":" in raw else ("code_delivery", raw),
    "SMTP_URL": _as("smtp_url", str),
    "MAIL_FROM": _as("mail_from", str),
    "APP_TITLE": _as("app_title", str),
    "FORWARDED_ALLOW_IPS": _as("forwarded_allow_ips", parse_list),
    "VISITOR_HOP_SECRET": _as("visitor_hop_secret", str),
    "SECRET_KEY": _as("secret_key", str),
    "KEY_PATH": _as("key_path", str),
    "OUTBOX_FILE": _as("outbox_file", str),
    "PATH": _as("path", str),
    "NAMESPACE": _as("namespace", str),
    "DEV": _as("dev", parse_bool),
    "CORS_ORIGINS": _as("cors_origins", parse_list),
    "CROSS_SITE_COOKIES": _as("cross_site_cookies", parse_bool),
    "PUBLIC_URL": _as("public_url", str),
    "AUDIT_LOG": _as("audit_log", str),
    "HASHING_SLOTS": _as("hashing_slots", int),
    "HASHING_NICENESS": _as("hashing_niceness", int),
    # The first wait after failed sign-ins, in seconds (backoff.py); 0 turns the delay off.
    "FAILURE_DELAY": _as("limits.delay_base_seconds", float),
    "PASSWORD_MIN_LENGTH": _as("policy.min_length", int),
    "PASSWORD_REQUIRE_LOWERCASE": _as("policy.require_lowercase", parse_bool),
    "PASSWORD_REQUIRE_UPPERCASE": _as("policy.require_uppercase", parse_bool),
    "PASSWORD_REQUIRE_DIGITS": _as("policy.require_digits", parse_bool),
    "PASSWORD_REQUIRE_SYMBOLS": _as("policy.require_symbols", parse_bool),
    "PASSWORD_REJECT_COMMON": _as("policy.reject_common", parse_bool),
}
