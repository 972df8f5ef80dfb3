"""``StoredCookieSession``: a jar whose only truth is the stored JSON, shared by every object of one browser."""

from __future__ import annotations

from typing import Any

import pytest
from nicegui_authenticator.client import CookieSession
from nicegui_authenticator.client.stored_cookies import StoredCookieSession

URL = "http://127.0.0.1/aws-blocks/api"


def test_two_jars_on_one_store_see_each_others_changes() -> None:
    store: dict[str, Any] = {}
    tab_one, tab_two = StoredCookieSession(store, "jar"), StoredCookieSession(store, "jar")
    tab_one.store(URL, ["auth_session=one; HttpOnly; Path=/"])
    assert tab_two.header_for(URL) == "auth_session=one"
    tab_two.store(URL, ["auth_session=; Max-Age=0; Path=/"])  # signed out in the other tab
    assert tab_one.header_for(URL) is None and len(tab_one) == 0
    assert CookieSession.from_json(store["jar"]).names() == []


def test_the_stored_value_wins_over_memory_and_other_keys_are_separate() -> None:
    store: dict[str, Any] = {}
    jar = StoredCookieSession(store, "jar")
    jar.store(URL, ["auth_session=old; Path=/"])
    elsewhere = CookieSession()
    elsewhere.store(URL, ["auth_session=new; Path=/"])
    store["jar"] = elsewhere.to_json()  # written by another process of a cluster, say
    assert jar.header_for(URL) == "auth_session=new"
    assert StoredCookieSession(store, "other").names() == []
    jar.clear()
    assert CookieSession.from_json(store["jar"]).names() == []


def test_an_unreadable_stored_jar_counts_as_empty(caplog: pytest.LogCaptureFixture) -> None:
    store: dict[str, Any] = {"jar": {"version": 99}}
    assert StoredCookieSession(store, "jar").header_for(URL) is None
    assert "unreadable stored cookie jar" in caplog.text
