"""``protected``: pages only signed-in browsers may build.

Usage (``@ui.page`` outermost, so NiceGUI registers the protected function)::

    @ui.page("/reports")
    @protected(auth_client, login_path="/login")
    def reports() -> None:
        ui.label("Quarterly numbers ...")

Before the page function runs, the server is asked who this browser is
(one ``getAuthState`` with the browser's cookie jar). A signed-out visitor
gets an HTTP redirect to ``login_path?redirect=<this path and query>``, so
nothing of the page is ever built for them; the login page (see
:func:`~..hosted.pages.sign_in_page`) sends them back after sign-in. While the page is
open, a sign-out in any tab of the same browser sends it to the login page too.

With ``groups``, a signed-in person in none of them gets a page saying so
(:mod:`.not_allowed`) instead of the page: not the login page, which would
only show them signed in already.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from ...client import AuthClient, AuthStateApi
from ...client.callbacks import call_handler
from ...state_machine import AuthUser
from ..session.auth_events import AuthChange, on_same_browser
from ..session.known_user import BrowserAuth
from .not_allowed import not_allowed_page
from .require_user import in_groups

PageFunction = TypeVar("PageFunction", bound=Callable[..., Any])


def login_url(login_path: str, request: Request) -> str:
    """``login_path`` with ``redirect=`` set to the requested path and query (always site-relative)."""
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    separator = "&" if "?" in login_path else "?"
    return f"{login_path}{separator}redirect={quote(target, safe='/')}"


def protected(
    api: AuthStateApi | AuthClient,
    *,
    login_path: str = "/login",
    groups: Iterable[str] | None = None,
    catalog: Mapping[str, str] | None = None,
) -> Callable[[PageFunction], PageFunction]:
    """Decorate a page function so signed-out visitors go to ``login_path`` and come back after.

    :param api: the same :class:`AuthClient` (or AuthStateApi) the app's Authenticator uses
    :param login_path: the page with the Authenticator; it should honour ``?redirect=``
    :param groups: only people in one of these groups may see the page (``user.groups``)
    :param catalog: translations of the "not allowed" page (``not_allowed.*`` keys)
    """
    wanted = None if groups is None else tuple(groups)

    def decorate(func: PageFunction) -> PageFunction:
        signature = inspect.signature(func)
        wants_request = "request" in signature.parameters

        @functools.wraps(func)
        async def page(*args: Any, request: Request, **kwargs: Any) -> Any:
            auth = BrowserAuth.current(api)
            user = await auth.verify()
            if not isinstance(user, AuthUser):
                return RedirectResponse(login_url(login_path, request), status_code=303)
            if not in_groups(user, wanted):
                not_allowed_page(user, login_url(login_path, request), catalog)
                _leave_on_sign_out(auth, login_url(login_path, request))
                return None
            if wants_request:
                kwargs["request"] = request
            result = await call_handler(func, *args, **kwargs)
            _leave_on_sign_out(auth, login_url(login_path, request))
            return result

        # NiceGUI injects parameters by name: expose the original ones plus ``request``.
        parameters = list(signature.parameters.values())
        if not wants_request:
            parameters.insert(
                0, inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
            )
        page.__signature__ = signature.replace(parameters=_ordered(parameters))  # type: ignore[attr-defined]
        return page  # type: ignore[return-value]

    return decorate


def _ordered(parameters: list[inspect.Parameter]) -> list[inspect.Parameter]:
    """Parameters in a valid order (a keyword-only ``request`` after the positional ones)."""
    return sorted(parameters, key=lambda p: p.kind)


def _leave_on_sign_out(auth: BrowserAuth, target: str) -> None:
    async def check(_: AuthChange) -> None:
        if not isinstance(await auth.verify(), AuthUser):
            ui.navigate.to(target)

    on_same_browser(check)
