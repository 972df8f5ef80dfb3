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


def collect_less_often() -> None:
    """Once the server is up: freeze what NiceGUI's start made too, and collect less often (issue 15).

    What exists once the server is up (modules, the backend, NiceGUI) is frozen out of
    the collector's reach, so a full collection walks only what visitors made: it was a
    fifth of a screen change's CPU, and a pause in whatever request it hit. A page build
    or a screen change makes a few thousand objects, most of them gone by refcount at its
    end; at Python's default (a young collection every 700 allocations) several
    collections ran inside each one and promoted what was alive towards the costly older
    collections. Measured with gc callbacks in ``serve`` (150 visits, 600 local screen
    changes): collection time per visit 3.0 -> 0.9 ms, per screen change 0.8 -> 0.1 ms; a
    young collection now pauses about 1 ms (2 at most), an older one 10-30 ms, ten times
    less often. At 20,000 the young pauses grew to 5-18 ms, so not more than this.
    """
    gc.freeze()
    gc.set_threshold(5_000, 10, 10)
