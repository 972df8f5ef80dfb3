"""The login page's ``?redirect=`` allow-list: paths on this site, allowed hosts, nothing else."""

from __future__ import annotations

import pytest
from nicegui_authenticator.ui.hosted.redirects import RedirectPolicy

POLICY = RedirectPolicy.allowing(["app.example.com", "admin.example.com:8443"])


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/dashboard",
        "/reports/2024?tab=sales#top",
        "/%2F%2Fevil.com",  # an encoded slash stays part of the path
        "https://app.example.com/home",
        "http://app.example.com:9000/",  # a host without port allows every port
        "HTTPS://APP.EXAMPLE.COM/x",
        "https://admin.example.com:8443/panel",
    ],
)
def test_allowed_targets_are_kept_verbatim(target: str) -> None:
    assert POLICY.resolve(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.com",
        "//evil.com/path",
        "///evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "/\\/evil.com",
        "/\t/evil.com",  # browsers drop the tab and see //evil.com
        "/\n/evil.com",
        " //evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "https://evil.com/",
        "https://app.example.com.evil.com/",
        "https://app.example.com@evil.com/",
        "https://evil.com@app.example.com/",  # userinfo is refused altogether
        "https://evil.com#@app.example.com",
        "https://evil.com?@app.example.com",
        "http:evil.com",
        "http:/evil.com",
        "https:\\\\evil.com",
        "https://admin.example.com:9999/",  # only the listed port is allowed
        "https://admin.example.com/",
        "https://app.example.com:bad/",
        "ftp://app.example.com/",
        "dashboard",  # relative without a leading slash: ambiguous, refused
        "/" + "a" * 5000,
    ],
)
def test_hostile_or_ambiguous_targets_are_refused(target: str | None) -> None:
    assert POLICY.resolve(target) is None


def test_an_absolute_url_back_to_this_site_is_allowed() -> None:
    policy = RedirectPolicy()
    assert policy.resolve("http://127.0.0.1:8080/x", own_host="127.0.0.1:8080") == "http://127.0.0.1:8080/x"
    assert policy.resolve("http://127.0.0.1:9090/x", own_host="127.0.0.1:8080") is None
    assert policy.resolve("http://127.0.0.1:8080/x") is None


@pytest.mark.parametrize("entry", ["https://", "evil.com/path", "user@evil.com", "host:notaport"])
def test_malformed_allow_entries_are_errors(entry: str) -> None:
    with pytest.raises(ValueError):
        RedirectPolicy.allowing([entry])


def test_an_allow_entry_may_be_written_as_an_origin() -> None:
    policy = RedirectPolicy.allowing(["https://App.Example.com", "  "])
    assert policy.resolve("https://app.example.com/x") == "https://app.example.com/x"
