"""``serve --session`` and ``Authenticator(session=...)``: which side makes the setAuthState calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import AuthClient
from nicegui_authenticator.ui.components.authenticator import Authenticator
from nicegui_authenticator.ui.hosted.cli import build_parser
from nicegui_authenticator.ui.hosted.command import UsageError, plan_from_args
from nicegui_authenticator.ui.session.browser_fetch import BrowserFetchApi, session_api

ENDPOINT = "https://auth.example.com/aws-blocks/api"


def plan_options(*args: str) -> dict[str, object]:
    plan = plan_from_args(build_parser().parse_args(["serve", *args]))
    return dict(plan.config.authenticator_options)


def test_server_mode_is_the_default_and_browser_mode_is_passed_to_the_authenticator(tmp_path: Path) -> None:
    assert plan_options("--endpoint", ENDPOINT) == {}
    assert plan_options("--endpoint", ENDPOINT, "--session", "server") == {}
    assert plan_options("--endpoint", ENDPOINT, "--session", "browser") == {"session": "browser"}
    # The embedded backend is on the page's own site: the browser calls its path there.
    embedded = plan_options("--data-dir", str(tmp_path), "--session", "browser", "--path", "/auth/rpc")
    assert embedded == {"session": "browser", "browser_endpoint": "/auth/rpc"}
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--session", "both"])


def test_cors_options_configure_the_embedded_backend_only(tmp_path: Path) -> None:
    ns = build_parser().parse_args(
        [
            "serve",
            "--data-dir",
            str(tmp_path),
            "--cors-origin",
            "http://localhost:3000",
            "--cross-site-cookies",
        ]
    )
    settings = plan_from_args(ns).settings
    assert settings is not None
    assert (settings.cors_origins, settings.cross_site_cookies) == (("http://localhost:3000",), True)
    for flag in (["--cors-origin", "http://localhost:3000"], ["--cross-site-cookies"]):
        with pytest.raises(UsageError, match=flag[0]):
            plan_from_args(build_parser().parse_args(["serve", "--endpoint", ENDPOINT, *flag]))


async def test_the_authenticator_picks_its_transport_by_mode(user: User) -> None:
    client = AuthClient(ENDPOINT, namespace="auth")
    made: dict[str, object] = {}

    @ui.page("/")
    def page() -> None:
        made["browser"] = session_api(client, "browser", None)
        made["own-site"] = session_api(client, "browser", "/aws-blocks/api")
        made["server"] = session_api(client, "server", None)
        Authenticator(client, session="browser")

    await user.open("/")
    browser, own_site = made["browser"], made["own-site"]
    assert isinstance(browser, BrowserFetchApi) and browser.url == ENDPOINT
    assert isinstance(own_site, BrowserFetchApi) and own_site.url == "/aws-blocks/api"
    assert not isinstance(made["server"], BrowserFetchApi)
    await client.aclose()


async def test_bad_session_arguments_are_refused(user: User) -> None:
    client = AuthClient(ENDPOINT)
    failures: list[str] = []

    @ui.page("/")
    def page() -> None:
        for call in (
            lambda: session_api(client, "both", None),  # type: ignore[arg-type]
            lambda: session_api(client, "server", "/x"),
            lambda: session_api(client, "browser", "//evil.example/api"),
            lambda: session_api(object(), "browser", None),  # type: ignore[arg-type]
        ):
            try:
                call()
            except (ValueError, TypeError) as error:
                failures.append(type(error).__name__)

    await user.open("/")
    assert failures == ["ValueError", "ValueError", "ValueError", "TypeError"]
    await client.aclose()
