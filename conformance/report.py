"""What a check run found: the steps it took and the deviations it met, as a table or JSON.

A :class:`Deviation` carries everything a server author needs to reproduce
it without rerunning the checker: the step, the request sent (secrets
redacted), the reply received and the rule of ``docs/protocol.md`` it breaks.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .rules import rule

Outcome = Literal["ok", "deviation", "skipped"]

_SHOWN_CHARS = 600  # a reply in the table is cut here; --json has all of it


@dataclass(frozen=True)
class Deviation:
    """One place where the server broke a rule."""

    rule: str
    step: str
    detail: str
    request: Any = None
    reply: Any = None

    @property
    def title(self) -> str:
        return rule(self.rule).title


@dataclass
class StepResult:
    """One step of one flow, as the table lists it."""

    flow: str
    step: str
    outcome: Outcome = "ok"
    note: str = ""


@dataclass
class Report:
    """The whole run: the endpoint, what the server offered, every step and deviation."""

    endpoint: str
    namespace: str
    offers: dict[str, Any] = field(default_factory=dict)
    steps: list[StepResult] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.deviations

    def rules_broken(self) -> set[str]:
        return {d.rule for d in self.deviations}

    def to_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "namespace": self.namespace,
            "ok": self.ok,
            "offers": self.offers,
            "steps": [asdict(s) for s in self.steps],
            "deviations": [{**asdict(d), "title": d.title} for d in self.deviations],
        }

    def to_table(self) -> str:
        """The human-readable report: offers, a table of steps, then each deviation in full."""
        lines = [f"setAuthState conformance: {self.endpoint} (namespace {self.namespace})"]
        if self.offers:
            lines.append("offers: " + ", ".join(f"{k}={_short(v)}" for k, v in self.offers.items()))
        lines.append("")
        rows = [("flow", "step", "result", "note")]
        marks = {"ok": "ok", "deviation": "FAIL", "skipped": "skip"}
        rows += [(s.flow, s.step, marks[s.outcome], s.note) for s in self.steps]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        for index, row in enumerate(rows):
            cells = [row[i].ljust(widths[i]) for i in range(3)]
            lines.append("  ".join([*cells, row[3]]).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in widths) + "  ----")
        lines.append("")
        counts = {o: sum(s.outcome == o for s in self.steps) for o in ("ok", "deviation", "skipped")}
        lines.append(
            f"{counts['ok']} ok, {counts['deviation']} failed, {counts['skipped']} skipped; "
            f"{len(self.deviations)} deviation(s)"
        )
        for number, deviation in enumerate(self.deviations, 1):
            lines += [
                "",
                f"[{number}] {deviation.rule} {deviation.title}",
                f"    at:      {deviation.step}",
                f"    what:    {deviation.detail}",
            ]
            if deviation.request is not None:
                lines.append(f"    request: {_cut(deviation.request)}")
            if deviation.reply is not None:
                lines.append(f"    reply:   {_cut(deviation.reply)}")
            lines.append(f"    rule:    {rule(deviation.rule).anchor}")
        return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "+".join(str(v) for v in value) or "none"
    return str(value)


def _cut(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + f"… ({len(text)} chars)"
