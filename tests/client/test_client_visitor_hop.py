"""One page, many visitors: each call carries its visitor's address, signed for the backend.

The hosted page calls the backend for everyone, from one address. With a
shared ``visitor_hop_secret``, ``for_session(..., visitor_address=...)``
makes the backend count failures per visitor, so one attacker's wrong
passwords do not lock every other visitor of the page out.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.passwords import ScryptCost
from nicegui_authenticator.backend.settings import BackendSettings, RateLimits
from nicegui_authenticator.client import AuthClient, CookieSession

SECRET = "page-and-backend-share-this-0123456789abcdef"


async def _wrong(client: AuthClient) -> str | None:
    state = await client.set_auth_state({"action": "signIn", "username": "anyone", "password": "Wr0ng!"})
    return state.error_name


async def test_each_visitor_of_one_page_has_their_own_address_budget(tmp_path: Path) -> None:
    backend = ReferenceBackend(
        BackendSettings(
            db_path=str(tmp_path / "hop.sqlite3"),
            password_hash_cost=ScryptCost(n=2**4),
            visitor_hop_secret=SECRET,
            rate_limits=RateLimits(failures_per_address=3, failures_per_username=100),
        )
    )
    transport = httpx.ASGITransport(app=backend.asgi_app, client=("127.0.0.1", 40000))
    page = AuthClient("http://127.0.0.1/aws-blocks/api", transport=transport, visitor_hop_secret=SECRET)
    try:
        attacker = page.for_session(CookieSession(), visitor_address="203.0.113.66")
        answers = [await _wrong(attacker) for _ in range(4)]
        assert answers == ["NotAuthorizedException"] * 3 + ["TooManyRequestsException"]
        visitor = page.for_session(CookieSession(), visitor_address="198.51.100.7")
        assert await _wrong(visitor) == "NotAuthorizedException"
        # Without an address the call is the page's own, a budget the attacker did not touch.
        anonymous = page.for_session(CookieSession())
        assert await _wrong(anonymous) == "NotAuthorizedException"
    finally:
        await page.aclose()
        backend.close()


async def test_without_the_secret_the_page_is_one_address(tmp_path: Path) -> None:
    backend = ReferenceBackend(
        BackendSettings(
            db_path=str(tmp_path / "one.sqlite3"),
            password_hash_cost=ScryptCost(n=2**4),
            visitor_hop_secret=SECRET,
            rate_limits=RateLimits(failures_per_address=3, failures_per_username=100),
        )
    )
    transport = httpx.ASGITransport(app=backend.asgi_app, client=("127.0.0.1", 40000))
    wrong_secret = "someone-else-entirely-0123456789abcdefgh"
    page = AuthClient("http://127.0.0.1/aws-blocks/api", transport=transport, visitor_hop_secret=wrong_secret)
    try:
        for n in range(3):
            assert await _wrong(page.for_session(CookieSession(), visitor_address=f"203.0.113.{n}")) == (
                "NotAuthorizedException"
            )
        assert await _wrong(page.for_session(CookieSession(), visitor_address="198.51.100.7")) == (
            "TooManyRequestsException"
        )
    finally:
        await page.aclose()
        backend.close()
