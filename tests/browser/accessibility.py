"""axe-core on every screen state the browser suite reaches (no tests here).

:func:`assert_accessible` injects ``node_modules/axe-core/axe.min.js`` (pinned
by package-lock.json, installed by ``make install-test``) into the page, runs
it over the whole document in the light and the dark colour scheme (one
browser call: the page's scheme is flipped and restored in place), and fails
on any *serious* or *critical* violation in either (the second scheme is
skipped for a state that looks like one already checked in both: same page,
width, language, theme and visible test hooks). Every run is also written
to ``test-artifacts/axe/<state>.json`` and ``<state>-dark.json``, so
``python tests/browser/accessibility.py`` can print the counts per rule over
the states the last run reached (the table the issue's closing note asks
for; also written to ``test-artifacts/axe-summary.json``).

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

_RUN_AXE: Final = """async (bothChecked) => {
  // Quasar's transitions (tab indicator, field label float, colours after a scheme flip) must have
  // settled: axe reads computed colours. Wait a frame, then until no finite animation runs (spinners
  // and carets loop forever) and the page's loading bar is idle (a request in flight is not a screen
  // state; idle, the bar is aria-hidden), at most 1 s.
  const busy = () => document.getAnimations().some(
    (a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity)
    || document.querySelector('.q-loading-bar:not([aria-hidden="true"])') !== null;
  const settle = async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    for (let i = 0; i < 20 && busy(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const isDark = () => document.body.classList.contains('body--dark');
  const check = async () => {
    const start = performance.now();
    await settle();
    const result = await axe.run(document, {resultTypes: ['violations']});
    return {dark: isDark(), ms: performance.now() - start, violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
    }))};
  };
  // Both colour schemes in one call: the scheme as shown, then the other one through NiceGUI's own
  // setDark (what ui.dark_mode and `serve --dark` call: Quasar's Dark plugin re-renders every dark-aware
  // component and toggles body.body--dark, the class the stylesheet keys on), then the page's own
  // setting back (true, false, or 'auto', which follows prefers-color-scheme again). Colour transitions
  // are off meanwhile: the end colours are the same, reached at once instead of after Quasar's 0.3-0.8 s
  // fades, twice per state. A constructed sheet, which the page's CSP does not govern.
  // What decides how a state looks, text aside: the page, its width, language and direction, the
  // brand and theme, and every visible test hook (screens, errors, notices, dialogs, passkeys). A
  // state that looks like one already checked in both schemes is checked in the shown one only.
  const root = document.querySelector('.na-root');
  const tokens = root ? getComputedStyle(root) : null;
  const fingerprint = JSON.stringify([
    location.pathname, innerWidth >= 600, document.documentElement.lang, document.documentElement.dir,
    root?.getAttribute('style') ?? '', tokens?.getPropertyValue('--na-brand-color') ?? '',
    tokens?.getPropertyValue('--na-brand-color-dark') ?? '',
    [...document.querySelectorAll('[data-testid]')].filter((e) => e.getClientRects().length > 0)
      .map((e) => e.dataset.testid + (e.dataset.screen ? '=' + e.dataset.screen : '')).sort(),
  ]);
  const mode = Quasar.Dark.mode;
  const shown = await check();
  shown.fingerprint = fingerprint;
  if (bothChecked.includes(fingerprint)) return [shown];
  const flipped = performance.now();
  const still = new CSSStyleSheet();
  still.replaceSync('*, *::before, *::after { transition: none !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
  setDark(!shown.dark);
  const other = await check();
  setDark(mode === 'auto' ? null : mode);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  void document.body.offsetHeight;  // the restored colours computed while transitions are still off
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== still);
  other.ms = performance.now() - flipped;  // the whole cost of the second scheme: flip, check, flip back
  return [shown, other];
}"""


def _axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `make install-test` (npm ci installs axe-core)")
    return AXE_JS.read_text()


# Fingerprints (see _RUN_AXE) of the states this process checked in both schemes.
_BOTH_CHECKED: Final[set[str]] = set()


def violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on ``page`` in the scheme shown, then in the other one (every impact).

    Each item is ``{"dark": bool, "ms": float, "violations": [...]}``; the page is left in its own
    scheme. The other scheme is skipped when a state that looks the same was checked in both.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Not a <script> tag: the hosted page's CSP (issue 11, finding 7) admits only
        # scripts carrying its nonce. An indirect eval runs axe in the page's global
        # scope, which the policy allows ('unsafe-eval' is there for Vue).
        page.evaluate("(source) => { (0, eval)(source); }", _axe_source())
    found: list[dict[str, Any]] = page.evaluate(_RUN_AXE, sorted(_BOTH_CHECKED))
    if len(found) == 2:
        if {scheme["dark"] for scheme in found} != {False, True}:  # the flip must really have happened
            raise AssertionError(f"axe-core saw one colour scheme only: {[s['dark'] for s in found]}")
        _BOTH_CHECKED.add(found[0]["fingerprint"])
    return found


def assert_accessible(page: Any, state: str) -> list[dict[str, Any]]:
    """Fail on any serious or critical axe-core violation on ``page``, light or dark; record them all.

    Every state is checked in both colour schemes (one browser call, see
    ``_RUN_AXE``) and recorded as ``state`` and ``state-dark``: two states;
    only the shown scheme when the same-looking state was checked in both.
    """
    REPORTS.mkdir(parents=True, exist_ok=True)
    lines = []
    found = []
    for scheme in violations(page):
        name = f"{state}-dark" if scheme["dark"] else state
        record = {"state": name, "ms": round(scheme["ms"]), "violations": scheme["violations"]}
        (REPORTS / f"{name}.json").write_text(json.dumps(record, indent=1))
        found += scheme["violations"]
        lines += [
            f"  {name}: {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. "
            f"{v['nodes'][0]['target']}: {v['nodes'][0]['summary']})"
            for v in scheme["violations"]
            if v["impact"] in FAILING_IMPACTS
        ]
    if lines and not REPORT_ONLY:
        raise AssertionError(f"axe-core on {state!r}:\n" + "\n".join(lines))
    return found


_IMPACT_ORDER: Final = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}


def counts(reports: Path = REPORTS) -> dict[str, Any]:
    """Counts per rule over the recorded states (every impact): states affected and elements flagged."""
    states = sorted(reports.glob("*.json"))
    per_rule: Counter[tuple[str, str]] = Counter()
    nodes: Counter[tuple[str, str]] = Counter()
    milliseconds = {"light": 0, "dark": 0}
    for path in states:
        record = json.loads(path.read_text())
        milliseconds["dark" if path.stem.endswith("-dark") else "light"] += record.get("ms", 0)
        for violation in record["violations"]:
            per_rule[(violation["impact"], violation["id"])] += 1
            nodes[(violation["impact"], violation["id"])] += len(violation["nodes"])
    rules = sorted(per_rule, key=lambda key: (_IMPACT_ORDER.get(key[0], 9), -per_rule[key], key[1]))
    return {
        "states": len(states),
        "dark_states": sum(1 for path in states if path.stem.endswith("-dark")),
        "serious_or_critical": sum(n for (impact, _), n in per_rule.items() if impact in FAILING_IMPACTS),
        # Time in the browser per scheme (the second one includes flipping there and back): what the
        # dark checks add, measured in the same run as the light ones, whatever the machine's load.
        "seconds": {scheme: round(ms / 1000, 1) for scheme, ms in milliseconds.items()},
        "rules": [
            {
                "impact": impact,
                "rule": rule,
                "states": per_rule[(impact, rule)],
                "nodes": nodes[(impact, rule)],
            }
            for impact, rule in rules
        ],
    }


def summary(reports: Path = REPORTS) -> str:
    """The counts as the Markdown table the issue's closing note quotes."""
    found = counts(reports)
    rows = [
        f"{found['states']} states ({found['dark_states']} of them dark); {found['serious_or_critical']} "
        "serious or critical violations (one per rule and state); axe-core time: "
        f"{found['seconds']['light']} s light, {found['seconds']['dark']} s dark",
        "| impact | rule | states | elements |",
        "|---|---|---|---|",
    ]
    rows += [f"| {r['impact']} | {r['rule']} | {r['states']} | {r['nodes']} |" for r in found["rules"]]
    return "\n".join(rows)


if __name__ == "__main__":
    # python tests/browser/accessibility.py [REPORTS_DIR]: the table of the last browser run, also
    # written as JSON to test-artifacts/axe-summary.json (what a closing note or a CI job can diff).
    reports = Path(sys.argv[1]) if len(sys.argv) > 1 else REPORTS
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "axe-summary.json").write_text(json.dumps(counts(reports), indent=1))
    print(summary(reports))
