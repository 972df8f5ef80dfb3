"""What languages cost: one ``translate`` call per language and kind of message, and loading the catalogs.

Run: ``python bench/translate.py`` (a few seconds). The baseline, measured in
the same run, is the English default: ``translate(msg("screen.sign_in"))``
with no catalog, what every screen paid before there were languages. Printed
as ratios to it:

* a plain message from a shipped catalog (German, Arabic);
* a counting message (``policy.min_length``): Babel's CLDR rule picks the form;
* a catalog layered with a host app's overrides;
* importing ``state_machine.catalogs`` (all 24 catalogs) in a fresh interpreter,
  against importing ``state_machine`` alone.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable


def _per_call(call: Callable[[], object], number: int = 20_000) -> float:
    """Best of five runs, seconds per call."""
    return min(timeit.repeat(call, number=number, repeat=5)) / number


def _import_seconds(module: str) -> float:
    """Median wall time of ``import module`` in a fresh interpreter (five runs)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]  # fmt: skip
    return statistics.median(runs)


def main() -> None:
    from nicegui_authenticator.state_machine import translate
    from nicegui_authenticator.state_machine.catalogs import catalog_for
    from nicegui_authenticator.state_machine.messages import msg

    heading, count = msg("screen.sign_in"), msg("policy.min_length", count="8")
    german, arabic, russian = catalog_for("de"), catalog_for("ar"), catalog_for("ru")
    layered = german.layered({"tab.sign_in": "Einloggen"})
    baseline = _per_call(lambda: translate(heading))
    rows = {
        "English, no catalog (baseline)": baseline,
        "German catalog, plain": _per_call(lambda: translate(heading, german)),
        "Arabic catalog, plain": _per_call(lambda: translate(heading, arabic)),
        "English, counting (CLDR plural)": _per_call(lambda: translate(count)),
        "Russian, counting (CLDR plural)": _per_call(lambda: translate(count, russian)),
        "Arabic, counting (CLDR plural)": _per_call(lambda: translate(count, arabic)),
        "German layered with overrides": _per_call(lambda: translate(heading, layered)),
    }
    print(f"{'translate() per call':40} {'µs':>8} {'x baseline':>11}")
    for name, seconds in rows.items():
        print(f"{name:40} {seconds * 1e6:8.2f} {seconds / baseline:11.2f}")

    core = _import_seconds("nicegui_authenticator.state_machine")
    with_catalogs = _import_seconds("nicegui_authenticator.state_machine.catalogs")
    print(f"\n{'fresh-interpreter import':40} {'ms':>8} {'x core':>11}")
    print(f"{'state_machine (baseline)':40} {core * 1e3:8.1f} {1.0:11.2f}")
    print(
        f"{'state_machine.catalogs (24 languages)':40} {with_catalogs * 1e3:8.1f} {with_catalogs / core:11.2f}"
    )


if __name__ == "__main__":
    main()
