"""Every shipped language: every key, the same placeholders, and CLDR-complete plurals.

A catalog that misses a key, renames a ``{placeholder}`` or lacks a plural form
the language needs would show English, a raw ``{name}`` or the wrong grammar to
someone; these checks run over all of them so adding a key to ``ENGLISH``
without translating it fails here.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

import pytest
from nicegui_authenticator.state_machine import ENGLISH, Raw, translate
from nicegui_authenticator.state_machine.catalogs import MESSAGES_BY_LANGUAGE, catalog_for
from nicegui_authenticator.state_machine.languages import SUPPORTED_TAGS
from nicegui_authenticator.state_machine.messages import ERROR_KEYS, Catalog, Template, error_text, msg
from nicegui_authenticator.state_machine.plurals import PLURAL_CATEGORIES, plural_categories

LANGUAGES = list(MESSAGES_BY_LANGUAGE)
TRANSLATIONS = [tag for tag in LANGUAGES if tag != "en"]
PLURAL_KEYS = sorted(key for key, value in ENGLISH.items() if not isinstance(value, str))


def _forms(value: Template) -> list[str]:
    return [value] if isinstance(value, str) else list(value.values())


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_issue_asks_for_these_languages_and_each_ships_a_catalog() -> None:
    asked = "ar da de en es fa fi fr he hi id it ja ko nb nl pl pt-BR ru sv th tr uk zh-Hans zh-Hant"
    assert sorted(SUPPORTED_TAGS) == sorted(asked.split())
    assert tuple(MESSAGES_BY_LANGUAGE) == SUPPORTED_TAGS


@pytest.mark.parametrize("tag", TRANSLATIONS)
def test_every_key_and_no_other(tag: str) -> None:
    messages = MESSAGES_BY_LANGUAGE[tag]
    assert sorted(set(ENGLISH) - set(messages)) == [], "missing"
    assert sorted(set(messages) - set(ENGLISH)) == [], "unknown to ENGLISH"


@pytest.mark.parametrize("tag", LANGUAGES)
def test_placeholders_are_the_english_ones_in_every_form(tag: str) -> None:
    wrong = []
    for key, english in ENGLISH.items():
        expected = set().union(*(_placeholders(form) for form in _forms(english)))
        for form in _forms(MESSAGES_BY_LANGUAGE[tag][key]):
            if not form.strip() or _placeholders(form) != expected:
                wrong.append((key, form))
    assert wrong == []


@pytest.mark.parametrize("tag", LANGUAGES)
def test_plural_messages_have_exactly_the_categories_babel_lists(tag: str) -> None:
    assert PLURAL_KEYS, "the counting messages are plural in English too"
    needed = plural_categories(tag)
    assert needed <= PLURAL_CATEGORIES
    for key in PLURAL_KEYS:
        value = MESSAGES_BY_LANGUAGE[tag][key]
        assert isinstance(value, Mapping), key
        assert set(value) == needed, key
    for key, value in MESSAGES_BY_LANGUAGE[tag].items():
        assert isinstance(value, str) or key in PLURAL_KEYS, f"{key} is plural only in {tag}"


@pytest.mark.parametrize("tag", TRANSLATIONS)
def test_a_translation_is_not_english_left_in_place(tag: str) -> None:
    """Short labels may coincide ("Code", "SMS", "Passkey"); sentences may not."""
    messages = MESSAGES_BY_LANGUAGE[tag]
    same = [key for key, value in ENGLISH.items() if isinstance(value, str) and messages[key] == value]
    assert len(same) < len(ENGLISH) // 10, same
    sentences = [key for key in same if " " in ENGLISH[key] and len(str(ENGLISH[key])) > 20]
    assert sentences == []


@pytest.mark.parametrize("tag", LANGUAGES)
def test_every_server_error_name_reads_in_every_language(tag: str) -> None:
    catalog = catalog_for(tag)
    for name in ERROR_KEYS:
        text, _ = error_text("server words", name)
        rendered = translate(text, catalog) if text is not None else ""
        assert rendered and rendered != "server words" and "{" not in rendered, name
        if tag != "en":
            assert rendered != translate(text), f"{name} shows English in {tag}"  # type: ignore[arg-type]


@pytest.mark.parametrize("tag", LANGUAGES)
def test_an_unknown_server_error_keeps_the_server_text(tag: str) -> None:
    text, _ = error_text("Quota of the tenant reached {0}", "TenantQuotaException")
    assert text == Raw("Quota of the tenant reached {0}")
    assert translate(text, catalog_for(tag)) == "Quota of the tenant reached {0}"


@pytest.mark.parametrize("tag", LANGUAGES)
def test_every_message_renders_for_many_counts_without_leftover_braces(tag: str) -> None:
    catalog = catalog_for(tag)
    params = {"count": "", "provider": "Google", "destination": "+1***0123", "reason": "x"}
    params |= {"detail": "500", "username": "ada", "name": "YubiKey", "label": "Resend", "date": "1 Dec 2026"}
    for key in ENGLISH:
        for count in ("0", "1", "2", "3", "5", "11", "21", "22", "100", "101", "1000000", "1.5"):
            rendered = translate(msg(key, **(params | {"count": count})), catalog)
            assert "{" not in rendered and "}" not in rendered, (key, count, rendered)


# ----------------------------------------------------------------- translate with counts


@pytest.mark.parametrize(
    ("tag", "count", "expected"),
    [
        ("en", "1", "At least 1 character"),
        ("en", "8", "At least 8 characters"),
        ("ru", "1", "Не менее 1 символа"),
        ("ru", "3", "Не менее 3 символов"),
        ("ru", "21", "Не менее 21 символа"),
        ("pl", "1", "Co najmniej 1 znak"),
        ("pl", "22", "Co najmniej 22 znaki"),
        ("pl", "12", "Co najmniej 12 znaków"),
        ("uk", "4", "Щонайменше 4 символи"),
        ("ar", "5", "5 أحرف على الأقل"),
        ("ar", "12", "12 حرفًا على الأقل"),
        ("ar", "100", "100 حرف على الأقل"),
        ("fr", "0", "Au moins 0 caractère"),
        ("fr", "8", "Au moins 8 caractères"),
        ("ja", "1", "1文字以上"),
        ("ja", "8", "8文字以上"),
    ],
)
def test_translate_picks_the_plural_form_by_count(tag: str, count: str, expected: str) -> None:
    assert translate(msg("policy.min_length", count=count), catalog_for(tag)) == expected


def test_a_count_that_is_not_a_whole_number_takes_the_other_form() -> None:
    assert translate(msg("policy.min_length", count="many")) == "At least many characters"
    assert translate(msg("policy.min_length"), catalog_for("ru")) == "Не менее {count} символа"


def test_a_plain_mapping_uses_english_plural_rules() -> None:
    forms = {"one": "{count} X", "few": "{count} FEW", "other": "{count} Xs"}
    assert translate(msg("policy.min_length", count="3"), {"policy.min_length": forms}) == "3 Xs"
    ukrainian = Catalog("uk", {"policy.min_length": forms})
    assert translate(msg("policy.min_length", count="3"), ukrainian) == "3 FEW"


def test_a_missing_plural_category_falls_back_to_other() -> None:
    russian = Catalog("ru", {"policy.min_length": {"other": "не менее {count}"}})
    assert translate(msg("policy.min_length", count="5"), russian) == "не менее 5"


def test_a_key_missing_from_a_catalog_falls_back_to_english_with_english_rules() -> None:
    sparse = Catalog("ru", {})
    assert translate(msg("policy.min_length", count="2"), sparse) == "At least 2 characters"
    assert translate(msg("screen.sign_in"), sparse) == "Sign in to your account"


def test_layered_overrides_keep_the_language_and_win() -> None:
    german = catalog_for("de").layered({"tab.sign_in": "Einloggen"}, None)
    assert german.language == "de"
    assert translate(msg("tab.sign_in"), german) == "Einloggen"
    assert translate(msg("policy.min_length", count="1"), german) == "Mindestens 1 Zeichen"
    assert len(german) == len(ENGLISH) and "tab.sign_in" in list(german)


def test_an_unknown_tag_gets_english() -> None:
    assert catalog_for("tlh").language == "en"
    assert catalog_for("PT-br").language == "pt-BR"
