"""The remembered sign-in is stamped with the session the cookie jar carries, not its expiry."""

from __future__ import annotations

from typing import Any

from nicegui_authenticator.ui.session.known_user import _jar_fingerprint


def jar(*cookies: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "cookies": list(cookies)}


def cookie(value: str, expires: float | None = 1.0) -> dict[str, Any]:
    return {"name": "auth_session", "value": value, "domain": "127.0.0.1", "path": "/", "expires": expires}


def test_a_refreshed_expiry_keeps_the_fingerprint() -> None:
    assert _jar_fingerprint(jar(cookie("abc", 1.0))) == _jar_fingerprint(jar(cookie("abc", 99.0)))


def test_a_new_session_changes_it() -> None:
    assert _jar_fingerprint(jar(cookie("abc"))) != _jar_fingerprint(jar(cookie("xyz")))
    assert _jar_fingerprint(jar(cookie("abc"))) != _jar_fingerprint(jar())


def test_cookie_order_and_garbage_do_not_matter() -> None:
    other = {"name": "b", "value": "1", "domain": "x", "path": "/"}
    assert _jar_fingerprint(jar(cookie("abc"), other)) == _jar_fingerprint(jar(other, cookie("abc")))
    assert _jar_fingerprint(None) == _jar_fingerprint({"cookies": "nonsense"}) == _jar_fingerprint(jar())
