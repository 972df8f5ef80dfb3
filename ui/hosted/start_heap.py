"""The objects ``serve`` makes while it starts live as long as it does: keep the cyclic collector off them.

Importing NiceGUI, the backend and the screens, then building the app, makes
about 180,000 container objects that stay until the process ends. With the
collector on, their number alone sets off full collections during the start
(two of ~100 ms each on the 2-core VM, issue 15), which find almost nothing
(~2,000 objects of import-time garbage), and every later full collection
walks all of them again while a page waits on the event loop.

So the start runs with the collector paused, then :func:`gc.freeze` moves
everything made so far into the permanent generation that collections skip,
and the collector resumes before the first request. The start's own garbage
(a few thousand objects) is kept once, instead of being looked for again and
again. This is the pattern Python's documentation gives for pre-forking
servers (``gc.freeze``); nothing outside this process is affected.
"""

from __future__ import annotations

import gc


def pause_collection() -> None:
    """Turn the cyclic collector off for the start (reference counting still frees almost everything)."""
    gc.disable()


def freeze_and_resume_collection() -> None:
    """Exempt every object made so far from later collections, then turn the collector back on."""
    gc.freeze()
    gc.enable()
