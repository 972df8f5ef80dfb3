"""Bounded hashing (issue 15; issue 11 finding 6): never more scrypts at once than slots.

Instrumented, not timed: scrypt is replaced by a function that counts how many
run at once and holds each one until the test lets it go.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Iterator

import pytest
from backend_support import STRONG, MakeBackend, RpcClient
from nicegui_authenticator.backend import passwords
from nicegui_authenticator.backend.errors import AuthError
from nicegui_authenticator.backend.hashing import HashingBusy, HashingGate
from nicegui_authenticator.backend.passwords import PasswordHasher
from nicegui_authenticator.backend.settings import ScryptCost


class HeldScrypt:
    """Stands in for hashlib.scrypt: records concurrency, blocks until released."""

    def __init__(self) -> None:
        self.active = 0
        self.most = 0
        self.finished = 0
        self.changed = threading.Condition()
        self.release = threading.Event()

    def __call__(self, password: bytes, **params: object) -> bytes:
        with self.changed:
            self.active += 1
            self.most = max(self.most, self.active)
            self.changed.notify_all()
        self.release.wait(timeout=30)
        with self.changed:
            self.active -= 1
            self.finished += 1
            self.changed.notify_all()
        return hashlib.sha256(password).digest()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldScrypt]:
    fake = HeldScrypt()
    monkeypatch.setattr(passwords.hashlib, "scrypt", fake)
    yield fake
    fake.release.set()


def test_concurrent_hashes_never_exceed_the_slots(held: HeldScrypt) -> None:
    hasher = PasswordHasher(ScryptCost(), HashingGate(slots=2, deadline=30))
    threads = [threading.Thread(target=hasher.hash, args=(f"pw{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    with held.changed:
        assert held.changed.wait_for(lambda: held.active == 2, timeout=10)
        # Given every chance to, no third hash starts while two are held.
        assert not held.changed.wait_for(lambda: held.active > 2, timeout=0.5)
    held.release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert held.finished == 8
    assert held.most == 2


def test_a_hash_past_the_deadline_is_a_retriable_error(held: HeldScrypt) -> None:
    hasher = PasswordHasher(ScryptCost(), HashingGate(slots=1, deadline=0.05))
    holder = threading.Thread(target=hasher.hash, args=("first",))
    holder.start()
    with held.changed:
        assert held.changed.wait_for(lambda: held.active == 1, timeout=10)
    with pytest.raises(HashingBusy) as raised:
        hasher.verify("second", None)
    assert isinstance(raised.value, AuthError) and raised.value.retriable
    held.release.set()
    holder.join(timeout=30)
    assert held.most == 1


def test_the_slots_default_to_the_cores() -> None:
    assert HashingGate().slots == len(os.sched_getaffinity(0))
    with pytest.raises(ValueError):
        HashingGate(slots=0)


def test_no_hash_at_construction_and_unknown_users_still_pay_one(held: HeldScrypt) -> None:
    held.release.set()
    hasher = PasswordHasher(ScryptCost())
    assert held.finished == 0
    assert hasher.verify("anything", None) is False
    assert held.finished == 1


async def test_a_sign_in_that_waits_past_the_deadline_answers_busy_and_retriable(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(hashing_slots=1, hashing_deadline=0.05)
    backend.add_user("alice", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        gate = backend._parts.hasher._gate
        assert gate._free.acquire(blocking=False)  # the one slot: a hash in progress
        try:
            state = await client.set("signIn", username="alice", password=STRONG)
        finally:
            gate._free.release()
        assert state["retriable"] is True
        assert state["errorName"] == "ServiceBusyException"
        assert "busy" in state["error"]
        state = await client.set("signIn", username="alice", password=STRONG)
        assert state["state"] == "signedIn", state


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_hashes_run_nicer_than_the_caller_and_leave_the_caller_alone() -> None:
    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    caller = niceness()
    gate = HashingGate(slots=1, niceness=5)
    try:
        assert gate.run(niceness) == min(19, caller + 5)
        assert niceness() == caller
        assert os.getpriority(os.PRIO_PROCESS, 0) == caller  # the process (its main thread) too
    finally:
        gate.close()
    with pytest.raises(ValueError):
        HashingGate(niceness=20)
