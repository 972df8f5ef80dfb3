"""Which language a browser gets, which way it is written, and what the switcher calls it."""

from __future__ import annotations

import pytest
from babel import Locale
from nicegui_authenticator.state_machine.languages import (
    LANGUAGES,
    SUPPORTED_TAGS,
    Direction,
    is_supported,
    language_for,
    negotiate,
    parse_accept_language,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-CH,de;q=0.9", "de"),
        ("de-CH", "de"),
        ("tlh", "en"),
        ("x-klingon, i-default", "en"),
        ("", "en"),
        (None, "en"),
        ("*", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-CA;q=0.5, ja;q=0.8", "ja"),
        ("tlh, ko;q=0.3", "ko"),
        ("zh-CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-Hans-CN", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("pt", "pt-BR"),
        ("pt-PT", "pt-BR"),
        ("pt-br", "pt-BR"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("nb-NO", "nb"),
        ("iw", "he"),
        ("iw-IL", "he"),
        ("he-IL", "he"),
        ("ar-EG,ar;q=0.9,en;q=0.5", "ar"),
        ("es-419", "es"),
        ("fa-IR", "fa"),
        ("sr-Latn-RS, uk;q=0.4", "uk"),
        ("de;q=0, fr", "fr"),
    ],
)
def test_accept_language_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_a_page_limited_to_some_languages_picks_among_them() -> None:
    assert negotiate("fr-CA,ja;q=0.5", ["de", "fr"]) == "fr"
    assert negotiate("ja", ["de", "fr"]) == "de"  # no English on offer: the first offered
    assert negotiate("ja", ["de", "en"]) == "en"
    assert negotiate("zh-TW", ["zh-Hans", "en"]) == "zh-Hans"  # the same language beats English


def test_parse_accept_language_orders_by_weight_then_position() -> None:
    header = "fr;q=0.5, de-CH , en;q=0.5 ,ja;q=0, *;q=0.1, !!, es;q=abc, nl;q=0.9"
    assert parse_accept_language(header) == ["de-CH", "nl", "fr", "en"]


def test_right_to_left_languages_come_from_cldr() -> None:
    rtl = {language.tag for language in LANGUAGES if language.direction is Direction.RTL}
    assert rtl == {"ar", "fa", "he"}
    assert language_for("he").direction.value == "rtl"
    assert language_for("ja").direction.value == "ltr"
    # The direction is read from each name's script; CLDR, through Babel, is the judge of it.
    for language in LANGUAGES:
        order = Locale.parse(language.tag, sep="-").character_order
        assert language.direction.value == ("rtl" if order == "right-to-left" else "ltr"), language.tag


def test_every_language_has_its_own_distinct_name() -> None:
    names = [language.native_name for language in LANGUAGES]
    assert all(name.strip() for name in names)
    assert len(set(names)) == len(names)
    assert language_for("de").native_name == "Deutsch"
    assert language_for("ar").native_name == "العربية"


def test_tags_are_matched_without_regard_to_case() -> None:
    assert language_for("ZH-hant").tag == "zh-Hant"
    assert is_supported("pt-br") and not is_supported("pt")
    assert language_for("tlh").tag == "en"
    assert len(set(SUPPORTED_TAGS)) == len(SUPPORTED_TAGS) == 25
