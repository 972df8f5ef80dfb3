"""Server CPU per visit and per screen change, read from /proc: a figure the shared machine's load barely moves.

Wall-clock rows on a 2-core machine shared by other work swing with the
neighbours; CPU seconds spent by the server process (user + system, from
``/proc/PID/stat``) count only its own work. Each sample is one batch of
emulated visitors (``emulated.py``), ours and the bare page's in turns.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from benchkit.emulated import EmulatedBrowser
from benchkit.servers import Server

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server: Server) -> float:
    """User + system seconds the server process has used so far."""
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


async def _visits(url: str, count: int, first_screen: str | None) -> None:
    for _ in range(count):
        browser = EmulatedBrowser(url)
        await browser.open()
        if first_screen is not None:
            await browser.wait_screen(first_screen)
        await browser.close()


async def _our_changes(server: Server, count: int) -> float:
    browser = EmulatedBrowser(server.url)
    await browser.open()
    await browser.wait_screen("sign_in")
    before = cpu_seconds(server)
    for _ in range(count // 2):
        await browser.click_until(
            "authenticator-link-forgotPassword", lambda: browser.screen() == "forgot_password"
        )
        await browser.click_until("authenticator-link-backToSignIn", lambda: browser.screen() == "sign_in")
    used = cpu_seconds(server) - before
    await browser.close()
    return used


async def _bare_changes(server: Server, count: int) -> float:
    browser = EmulatedBrowser(server.url)
    await browser.open()
    before = cpu_seconds(server)
    for n in range(1, count + 1):

        def shown(n: int = n) -> bool:
            found = browser.find("bare-next-input")
            return found is not None and found[1]["props"].get("data-round") == str(n)

        await browser.click_until("bare-next", shown)
    used = cpu_seconds(server) - before
    await browser.close()
    return used


def per_visit_ms(server: Server, count: int, *, ours: bool, path: str = "/") -> float:
    """Server CPU ms per visit: GET the page, open its socket, see the first screen, leave."""
    before = cpu_seconds(server)
    asyncio.run(_visits(server.url + path, count, "sign_in" if ours else None))
    return (cpu_seconds(server) - before) / count * 1000


def per_change_ms(server: Server, count: int, *, ours: bool) -> float:
    """Server CPU ms per screen change: ours forgot-password and back, the bare page's Next."""
    used = asyncio.run(_our_changes(server, count) if ours else _bare_changes(server, count))
    return used / count * 1000
