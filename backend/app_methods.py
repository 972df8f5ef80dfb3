"""An app's own API on the auth endpoint, guarded by the session, as AWS Blocks apps have it.

An AWS Blocks backend exports ``authApi`` next to the app's ``api`` and guards
``api.getProfile`` with ``requireAuth``: one endpoint, one session cookie. This
module is the reference backend's version of that. A handler is registered
under its full JSON-RPC name and receives the signed-in person first::

    @backend.method("api.getProfile")
    async def get_profile(user: AuthUser) -> dict[str, str]:
        return {"name": user.username}

What a caller gets, and why:

* No session (or a revoked one): code 401, ``Authentication required``, with
  the name the recorded servers use for ``requireAuth``: ``SessionExpiredException``
  from AuthBasic (``basic_signup_confirm_signin_signout.jsonl`` step 11),
  ``NotAuthenticatedException`` from AuthCognito (``cognito_opt_errors.jsonl``
  step 5). HTTP 200, as recorded. A stale cookie is cleared, as getAuthState does.
* Signed in but in none of the method's ``groups``: code 403
  ``ForbiddenException`` (not in the recordings, which have no groups; the name
  follows Cognito's naming).
* A handler raising :class:`MethodError`: that code, message and name.
* Anything else a handler raises, or a result JSON cannot carry: -32603
  ``Internal error``, with the exception type and code locations in the server
  log only (never the message, which may quote request data).

Sync handlers run in a worker thread (they may block); async ones on the loop.
"""

from __future__ import annotations

import inspect
import json
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import anyio.to_thread

from ..state_machine.protocol import AuthUser
from . import rpc
from .context import Request
from .groups import check_group_name

AppHandler = Callable[..., Awaitable[Any] | Any]
"""``handler(user: AuthUser, *params)``, sync or async, returning anything JSON can carry."""

NOT_SIGNED_IN_MESSAGE: Final = "Authentication required"
NOT_SIGNED_IN_NAME: Final = {"basic": "SessionExpiredException", "cognito": "NotAuthenticatedException"}
FORBIDDEN: Final = 403
_log = logging.getLogger(__name__)


class MethodError(Exception):
    """Raise in a handler to answer a JSON-RPC error of the app's choosing (``404 NotFound``)."""

    def __init__(self, code: int, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.name = name


@dataclass(frozen=True)
class AppMethod:
    name: str
    handler: AppHandler
    groups: frozenset[str] | None  # None: any signed-in person; else any one of these groups


@dataclass(frozen=True)
class Caller:
    """Who is calling, as the session says: None when nobody is signed in."""

    user: AuthUser | None
    stale_cookie: bool  # a cookie came along but names no live session: clear it


@dataclass(frozen=True)
class Answer:
    envelope: dict[str, Any]
    end_session: bool = False


class AppMethods:
    """The registry of one backend's app methods, and the rules every call to them follows."""

    def __init__(self, auth_namespace: str, mode: str) -> None:
        self._auth_namespace = auth_namespace
        self._mode = mode
        self._methods: dict[str, AppMethod] = {}

    @property
    def names(self) -> list[str]:
        return list(self._methods)

    def __contains__(self, name: object) -> bool:
        return name in self._methods

    def register(self, name: str, handler: AppHandler, groups: Iterable[str] | None) -> None:
        api, dot, verb = name.partition(".")
        if not dot or not api or not verb or any(c.isspace() for c in name):
            raise ValueError(f"an app method needs a full JSON-RPC name like 'api.getProfile', not {name!r}")
        if api == self._auth_namespace and verb in rpc.METHODS:
            raise ValueError(f"{name} is the auth API itself")
        if name in self._methods:
            raise ValueError(f"{name} is registered already")
        if not callable(handler):
            raise TypeError("an app method's handler must be callable")
        wanted = None if groups is None else frozenset(check_group_name(g) for g in groups)
        if wanted is not None and not wanted:
            raise ValueError("groups=[] would let nobody in; pass None for any signed-in person")
        self._methods[name] = AppMethod(name, handler, wanted)

    async def answer(self, call: rpc.Call, caller: Caller) -> Answer:
        """The reply to one call of a registered method (never raises for a handler's failure)."""
        method = self._methods[call.method]
        user = caller.user
        if user is None:
            name = NOT_SIGNED_IN_NAME.get(self._mode, NOT_SIGNED_IN_NAME["cognito"])
            envelope = rpc.error_envelope(401, NOT_SIGNED_IN_MESSAGE, call.call_id, name)
            return Answer(envelope, end_session=caller.stale_cookie)
        if method.groups is not None and method.groups.isdisjoint(user.groups):
            return Answer(rpc.error_envelope(FORBIDDEN, "Forbidden", call.call_id, "ForbiddenException"))
        try:
            result = await _run(method.handler, user, call.args)
            json.dumps(result, allow_nan=False)  # what cannot be sent is the handler's bug, not a 500
        except MethodError as error:
            return Answer(rpc.error_envelope(error.code, error.message, call.call_id, error.name))
        except Exception as exc:
            log_internal_error(exc, call.method)
            return Answer(rpc.internal_error(call.call_id))
        return Answer(rpc.result_envelope(result, call.call_id))


async def _run(handler: AppHandler, user: AuthUser, args: list[Any]) -> Any:
    if inspect.iscoroutinefunction(handler):
        return await handler(user, *args)
    result = await anyio.to_thread.run_sync(lambda: handler(user, *args))
    return await result if inspect.isawaitable(result) else result


def caller_of(request: Request, user: AuthUser | None) -> Caller:
    return Caller(user=user, stale_cookie=user is None and bool(request.session_token))


def log_internal_error(exc: BaseException, method: str) -> None:
    """Where it broke, without the exception's message (which may quote request data)."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    _log.error("internal error in %s: %s at %s", method, type(exc).__name__, where)
