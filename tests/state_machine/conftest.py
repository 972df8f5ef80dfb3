"""Prints the fixture replay tally (filled by test_replay.py) at the end of the run."""

from __future__ import annotations

import pytest
from sm_support import REPLAY_COUNTS, SKIP_REASONS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPLAY_COUNTS and not SKIP_REASONS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("fixture replay")
    totals: dict[str, int] = {}
    for file in sorted(set(REPLAY_COUNTS) | set(SKIP_REASONS)):
        counts = REPLAY_COUNTS[file]
        skipped = sum(SKIP_REASONS[file].values())
        write(
            f"{file:48} classified {counts['classified']:3}  reproduced {counts['reproduced']:3}  "
            f"rpc errors {counts['rpc_error']:2}  skipped {skipped:2}"
        )
        for key in ("classified", "reproduced", "rpc_error"):
            totals[key] = totals.get(key, 0) + counts[key]
        totals["skipped"] = totals.get("skipped", 0) + skipped
    write(
        f"{'TOTAL':48} classified {totals['classified']:3}  reproduced {totals['reproduced']:3}  "
        f"rpc errors {totals['rpc_error']:2}  skipped {totals['skipped']:2}"
    )
    reasons: dict[str, int] = {}
    for per_file in SKIP_REASONS.values():
        for reason, count in per_file.items():
            reasons[reason] = reasons.get(reason, 0) + count
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        write(f"  skipped {count:2}: {reason}")
