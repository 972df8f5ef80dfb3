"""Shared helpers for the state-machine tests: fixture loading and machine drivers.

Kept free of assertions about behaviour; the tests say what they expect.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from nicegui_authenticator.state_machine import (
    AuthMachine,
    AuthState,
    CallGetAuthState,
    CallSetAuthState,
    Effect,
    Event,
    MachineConfig,
    ServerReplied,
    Start,
)
from recordings import recording_paths


@dataclass(frozen=True)
class Step:
    """One recorded exchange, reduced to what the client side sees."""

    file: str
    step: int
    note: str
    server: str
    method: str | None  # "authApi.setAuthState", "testApi.whoAmI", ... None for non-JSON bodies
    params: Any
    result: Any  # the JSON-RPC result (AuthState-shaped for authApi calls)
    rpc_error: Mapping[str, Any] | None

    @property
    def key(self) -> tuple[str, int]:
        return (self.file, self.step)

    @property
    def id(self) -> str:
        return f"{self.file.removesuffix('.jsonl')}#{self.step}"

    @property
    def is_set(self) -> bool:
        return self.method == "authApi.setAuthState" and isinstance(self.params, list)

    @property
    def is_get(self) -> bool:
        return self.method == "authApi.getAuthState" and self.params == []

    @property
    def payload(self) -> dict[str, Any]:
        assert self.is_set
        value = self.params[0]
        assert isinstance(value, dict)
        return value

    @property
    def reply_is_state(self) -> bool:
        return isinstance(self.result, dict) and "state" in self.result and self.method is not None

    @property
    def reply(self) -> AuthState:
        assert self.reply_is_state
        return AuthState.model_validate(self.result)

    @property
    def thin_retriable(self) -> bool:
        return self.reply_is_state and self.result.get("retriable") is True and not self.result.get("actions")


def _method(body: object) -> tuple[str | None, Any]:
    if isinstance(body, dict) and isinstance(body.get("method"), str):
        return body["method"], body.get("params")
    return None, None


@cache
def load_all() -> tuple[Step, ...]:
    steps: list[Step] = []
    for path in recording_paths():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            method, params = _method(record["request"]["body"])
            body = record["response"]["body"]
            result = body.get("result") if isinstance(body, dict) else None
            error = body.get("error") if isinstance(body, dict) else None
            steps.append(
                Step(
                    file=path.name,
                    step=record["step"],
                    note=record["note"],
                    server=record["server"],
                    method=method,
                    params=params,
                    result=result,
                    rpc_error=error,
                )
            )
    return tuple(steps)


def fixture_files() -> tuple[str, ...]:
    return tuple(p.name for p in recording_paths())


def step(file: str, number: int) -> Step:
    for s in load_all():
        if s.file == file and s.step == number:
            return s
    raise KeyError((file, number))


def reply_of(file: str, number: int) -> AuthState:
    return step(file, number).reply


# ---------------------------------------------------------------- hand-built


def field(
    name: str, label: str = "", type: str = "text", required: bool = True, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "label": label or name, "type": type, "required": required}
    out.update(extra)
    return out


def hidden(name: str, value: Any, label: str = "") -> dict[str, Any]:
    return field(name, label or name, "hidden", True, defaultValue=value)


def action(name: str, label: str = "", *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "label": label or name, "fields": list(fields)}
    out.update(extra)
    return out


def state(name: str, *actions: dict[str, Any], **extra: Any) -> AuthState:
    return AuthState.model_validate({"state": name, "actions": list(actions), **extra})


def challenge(
    challenge_name: str, label: str, *fields: dict[str, Any], session: str = "S-1", **extra: Any
) -> AuthState:
    """A confirmingSignIn state with the usual hidden session + challenge."""
    return state(
        "confirmingSignIn",
        action(
            "confirmSignIn",
            label,
            hidden("session", session, "Session"),
            hidden("challenge", challenge_name, "Challenge"),
            *fields,
            **extra,
        ),
    )


# ------------------------------------------------------------------ drivers


def started(reply: AuthState, config: MachineConfig | None = None) -> AuthMachine:
    """A machine that asked getAuthState and got ``reply`` (effects discarded)."""
    machine = AuthMachine(config=config or MachineConfig())
    machine, effects = machine.handle(Start())
    assert effects == (CallGetAuthState(),)
    machine, _ = machine.handle(ServerReplied(reply))
    return machine


def run(machine: AuthMachine, *events: Event) -> tuple[AuthMachine, list[Effect]]:
    """Apply events in order; return the last machine and every effect, in order."""
    out: list[Effect] = []
    for event in events:
        machine, effects = machine.handle(event)
        out.extend(effects)
    return machine, out


def only_call(effects: Iterable[Effect]) -> CallSetAuthState:
    calls = [e for e in effects if isinstance(e, CallSetAuthState | CallGetAuthState)]
    assert len(calls) == 1, effects
    call = calls[0]
    assert isinstance(call, CallSetAuthState), call
    return call


# Per fixture file: how many replies were classified, payloads reproduced, steps skipped.
# Filled by test_replay.py, printed by conftest.py at the end of the run.
REPLAY_COUNTS: dict[str, Counter[str]] = defaultdict(Counter)
SKIP_REASONS: dict[str, Counter[str]] = defaultdict(Counter)
