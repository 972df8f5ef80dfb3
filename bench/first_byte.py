"""Time to first byte of the page's HTML, and the server CPU behind it: ours, the mirror page, the bare page.

Run: ``python bench/first_byte.py [ROUNDS]`` (default 40 rounds, about fifteen seconds).

``bench/page.py`` measures TTFB in Chromium, five rounds, where one busy moment
of the shared machine moves a row by 2x. Here each round is one plain GET per
page (fresh cookies: every GET is a new visitor, as in the issue's row), the
three pages in turns, so the medians of many rounds show where a page's first
byte waits:

* ours: ``nicegui-authenticator serve`` (embedded backend, development mode);
* the mirror page (``benchkit/bare_page.py`` ``/mirror``): our sign-in page's
  element kinds and nesting in plain NiceGUI, no logic: what NiceGUI itself
  costs for the page we show;
* the bare page: one label, one input.

Ours against the bare page is the issue-15 target (<= 1.5x); the mirror against
the bare page is NiceGUI's share of it, ours against the mirror our own. The
server CPU per GET (user + system from /proc) is the figure the machine's load
barely moves.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx
from benchkit.host import describe_host
from benchkit.server_cpu import cpu_seconds
from benchkit.servers import Server, start_bare, start_serve
from benchkit.stats import Row, print_table


def _first_byte_ms(url: str) -> float:
    """Milliseconds from sending a fresh visitor's GET to the response's headers (the body is then read)."""
    with httpx.Client() as client:
        started = time.perf_counter()
        with client.stream("GET", url) as response:
            elapsed = time.perf_counter() - started
            response.read()
            response.raise_for_status()
    return elapsed * 1000


def _sample(server: Server, url: str) -> tuple[float, float]:
    """One GET: its time to first byte and the server CPU it took (in 10 ms ticks), in ms."""
    before = cpu_seconds(server)
    ttfb = _first_byte_ms(url)
    return ttfb, (cpu_seconds(server) - before) * 1000


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    rows = {
        "ours": Row("HTML time to first byte, one GET", "ms", "bare page", target="<= 1.5"),
        "mirror": Row("  mirror page (our elements, plain NiceGUI)", "ms", "bare page"),
        "ours_mirror": Row("  ours against the mirror page", "ms", "mirror page"),
        "cpu": Row("server CPU per GET (all rounds' total / rounds)", "ms", "bare page"),
        "cpu_mirror": Row("  mirror page", "ms", "bare page"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        serve = start_serve(Path(tmp) / "serve")
        bare = start_bare(Path(tmp) / "bare")
        try:
            pages = {
                "ours": (serve, serve.url + "/"),
                "mirror": (bare, bare.url + "/mirror"),
                "bare": (bare, bare.url + "/"),
            }
            for server, url in pages.values():  # warm up: first builds, imports, caches
                for _ in range(5):
                    _sample(server, url)
            cpu = dict.fromkeys(pages, 0.0)
            for n in range(rounds):
                order = list(pages.items()) if n % 2 else list(reversed(pages.items()))
                got = {name: _sample(server, url) for name, (server, url) in order}
                rows["ours"].ours.append(got["ours"][0])
                rows["ours"].baseline.append(got["bare"][0])
                rows["mirror"].ours.append(got["mirror"][0])
                rows["mirror"].baseline.append(got["bare"][0])
                rows["ours_mirror"].ours.append(got["ours"][0])
                rows["ours_mirror"].baseline.append(got["mirror"][0])
                for name, (_, used) in got.items():
                    cpu[name] += used
            # /proc counts in 10 ms ticks: one GET reads as 0 or 10, so only the totals are figures.
            rows["cpu"].ours.append(cpu["ours"] / rounds)
            rows["cpu"].baseline.append(cpu["bare"] / rounds)
            rows["cpu_mirror"].ours.append(cpu["mirror"] / rounds)
            rows["cpu_mirror"].baseline.append(cpu["bare"] / rounds)
        finally:
            serve.stop()
            bare.stop()
    print(f"machine: {describe_host()}")
    print_table(
        f"{rounds} rounds of one GET per page, in turns; ratio = median of per-round ratios",
        list(rows.values()),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
