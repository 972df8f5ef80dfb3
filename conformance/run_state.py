"""The bookkeeping of one check run: the current step, its deviations, and stopping a flow.

Flows are written as a person would act (``with run.step("sign-up", "confirm"):``);
:class:`RunState` labels every exchange inside the block with that step, adds
the wire-rule deviations the journal reports, and turns a broken expectation
(:meth:`RunState.expect`) or a stuck flow into a deviation. A failed step
stops its flow (:class:`FlowStopped`), because later steps would only
report the same fault again; the other flows still run.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from ..client.headless import AuthFlowError
from ..state_machine import InvalidTransition, translate
from .journal import Exchange, Journal
from .report import Deviation, Report, StepResult
from .wire_rules import WireRules


class FlowStopped(Exception):
    """A step failed; the rest of its flow is skipped."""


class StepSkipped(Exception):
    """The checker cannot take this step (no code source, no method it can answer): not a deviation."""


class RunState:
    """Ties the journal, the wire rules and the report together for one run."""

    def __init__(self, report: Report, journal: Journal, wire: WireRules) -> None:
        self.report = report
        self.journal = journal
        self._wire = wire
        self._current: StepResult | None = None
        self._seen: set[tuple[str, str, str]] = set()
        journal.listener = self._on_exchange

    def step(self, flow: str, name: str) -> _Step:
        return _Step(self, flow, name)

    def skip(self, flow: str, name: str, why: str) -> None:
        self.report.steps.append(StepResult(flow, name, "skipped", why))

    def expect(self, condition: bool, rule_id: str, detail: str, exchange: Exchange | None = None) -> None:
        """Record a deviation of ``rule_id`` unless ``condition`` holds, and stop the flow."""
        if condition:
            return
        self.deviate(rule_id, detail, exchange or self.journal.last)
        raise FlowStopped(detail)

    def deviate(self, rule_id: str, detail: str, exchange: Exchange | None = None) -> None:
        request = exchange.shown_request() if exchange is not None else None
        reply = exchange.shown_reply() if exchange is not None else None
        self._add(Deviation(rule_id, self.journal.step, detail, request, reply))

    def _on_exchange(self, exchange: Exchange) -> None:
        for deviation in self._wire.check(exchange):
            self._add(deviation)

    def _add(self, deviation: Deviation) -> None:
        # The same fault in every reply of a step is one finding, not twenty.
        key = (deviation.rule, deviation.step, deviation.detail)
        if key in self._seen:
            return
        self._seen.add(key)
        self.report.deviations.append(deviation)
        if self._current is not None:
            self._current.outcome = "deviation"

    def _enter(self, result: StepResult) -> None:
        self._current = result
        self.report.steps.append(result)
        self.journal.step = f"{result.flow}/{result.step}"

    def _exit(self, error: BaseException | None) -> bool:
        result = self._current
        try:
            if error is None:
                return False
            if isinstance(error, AuthFlowError | InvalidTransition):
                detail = _stuck(error) if isinstance(error, AuthFlowError) else _not_offered(error)
                self.deviate("R21", detail, self.journal.last)
            elif isinstance(error, StepSkipped):
                if result is not None and result.outcome == "ok":
                    result.outcome, result.note = "skipped", str(error)
                raise FlowStopped(str(error)) from None
            elif not isinstance(error, FlowStopped):
                return False  # a bug in the checker: let it surface
            if result is not None:
                result.outcome = "deviation"
            raise FlowStopped(str(error)) from None
        finally:
            self._current = None


class _Step:
    def __init__(self, run: RunState, flow: str, name: str) -> None:
        self._run = run
        self.result = StepResult(flow, name)

    def __enter__(self) -> StepResult:
        self._run._enter(self.result)
        return self.result

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        return self._run._exit(exc)


def _stuck(error: AuthFlowError) -> str:
    screen = error.screen
    message = translate(screen.error) if screen.error is not None else None
    said = f"; the server said {screen.error_name or ''} {message!r}" if message else ""
    return f"the flow stopped on screen {screen.name.value!r}{said}: {error}"[:400]


def _not_offered(error: InvalidTransition) -> str:
    return f"the reply did not offer what a client needs next ({error})"[:400]


def first_action_payload(exchange: Exchange | None) -> dict[str, Any]:
    """The setAuthState payload an exchange sent (empty for getAuthState and probes)."""
    request = exchange.request if exchange is not None else None
    params = request.get("params") if isinstance(request, dict) else None
    if isinstance(params, list) and params and isinstance(params[0], dict):
        return params[0]
    return {}
