"""Process start to first 200: ``nicegui-authenticator serve`` against the bare NiceGUI page's process, same run.

Run: ``python bench/start.py [ROUNDS]`` (default 10 rounds, about half a minute).

Each round starts the real ``serve`` (embedded backend, development mode, a new
data folder) and ``benchkit/bare_page.py`` (one label, one input) in turns, the
order flipping every round, and times each from ``Popen`` to the first 200 on
``/``. One unmeasured start of each comes first: it fills the OS file cache and
writes the bytecode caches an installed package has from ``pip install``.

Rows:

* wall-clock start to first 200 (the issue-15 target, <= 1.3x the bare page);
* the process's own CPU seconds (user + system, from /proc) at its first 200:
  what the start costs, which the shared machine's load barely moves, so it is
  the figure to develop against while wall clock swings with the neighbours.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchkit.host import describe_host
from benchkit.server_cpu import cpu_seconds
from benchkit.servers import Server, start_bare, start_serve
from benchkit.stats import Row, print_table


def _one(start: str, workdir: Path) -> Server:
    return start_serve(workdir) if start == "serve" else start_bare(workdir)


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    wall = Row("process start to first 200", "ms", "bare page process", target="<= 1.3")
    cpu = Row("  its CPU (user + system) at first 200", "ms", "bare page process")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for kind in ("serve", "bare"):
            _one(kind, workdir / f"warm-{kind}").stop()
        for n in range(rounds):
            order = ["serve", "bare"] if n % 2 == 0 else ["bare", "serve"]
            for kind in order:
                server = _one(kind, workdir / f"{kind}-{n}")
                used = cpu_seconds(server)
                server.stop()
                (wall.ours if kind == "serve" else wall.baseline).append(server.start_seconds * 1000)
                (cpu.ours if kind == "serve" else cpu.baseline).append(used * 1000)
    print_table(f"process start, {rounds} rounds", [wall, cpu])
    print(f"machine: {describe_host()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
