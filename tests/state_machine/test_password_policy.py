"""The one password policy: character classes for every script, the limits, the common-password list."""

from __future__ import annotations

import pytest
from nicegui_authenticator.state_machine import Msg, PasswordPolicy
from nicegui_authenticator.state_machine.common_passwords import (
    common_passwords,
    comparison_forms,
    is_common,
)
from nicegui_authenticator.state_machine.password_policy import (
    MAX_PASSWORD_LENGTH,
    Requirement,
    is_digit,
    is_lowercase,
    is_symbol,
    is_uppercase,
    unmet_requirements,
)

EVERY_CLASS = PasswordPolicy(
    require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
)
COGNITO_SPECIALS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "


@pytest.mark.parametrize(
    ("char", "lower", "upper", "digit", "symbol"),
    [
        ("a", True, False, False, False),
        ("é", True, False, False, False),
        ("ß", True, False, False, False),
        ("я", True, False, False, False),
        ("A", False, True, False, False),
        ("É", False, True, False, False),
        ("ǅ", False, True, False, False),  # titlecase counts as a capital
        ("7", False, False, True, False),
        ("٣", False, False, True, False),  # Arabic-Indic three
        ("²", False, False, False, False),  # a superscript is no digit
        ("½", False, False, False, False),
        ("中", False, False, False, False),  # a letter without case: length only
        ("\u0301", False, False, False, False),  # a combining mark
        ("€", False, False, False, True),
        ("😀", False, False, False, True),
        (" ", False, False, False, True),
        ("\u00a0", False, False, False, True),
        ("\t", False, False, False, False),  # a control character, not a space separator
    ],
)
def test_one_definition_of_each_class(char: str, lower: bool, upper: bool, digit: bool, symbol: bool) -> None:
    assert (is_lowercase(char), is_uppercase(char), is_digit(char), is_symbol(char)) == (
        lower,
        upper,
        digit,
        symbol,
    )


def test_every_cognito_special_character_is_a_symbol_and_basic_latin_keeps_its_class() -> None:
    """A client configured like a Cognito pool never refuses what Cognito takes."""
    assert all(is_symbol(c) for c in COGNITO_SPECIALS)
    assert all(is_lowercase(c) for c in "abcdefghijklmnopqrstuvwxyz")
    assert all(is_uppercase(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert all(is_digit(c) for c in "0123456789")


def test_the_issue_passwords_have_a_symbol() -> None:
    assert unmet_requirements("Abcdefg1 x", EVERY_CLASS) == ()
    assert unmet_requirements("Abcdefg1€", EVERY_CLASS) == ()
    assert unmet_requirements("Abcdefgh1", EVERY_CLASS) == (Requirement.SYMBOL,)


def test_limits_hold_whatever_the_policy() -> None:
    policy = PasswordPolicy(min_length=1)
    assert unmet_requirements("x" * MAX_PASSWORD_LENGTH, policy) == ()
    assert unmet_requirements("x" * (MAX_PASSWORD_LENGTH + 1), policy) == (Requirement.MAX_LENGTH,)
    assert unmet_requirements("        ", policy) == (Requirement.NOT_BLANK,)
    assert policy.unmet("x" * 300) == (Msg("policy.max_length", {"count": "256"}),)
    # Neither limit is a checklist row: the rows stay fixed while the person types.
    assert [text.key for text, _ in policy.checklist("x" * 300)] == ["policy.min_length"]


def test_a_policy_outside_the_limits_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="between 1 and 256"):
        PasswordPolicy(min_length=0)
    with pytest.raises(ValueError, match="between 1 and 256"):
        PasswordPolicy(min_length=257)


def test_the_wire_carries_reject_common_and_only_true_counts() -> None:
    policy = PasswordPolicy(min_length=10, reject_common=True)
    assert policy.to_wire()["rejectCommon"] is True
    assert PasswordPolicy.from_wire(policy.to_wire()) == policy
    assert PasswordPolicy.from_wire({"rejectCommon": "yes"}) == PasswordPolicy()
    assert PasswordPolicy.from_wire({}) == PasswordPolicy()  # a server that says nothing checks nothing


def test_the_list_holds_at_least_100000_case_folded_passwords() -> None:
    listed = common_passwords()
    assert len(listed) >= 100_000
    assert all(entry == entry.casefold() and entry for entry in listed)
    assert {"123456", "password", "qwerty", "p@ssw0rd", "letmein"} <= listed


@pytest.mark.parametrize(
    "password",
    [
        "Password1!",
        "P@ssw0rd",
        "Qwerty123!",
        "Passw0rd!",
        "PASSWORD",
        "!!letmein??",
        "ｐａｓｓｗｏｒｄ",
        "12345678",
        "",
    ],
)
def test_common_passwords_and_their_decorations_are_refused(password: str) -> None:
    assert is_common(password)
    policy = PasswordPolicy(reject_common=True)
    assert Requirement.NOT_COMMON in unmet_requirements(password, policy)
    assert Msg("policy.not_common") in policy.unmet(password)


@pytest.mark.parametrize(
    "password",
    ["Tangerine-Kite-7", "correct horse battery staple", "password manager for my cat", "Passw0rd!x"],
)
def test_uncommon_passwords_pass(password: str) -> None:
    assert not is_common(password)
    assert unmet_requirements(password, PasswordPolicy(reject_common=True)) == ()


def test_comparison_forms_fold_case_and_strip_decoration_at_both_ends_only() -> None:
    assert comparison_forms("Pass word!") == ("pass word!", "pass word")
    assert comparison_forms("--A-b--") == ("--a-b--", "a-b")
    assert comparison_forms("plain") == ("plain",)
    assert comparison_forms("!!!") == ("!!!",)  # nothing left to compare but the whole


def test_the_checklist_shows_the_common_password_row_last_and_unticked_when_empty() -> None:
    policy = PasswordPolicy(require_digits=True, reject_common=True)
    assert [text.key for text, _ in policy.checklist("")] == [
        "policy.min_length",
        "policy.digit",
        "policy.not_common",
    ]
    assert [ok for _, ok in policy.checklist("")] == [False, False, False]
    assert [ok for _, ok in policy.checklist("Password1")] == [True, True, False]
    assert [ok for _, ok in policy.checklist("Tangerine-Kite-7")] == [True, True, True]


def test_without_reject_common_a_common_password_is_fine() -> None:
    """The client default: a server that does not describe its policy may accept ``Passw0rd!``."""
    assert PasswordPolicy().unmet("Passw0rd!") == ()
