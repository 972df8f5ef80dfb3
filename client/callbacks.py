"""Call a function the library user handed us, whether it is sync or async.

Every shell accepts user callbacks (``on_auth_change``, a code source, a page
function, a fake backend's methods) and promises the same thing about each:
a plain function is called, a coroutine function is called and awaited. That
promise lives here once, so the shells cannot drift apart on it.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def call_handler(handler: Callable[P, T | Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Call ``handler``; if what it returns is awaitable, await it. Returns the final value."""
    result = handler(*args, **kwargs)
    if inspect.isawaitable(result):
        return await result
    return result
