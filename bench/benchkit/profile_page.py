"""Where the page server's time goes: py-spy on ``serve`` while visitors load the page or change screen.

Run: ``python bench/benchkit/profile_page.py build|navigate [SECONDS] [STACKS_FILE]`` (needs ``make install-bench``
for py-spy). ``build``: emulated visitors (``emulated.py``) open the page one after another, each with
fresh cookies, and leave (the page function, the first getAuthState, the handshake). ``navigate``: one
visitor goes to "Forgot password" and back again and again (a local screen change, no backend call).
Prints the functions holding the most busy samples, inclusive and self; the idle event loop and
idle worker threads are left out, so percentages are of the time the process was working.

It is a tool for the closing note of a speed change (issue 15), not one of ``make bench``'s rows.
"""

from __future__ import annotations

import asyncio
import collections
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: bench/ holds benchkit
from benchkit.emulated import EmulatedBrowser
from benchkit.servers import Server, start_serve

PY_SPY = str(Path(sys.executable).parent / "py-spy")
# Frames where a sample means "waiting", not "working" (py-spy's own idle check misses these here).
_IDLE = (
    "_worker (concurrent/futures/thread.py:81)",
    "Runner.run (asyncio/runners.py:118)",
    "select (selectors.py",
    "Outbox.loop (nicegui/outbox.py",
    "sleep (asyncio/tasks.py",
)
_NOISE = ("site-packages/", "python3.11/", str(Path(__file__).resolve().parents[2]) + "/")


def _short(frame: str) -> str:
    for prefix in _NOISE:
        frame = frame.split(prefix)[-1] if prefix in frame else frame
    return frame


def top_lines(raw: str, count: int = 30) -> list[str]:
    """py-spy's collapsed stacks (``--format raw``) as the top ``count`` functions by busy samples."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in raw.splitlines():
        stack, _, samples = line.rpartition(" ")
        frames = [_short(f) for f in stack.split(";")]
        if not samples.isdigit() or any(frames[-1].startswith(idle) for idle in _IDLE):
            continue
        n = int(samples)
        busy += n
        for name in {f.rsplit(":", 1)[0] + ")" for f in frames[1:]}:
            inclusive[name] += n
        own[frames[-1]] += n
    out = [f"busy samples {busy}", "-- inclusive"]
    out += [f"{n / busy * 100:5.1f}% {name}" for name, n in inclusive.most_common(count)]
    out += ["-- self"]
    out += [f"{n / busy * 100:5.1f}% {name}" for name, n in own.most_common(count // 2)]
    return out


async def _build(serve: Server, until: float) -> int:
    visits = 0
    while time.perf_counter() < until:
        browser = EmulatedBrowser(serve.url)
        await browser.open()
        await browser.wait_screen("sign_in")
        await browser.close()
        visits += 1
    return visits


async def _navigate(serve: Server, until: float) -> int:
    browser = EmulatedBrowser(serve.url)
    await browser.open()
    await browser.wait_screen("sign_in")
    changes = 0
    while time.perf_counter() < until:
        await browser.click_until(
            "authenticator-link-forgotPassword", lambda: browser.screen() == "forgot_password"
        )
        await browser.click_until("authenticator-link-backToSignIn", lambda: browser.screen() == "sign_in")
        changes += 2
    await browser.close()
    return changes


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "build"
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20
    work = {"build": _build, "navigate": _navigate}[what]
    with tempfile.TemporaryDirectory() as tmp:
        serve = start_serve(Path(tmp) / "serve")
        out = Path(tmp) / "stacks.txt"
        try:
            asyncio.run(work(serve, time.perf_counter() + 2))  # warm up, unprofiled
            spy = subprocess.Popen(
                [
                    PY_SPY,
                    "record",
                    "--format",
                    "raw",
                    "--rate",
                    "250",
                    "--output",
                    str(out),
                    "--pid",
                    str(serve.process.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)
            done = asyncio.run(work(serve, time.perf_counter() + seconds))
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=30)
        finally:
            serve.stop()
        print(f"{what}: {done} in {seconds:.0f} s ({done / seconds:.1f}/s)")
        print("\n".join(top_lines(out.read_text())))
        if len(sys.argv) > 3:  # keep the collapsed stacks (e.g. for a flame graph)
            Path(sys.argv[3]).write_text(out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
