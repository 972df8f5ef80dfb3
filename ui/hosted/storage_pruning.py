"""Remove per-browser storage files of visitors who hold no sign-in (issue 11, finding 6).

NiceGUI keeps ``app.storage.user`` as one file per browser (``storage-user-<id>.json``)
and never deletes one. The hosted page no longer writes an empty cookie jar,
so a plain page load leaves nothing; but a visitor who started a sign-in and
left (a challenge cookie), or signed out, still leaves a file, and a stream of
such visitors would fill the disk. This pruner removes the files that

* were not written for ``older_than`` seconds (a visit in progress is left alone), and
* hold no cookie jar with a cookie still alive, i.e. carry no sign-in.

A file it cannot read as that format (another app's data, a jar sealed by a
later version) is kept: deleting a signed-in person's storage signs them out,
keeping an anonymous one only costs disk.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from ..session.browser_session import STORAGE_PREFIX

logger = logging.getLogger(__name__)

USER_STORAGE_GLOB: Final = "storage-user-*.json"
DEFAULT_OLDER_THAN: Final = 6 * 3600.0
DEFAULT_INTERVAL: Final = 15 * 60.0


def holds_no_sign_in(data: object, now: float) -> bool | None:
    """True when no stored jar has a live cookie; None when ``data`` is not a storage we can read."""
    if not isinstance(data, Mapping):
        return None
    for key, jar in data.items():
        if not str(key).startswith(STORAGE_PREFIX):
            continue
        cookies = jar.get("cookies") if isinstance(jar, Mapping) else None
        if not isinstance(cookies, list):
            return None  # not the plain jar format: cannot tell, keep it
        for cookie in cookies:
            expires = cookie.get("expires") if isinstance(cookie, Mapping) else None
            if expires is None or (isinstance(expires, int | float) and expires > now):
                return False
    return True


def prune_anonymous_storage(directory: Path, *, older_than: float, now: float | None = None) -> list[Path]:
    """Delete the user storage files in ``directory`` that are idle and carry no sign-in; the removed paths."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    for path in directory.glob(USER_STORAGE_GLOB):
        try:
            if path.stat().st_mtime > now - older_than:
                continue
            anonymous = holds_no_sign_in(json.loads(path.read_text(encoding="utf-8")), now)
        except (OSError, ValueError):
            continue
        if anonymous:
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        logger.info("removed %d idle browser storage files without a sign-in", len(removed))
    return removed


async def prune_periodically(
    directory: Path, *, older_than: float = DEFAULT_OLDER_THAN, interval: float = DEFAULT_INTERVAL
) -> None:
    """Run :func:`prune_anonymous_storage` every ``interval`` seconds, off the event loop, until cancelled."""
    while True:
        await asyncio.to_thread(prune_anonymous_storage, directory, older_than=older_than)
        await asyncio.sleep(interval)
