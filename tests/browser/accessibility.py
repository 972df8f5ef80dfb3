"""axe-core on every screen state the browser suite reaches (no tests here).

:func:`assert_accessible` injects ``node_modules/axe-core/axe.min.js`` (pinned
by package-lock.json, installed by ``make install-test``) into the page, runs
it over the whole document and fails on any *serious* or *critical*
violation. Every run is also written to ``test-artifacts/axe/<state>.json``,
so ``python tests/browser/accessibility.py`` can print the counts per rule
over the states the last run reached (the table the issue's closing note
asks for).

``NICEGUI_AUTHENTICATOR_AXE_REPORT_ONLY=1`` records without failing: it is how
the counts of a page that still has violations are measured, never how CI runs.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[2]
AXE_JS: Final = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORTS: Final = ROOT / "test-artifacts" / "axe"
FAILING_IMPACTS: Final = frozenset({"serious", "critical"})
REPORT_ONLY: Final = os.environ.get("NICEGUI_AUTHENTICATOR_AXE_REPORT_ONLY") == "1"

_RUN_AXE: Final = """async () => {
  // Quasar's transitions (tab indicator, field label float) must have settled: axe reads computed
  // colours. Wait until no finite animation runs (spinners and carets loop forever), at most 1 s.
  const busy = () => document.getAnimations().some(
    (a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  for (let i = 0; i < 20 && busy(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def _axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `make install-test` (npm ci installs axe-core)")
    return AXE_JS.read_text()


def violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on ``page`` as it is now (every impact)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe_source())
    found: list[dict[str, Any]] = page.evaluate(_RUN_AXE)
    return found


def _scheme(page: Any) -> str:
    dark = page.evaluate("() => document.body.classList.contains('body--dark')")
    return "dark" if dark else "light"


def assert_accessible(page: Any, state: str) -> list[dict[str, Any]]:
    """Fail on any serious or critical axe-core violation on ``page``; record them all under ``state``.

    The record's name gets ``-dark`` when the page is in dark mode, so the same
    step checked in both colour schemes is counted as two states.
    """
    found = violations(page)
    name = state if _scheme(page) == "light" else f"{state}-dark"
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.json").write_text(json.dumps({"state": name, "violations": found}, indent=1))
    failing = [v for v in found if v["impact"] in FAILING_IMPACTS]
    if failing and not REPORT_ONLY:
        lines = [
            f"  {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']}: "
            f"{v['nodes'][0]['summary']})"
            for v in failing
        ]
        raise AssertionError(f"axe-core on {name!r}:\n" + "\n".join(lines))
    return found


def summary(reports: Path = REPORTS) -> str:
    """Counts per rule over the recorded states: states affected, and by impact."""
    states = sorted(reports.glob("*.json"))
    per_rule: Counter[tuple[str, str]] = Counter()
    for path in states:
        for violation in json.loads(path.read_text())["violations"]:
            per_rule[(violation["impact"], violation["id"])] += 1
    serious = sum(n for (impact, _), n in per_rule.items() if impact in FAILING_IMPACTS)
    rows = [f"{len(states)} states; {serious} serious or critical violations (one per rule and state)"]
    rows.append("| impact | rule | states |")
    rows.append("|---|---|---|")
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    for (impact, rule), count in sorted(per_rule.items(), key=lambda kv: (order.get(kv[0][0], 9), -kv[1])):
        rows.append(f"| {impact} | {rule} | {count} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(summary(Path(sys.argv[1]) if len(sys.argv) > 1 else REPORTS))
