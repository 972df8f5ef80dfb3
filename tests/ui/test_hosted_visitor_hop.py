"""One page, many visitors: an attacker on the page cannot lock every other visitor out.

The page calls the backend for every browser. Each browser's calls carry its
own address, signed with the secret the page shares with the backend, so the
backend's per-address budget is spent per visitor (issue 10, point 5: before,
100 failed sign-ins from one visitor refused everyone, correct passwords
included).
"""

from __future__ import annotations

from pathlib import Path

import httpx
from nicegui_authenticator.backend.settings import RateLimits
from nicegui_authenticator.client import AuthClient
from nicegui_authenticator.ui.session.browser_session import BrowserSessionApi
from test_account_menu_support import PASSWORD, account, reference_backend

SECRET = "the-page-and-its-backend-share-this-0123456789"
LIMITS = RateLimits(failures_per_address=5, failures_per_username=1000)


def _page_client(backend: object, secret: str | None) -> AuthClient:
    transport = httpx.ASGITransport(app=backend.asgi_app, client=("127.0.0.1", 8080))  # type: ignore[attr-defined]
    return AuthClient("http://127.0.0.1/aws-blocks/api", transport=transport, visitor_hop_secret=secret)


async def _attack_then_sign_in(tmp_path: Path, secret: str | None) -> tuple[list[str | None], str]:
    backend = reference_backend(tmp_path, visitor_hop_secret=SECRET, rate_limits=LIMITS)
    name = account(backend, "bystander")
    page = _page_client(backend, secret)
    try:
        attacker = BrowserSessionApi(page, {}, "jar", visitor_address="203.0.113.66")
        errors = []
        for n in range(7):
            state = await attacker.set_auth_state(
                {"action": "signIn", "username": f"victim{n}", "password": "Wr0ng-guess!"}
            )
            errors.append(state.error_name)
        visitor = BrowserSessionApi(page, {}, "jar", visitor_address="198.51.100.7")
        state = await visitor.set_auth_state({"action": "signIn", "username": name, "password": PASSWORD})
        return errors, state.state
    finally:
        await page.aclose()
        backend.close()


async def test_an_attacker_on_the_page_does_not_lock_out_other_visitors(tmp_path: Path) -> None:
    errors, bystander = await _attack_then_sign_in(tmp_path, SECRET)
    assert errors == ["NotAuthorizedException"] * 5 + ["TooManyRequestsException"] * 2
    assert bystander == "signedIn"


async def test_without_the_shared_secret_the_page_is_one_address(tmp_path: Path) -> None:
    """The defect this fixes, measured the same way: the bystander is refused."""
    errors, bystander = await _attack_then_sign_in(tmp_path, None)
    assert errors == ["NotAuthorizedException"] * 5 + ["TooManyRequestsException"] * 2
    assert bystander == "signedOut"
