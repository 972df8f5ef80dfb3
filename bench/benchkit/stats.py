"""Medians, spreads and the ratio table every bench prints.

Ratios are taken pair by pair (a row's sample over the baseline sample of the
same round, measured next to it) and the median of those is printed: a slow
moment of the shared machine then moves both sides of a pair, not the ratio.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def spread(values: Sequence[float]) -> str:
    """min-max, so a noisy row is visible as such."""
    if not values:
        return "-"
    return f"{_num(min(values))}-{_num(max(values))}"


def _num(value: float) -> str:
    if value != value:  # NaN
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@dataclass
class Row:
    """One measure: our samples and the baseline's, round by round."""

    name: str
    unit: str
    baseline_name: str
    ours: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    target: str = ""
    absolute: bool = False
    """The target bounds our own value (``<= 256`` MiB), not the ratio to the baseline."""

    def ratio(self) -> float:
        pairs = [o / b for o, b in zip(self.ours, self.baseline, strict=False) if b]
        return median(pairs)

    def met(self) -> str:
        """``yes``/``no`` against a ``<= x`` or ``>= x`` target; empty when there is none."""
        bound, _, number = self.target.partition(" ")
        if bound not in ("<=", ">=") or not number:
            return ""
        value = median(self.ours) if self.absolute else self.ratio()
        if value != value:  # NaN: nothing measured
            return "not measured"
        limit = float(number.split()[0].replace(",", ""))
        return "yes" if (value <= limit if bound == "<=" else value >= limit) else "no"


def print_table(title: str, rows: Sequence[Row]) -> None:
    print(title)
    head = f"{'measure':44} {'ours':>10} {'spread':>17} {'baseline':>10} {'spread':>17} {'ratio':>6}  target / baseline"
    print(head)
    print("-" * len(head))
    for row in rows:
        print(
            f"{row.name + ' (' + row.unit + ')':44} {_num(median(row.ours)):>10} {spread(row.ours):>17} "
            f"{_num(median(row.baseline)):>10} {spread(row.baseline):>17} {_num(row.ratio()):>6}  "
            f"{row.target} vs {row.baseline_name}"
        )
    print_markdown(rows)


def print_markdown(rows: Sequence[Row]) -> None:
    """The same rows as a Markdown table, ready to paste into the README's Performance section."""
    print("\n| measure | ours | baseline | ratio | target | met? |\n|---|---|---|---|---|---|")
    for row in rows:
        target = f"{row.target} {row.unit}" if row.absolute else f"{row.target} x"
        ratio = "" if row.absolute and not row.baseline else _num(row.ratio())
        print(
            f"| {row.name} ({row.unit}) | {_num(median(row.ours))} ({spread(row.ours)}) | "
            f"{_num(median(row.baseline))} ({row.baseline_name}) | {ratio} | "
            f"{target if row.target else ''} | {row.met()} |"
        )
