"""Cost of the one password policy: the common-password list's load, and each check.

Run: ``python bench/password_policy.py`` (a few seconds). Measured, each
against a baseline taken in the same run:

* load: a fresh interpreter imports the core (the baseline: what every user of
  the package pays), then runs the first common-password check, which imports,
  decompresses and indexes the list; printed as milliseconds and as a ratio of
  the import;
* memory held by the loaded list (tracemalloc, in this process);
* one check: ``unmet_requirements`` with every character class required (the
  baseline) and the same policy plus the list, over a mix of passwords (common,
  decorated, long passphrases, non-Latin); printed as microseconds per check and
  as a ratio.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import timeit
import tracemalloc

from nicegui_authenticator.state_machine.common_passwords import common_passwords, is_common
from nicegui_authenticator.state_machine.password_policy import PasswordPolicy, unmet_requirements

RUNS = 5
PASSWORDS = (
    "Password1!",
    "P@ssw0rd",
    "Qwerty123!",
    "Tangerine-Kite-7",
    "correct horse battery staple",
    "Ünïcødé-Пароль-密码-7",
    "x" * 64,
    "!!letmein??",
)
FRESH = """
import json, time
t0 = time.perf_counter()
import nicegui_authenticator.state_machine
t1 = time.perf_counter()
from nicegui_authenticator.state_machine.common_passwords import is_common
is_common("warm-up")
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1}))
"""


def fresh_interpreter_times() -> tuple[float, float]:
    """Median (import, first-check load) seconds over RUNS fresh interpreters."""
    imports, loads = [], []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, check=True)
        times = json.loads(out.stdout)
        imports.append(times["import"])
        loads.append(times["load"])
    return statistics.median(imports), statistics.median(loads)


def list_memory() -> int:
    """Bytes still held once the list is loaded (the decompression buffers are freed)."""
    common_passwords.cache_clear()
    tracemalloc.start()
    common_passwords()
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current


def per_check_us(policy: PasswordPolicy) -> float:
    number = 2000
    best = min(
        timeit.repeat(lambda: [unmet_requirements(p, policy) for p in PASSWORDS], number=number, repeat=RUNS)
    )
    return best / (number * len(PASSWORDS)) * 1e6


def main() -> None:
    imported, loaded = fresh_interpreter_times()
    print(f"import the core (fresh interpreter, median of {RUNS}): {imported * 1e3:7.1f} ms  (baseline)")
    print(
        f"first common-password check (load):      {loaded * 1e3:7.1f} ms  ({loaded / imported:.1f}x the import)"
    )
    memory = list_memory()
    print(f"list in memory: {len(common_passwords()):,} passwords, {memory / 2**20:.1f} MiB")
    assert is_common("Password1!") and not is_common("Tangerine-Kite-7")
    classes = PasswordPolicy(
        require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
    )
    with_list = PasswordPolicy(
        require_lowercase=True,
        require_uppercase=True,
        require_digits=True,
        require_symbols=True,
        reject_common=True,
    )
    base = per_check_us(classes)
    full = per_check_us(with_list)
    print(f"check, every class (baseline):           {base:7.2f} µs")
    print(f"check, every class + common list:        {full:7.2f} µs  ({full / base:.2f}x)")
    number = 20000
    alone = min(timeit.repeat(lambda: [is_common(p) for p in PASSWORDS], number=number, repeat=RUNS))
    alone_us = alone / (number * len(PASSWORDS)) * 1e6
    print(
        f"is_common alone:                         {alone_us:7.2f} µs  ({alone_us / base:.2f}x the baseline)"
    )


if __name__ == "__main__":
    main()
