"""The parts every action handler works with, built once per backend.

One object so a handler's signature stays ``(parts, request, params)`` and a
test can build the whole backend from settings alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .code_message import CodeMessage, Purpose
from .codes import CodeBook
from .delivery import CodeDelivery, DeliveryFailedError
from .errors import AuthError, Problem
from .groups import Groups
from .passkeys import Passkeys
from .passwords import PasswordHasher
from .rate_limit import RateLimiter, Subject
from .sessions import AutoSignInBridges, Challenges, WebSessions
from .settings import BackendSettings
from .states import Replies
from .store import Store, open_store
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
    limiter: RateLimiter
    hasher: PasswordHasher
    replies: Replies

    @classmethod
    def build(cls, settings: BackendSettings) -> Components:
        store = open_store(settings.db_path)
        return cls(
            settings=settings,
            store=store,
            users=Users(store),
            groups=Groups(store),
            codes=CodeBook(store, settings.code_lifetime, settings.max_code_attempts),
            delivery=CodeDelivery(settings, store),
            web_sessions=WebSessions(store, settings.session_lifetime),
            challenges=Challenges(store, settings.challenge_lifetime, settings.max_code_attempts),
            bridges=AutoSignInBridges(store, settings.auto_sign_in_lifetime, settings.challenge_lifetime),
            passkeys=Passkeys(store, settings),
            limiter=RateLimiter(store, settings.rate_limits),
            hasher=PasswordHasher(settings.password_hash_cost),
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

    @staticmethod
    def subject(username: str, address: str) -> Subject:
        return Subject(identifier_key(username), address)
