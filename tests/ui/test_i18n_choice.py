"""Which language a person gets: the browser's header, a switcher remembered per browser, or a forced one."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.ui.components.account_menu import AccountMenu
from nicegui_authenticator.ui.components.authenticator import Authenticator
from nicegui_authenticator.ui.components.language_switcher import LanguageSwitcher
from nicegui_authenticator.ui.hosted.cli import build_parser
from nicegui_authenticator.ui.hosted.command import UsageError, plan_from_args
from nicegui_authenticator.ui.hosted.config import HostedConfig
from nicegui_authenticator.ui.hosted.pages import add_hosted_pages
from test_account_menu_support import has_marker, in_process_client, reference_backend
from test_authenticator_support import CannedBackend, root, signed_out, text_of, wait_for_screen


def hosted(tmp_path: Path, **config: object) -> None:
    add_hosted_pages(in_process_client(reference_backend(tmp_path)), HostedConfig(**config))  # type: ignore[arg-type]


def switcher(user: User) -> LanguageSwitcher:
    (element,) = user.find(marker="language-switcher").elements
    assert isinstance(element, LanguageSwitcher)
    return element


async def test_a_german_browser_gets_a_german_page_without_configuration(user: User, tmp_path: Path) -> None:
    hosted(tmp_path)
    user.http_client.headers["Accept-Language"] = "de-CH,de;q=0.9,en;q=0.5"
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert text_of(user, "authenticator-heading") == "Bei Ihrem Konto anmelden"
    assert (root(user).props["lang"], root(user).props["dir"]) == ("de", "ltr")
    assert switcher(user).value == "de"
    assert switcher(user).props["aria-label"] == "Sprache"


async def test_without_a_header_the_page_is_english(user: User, tmp_path: Path) -> None:
    hosted(tmp_path)
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert text_of(user, "authenticator-heading") == "Sign in to your account"
    assert len(switcher(user).options) == 25


async def test_the_switch_rewords_in_place_mirrors_and_is_remembered(user: User, tmp_path: Path) -> None:
    hosted(tmp_path)
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    (username,) = user.find(marker="authenticator-username").elements
    username.value = "ada"

    switcher(user).value = "ar"
    assert text_of(user, "authenticator-heading") == "سجّل الدخول إلى حسابك"
    assert (root(user).props["lang"], root(user).props["dir"]) == ("ar", "rtl")
    (username,) = user.find(marker="authenticator-username").elements
    assert username.value == "ada"  # typed values survive the switch
    assert switcher(user).props["aria-label"] == "اللغة"

    await user.open("/")  # the next visit in this browser: remembered, despite an English header
    await wait_for_screen(user, "sign_in")
    assert root(user).props["lang"] == "ar"
    assert switcher(user).value == "ar"


async def test_a_forced_language_wins_and_offers_no_switcher(user: User, tmp_path: Path) -> None:
    hosted(tmp_path, language="ja")
    user.http_client.headers["Accept-Language"] = "de"
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert text_of(user, "authenticator-heading") == "アカウントにサインイン"
    assert not has_marker(user, "language-switcher")


async def test_limited_languages_bound_negotiation_and_the_switcher(user: User, tmp_path: Path) -> None:
    hosted(tmp_path, languages=("de", "fr"))
    user.http_client.headers["Accept-Language"] = "ja, fr-CA;q=0.5"
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert root(user).props["lang"] == "fr"
    assert switcher(user).options == {"de": "Deutsch", "fr": "Français"}


async def test_an_embedded_authenticator_takes_a_language(user: User) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(CannedBackend(signed_out())), language="he")

    await user.open("/")
    await wait_for_screen(user, "sign_in")
    assert (root(user).props["lang"], root(user).props["dir"]) == ("he", "rtl")
    assert text_of(user, "authenticator-heading") == "כניסה לחשבון"


def test_an_unknown_or_unoffered_language_is_refused() -> None:
    api = InProcessApi(CannedBackend(signed_out()))
    with pytest.raises(ValueError, match="unknown language"):
        Authenticator(api, language="tlh")
    with pytest.raises(ValueError, match="not among the offered"):
        Authenticator(api, language="de", languages=["fr", "it"])


async def test_the_account_menu_speaks_the_browser_language(user: User, tmp_path: Path) -> None:
    client = in_process_client(reference_backend(tmp_path))

    @ui.page("/")
    def page() -> None:
        AccountMenu(client)

    user.http_client.headers["Accept-Language"] = "fi"
    await user.open("/")
    await user.should_see("Kirjaudu")


def _parse(*args: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *args])


def test_serve_language_options_make_the_plan(tmp_path: Path) -> None:
    plan = plan_from_args(
        _parse("--data-dir", str(tmp_path), "--language", "PT-br", "--languages", "pt-BR, de")
    )
    assert (plan.config.language, plan.config.languages) == ("pt-BR", ("pt-BR", "de"))
    plan = plan_from_args(_parse("--data-dir", str(tmp_path)))
    assert (plan.config.language, plan.config.languages) == (None, None)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--language", "klingon"], "unknown language klingon"),
        (["--languages", "de,xx"], "unknown language xx"),
        (["--languages", ","], "none given"),
        (["--language", "ja", "--languages", "de,fr"], "--language ja is not among --languages de,fr"),
    ],
)
def test_serve_refuses_bad_language_options(tmp_path: Path, options: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan_from_args(_parse("--data-dir", str(tmp_path), *options))
