"""The parts every action handler works with, built once per backend.

One object so a handler's signature stays ``(parts, request, params)`` and a
test can build the whole backend from settings alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .at_rest import Sealer, key_file_for, load_key, subkey
from .code_message import CodeMessage, Purpose
from .codes import CodeBook
from .context import Request
from .delivery import CodeDelivery, DeliveryFailedError
from .engines import open_store
from .errors import AuthError, Problem
from .groups import Groups
from .hashing import HashingGate
from .known_devices import KnownDevices
from .passkey_challenges import SignedChallenges
from .passkeys import Passkeys
from .passwords import PasswordHasher
from .rate_limit import RateLimiter, Subject
from .sessions import AutoSignInBridges, Challenges, WebSessions
from .settings import BackendSettings
from .states import Replies
from .store import Store
from .users import User, Users, identifier_key


@dataclass(frozen=True)
class Components:
    settings: BackendSettings
    store: Store
    users: Users
    groups: Groups
    codes: CodeBook
    delivery: CodeDelivery
    web_sessions: WebSessions
    challenges: Challenges
    bridges: AutoSignInBridges
    passkeys: Passkeys
    passkey_challenges: SignedChallenges  # username-less sign-in (passkey_sign_in.py)
    known_devices: KnownDevices
    limiter: RateLimiter
    hasher: PasswordHasher
    replies: Replies

    @classmethod
    def build(cls, settings: BackendSettings) -> Components:
        store = open_store(settings.db_path)
        key_path = settings.key_path or key_file_for(settings.db_path)
        shared = "://" in settings.db_path  # a database server, shared by processes
        key = load_key(settings.secret_key, key_path, shared=shared)
        sealer = Sealer(key)
        return cls(
            settings=settings,
            store=store,
            users=Users(store, sealer),
            groups=Groups(store),
            codes=CodeBook(store, settings.code_lifetime, settings.max_code_attempts, sealer.code_digest),
            delivery=CodeDelivery(settings, store),
            web_sessions=WebSessions(store, sealer, settings.session_lifetime, settings.session_idle_timeout),
            challenges=Challenges(store, sealer, settings.challenge_lifetime, settings.max_code_attempts),
            bridges=AutoSignInBridges(store, settings.auto_sign_in_lifetime, settings.challenge_lifetime),
            passkeys=Passkeys(store, settings),
            passkey_challenges=SignedChallenges(subkey(key, b"passkey-challenge"), store),
            known_devices=KnownDevices(store, settings.known_device_lifetime),
            limiter=RateLimiter(store, settings.rate_limits),
            hasher=PasswordHasher(
                settings.password_hash_cost,
                HashingGate(settings.hashing_slots, settings.hashing_deadline, settings.hashing_niceness),
            ),
            replies=Replies(settings),
        )

    def send_code(self, *, key: str, to: str, username: str, purpose: Purpose, now: float) -> None:
        """Issue a fresh code under ``key`` (replacing any older one) and deliver it."""
        self.deliver_code(
            self.codes.issue(key, now), key=key, to=to, username=username, purpose=purpose, now=now
        )

    def deliver_code(
        self, code: str, *, key: str, to: str, username: str, purpose: Purpose, now: float
    ) -> None:
        """Deliver an issued ``code``; when that fails, discard it and raise a retriable error."""
        try:
            self.delivery.send(CodeMessage(to=to, username=username, purpose=purpose, code=code, ts=now))
        except DeliveryFailedError:
            # Nobody has this code, so it must not count as live (a retried sign-up takes the
            # name over again); the person is told to retry, with the form still on screen.
            self.codes.discard(key)
            raise AuthError(Problem.DELIVERY_FAILED, retriable=True) from None

    def send_code_within_budget(
        self,
        subject: Subject,
        now: float,
        *,
        user: User | None,
        key_of: Callable[[int], str],
        purpose: Purpose,
        to: str | None = None,
    ) -> None:
        """Send a code to ``user`` (to ``to`` or their usual address) inside the send budget.

        Nothing is sent without an account, but the budget is checked and spent
        all the same, so it behaves identically for accounts that do not exist.
        """
        self.limiter.spend_send(subject, now)
        if user is not None:
            address = to or user.delivery_address
            self.send_code(key=key_of(user.id), to=address, username=user.username, purpose=purpose, now=now)
        else:
            # A code nobody receives, so that guessing it is answered (attempts, "start again")
            # exactly as for a real account, and the request does the same database work.
            self.codes.issue(self.phantom_code_key(purpose, subject), now)

    @staticmethod
    def phantom_code_key(purpose: Purpose, subject: Subject) -> str:
        """Where the unsent code of a request without an account lives (see ``send_code_within_budget``)."""
        return f"phantom:{purpose}:{subject.username_key}"

    def subject(self, identifier: str, request: Request) -> Subject:
        """Whose budget an attempt spends: the account's (however it was named) from where.

        One indexed lookup whether or not ``identifier`` names an account, so the work is
        the same for both.
        """
        user = self.users.find(identifier, self.settings.identifiers) if identifier else None
        return self.subject_of(identifier, user, request)

    def subject_of(self, identifier: str, user: User | None, request: Request) -> Subject:
        """:meth:`subject` for an account the caller already looked up (``user``: whom ``identifier`` names)."""
        device = None
        if request.known_device:
            # Asked with or without an account (id 0 matches no device), so a stranger holding a
            # known-device cookie of their own cannot time which names exist (finding 4).
            device = self.known_devices.holder(request.known_device, user.id if user else 0, request.now)
        if user is None:
            return Subject(identifier_key(identifier), request.address)
        return Subject(user.username_key, request.address, device, account=user.username)
