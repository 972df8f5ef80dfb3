"""Validation rules and the password policy."""

from __future__ import annotations

import time

import pytest
from nicegui_authenticator.state_machine import Msg, PasswordPolicy
from nicegui_authenticator.state_machine.rules import (
    CodeShape,
    EmailShape,
    MatchesField,
    MeetsPolicy,
    OneOf,
    PhoneShape,
    Required,
    check,
    normalize_code,
)


@pytest.mark.parametrize("value", ["", " ", "\t\n"])
def test_required_refuses_blank(value: str) -> None:
    assert check(Required(), value, {}) == Msg("validation.required")


def test_required_accepts_text() -> None:
    assert check(Required(), "x", {}) is None


@pytest.mark.parametrize("value", ["alice@example.com", "a.b+c@sub.example.co.uk", "用户@例子.公司", "a@b.c"])
def test_email_shape_accepts_addresses(value: str) -> None:
    assert check(EmailShape(), value, {}) is None


@pytest.mark.parametrize(
    "value",
    [
        "alice",
        "alice@",
        "@example.com",
        "alice@example",
        "a@b@c.com",
        "al ice@example.com",
        "a@.com",
        "a@com.",
        "a" * 250 + "@b.co",
    ],
)
def test_email_shape_refuses_typos(value: str) -> None:
    assert check(EmailShape(), value, {}) == Msg("validation.email")


def test_email_shape_is_linear_on_hostile_input() -> None:
    """``^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$`` took 2.8 s on this 16 000-character paste."""
    start = time.perf_counter()
    assert check(EmailShape(), "a@" + "." * 16_000 + "@", {}) == Msg("validation.email")
    assert check(EmailShape(), "a@" + "." * 200 + "@", {}) == Msg("validation.email")
    assert time.perf_counter() - start < 0.05


def test_shape_rules_leave_blank_to_required() -> None:
    for rule in (EmailShape(), PhoneShape(), CodeShape(), MeetsPolicy(PasswordPolicy()), OneOf(("A",))):
        assert check(rule, "", {}) is None


@pytest.mark.parametrize(
    ("value", "ok"),
    [("+14155550123", True), ("+1415", False), ("14155550123", False), ("+0123456789", False)],
)
def test_phone_shape_is_e164(value: str, ok: bool) -> None:
    assert (check(PhoneShape(), value, {}) is None) is ok
    if not ok:
        assert check(PhoneShape(), value, {}) == Msg("validation.phone")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123456", None),
        ("12345678", None),  # Cognito's passwordless codes
        ("12345", Msg("validation.code", {"count": "6"})),
        ("123456789", Msg("validation.code", {"count": "6"})),
        ("12ab56", Msg("validation.code_digits")),
        ("abc", Msg("validation.code_digits")),
    ],
)
def test_code_shape(value: str, expected: Msg | None) -> None:
    assert check(CodeShape(), value, {}) == expected


def test_an_exact_code_length_can_be_asked_for() -> None:
    assert check(CodeShape(4, 4), "1234", {}) is None
    assert check(CodeShape(4, 4), "12345", {}) == Msg("validation.code", {"count": "4"})


@pytest.mark.parametrize(
    ("pasted", "normalized"),
    [
        ("123 456", "123456"),
        ("123-456", "123456"),
        (" 123456 ", "123456"),
        ("12 34 56\n", "123456"),
        (" abc ", "abc"),
        ("12a 456", "12a 456"),
    ],
)
def test_pasted_codes_are_normalized(pasted: str, normalized: str) -> None:
    assert normalize_code(pasted) == normalized


def test_matches_field_compares_with_the_other_value() -> None:
    rule = MatchesField("password")
    assert check(rule, "Passw0rd!", {"password": "Passw0rd!"}) is None
    assert check(rule, "Passw0rd?", {"password": "Passw0rd!"}) == Msg("validation.passwords_mismatch")
    assert check(rule, "x", {}) == Msg("validation.passwords_mismatch")


def test_one_of_accepts_only_the_offered_options() -> None:
    assert check(OneOf(("TOTP", "EMAIL")), "EMAIL", {}) is None
    assert check(OneOf(("TOTP", "EMAIL")), "SMS", {}) == Msg("validation.choice")


def test_default_policy_is_eight_characters() -> None:
    policy = PasswordPolicy()
    assert policy.unmet("1234567") == (Msg("policy.min_length", {"count": "8"}),)
    assert policy.unmet("12345678") == ()
    assert check(MeetsPolicy(policy), "abc", {}) == Msg("policy.min_length", {"count": "8"})


def test_cognito_style_policy_lists_every_unmet_requirement_in_order() -> None:
    policy = PasswordPolicy.from_wire(
        {
            "minLength": 10,
            "requireLowercase": True,
            "requireUppercase": True,
            "requireDigits": True,
            "requireSymbols": True,
        }
    )
    assert policy is not None
    assert [text.key for text in policy.unmet("password")] == [
        "policy.min_length",
        "policy.uppercase",
        "policy.digit",
        "policy.symbol",
    ]
    assert policy.unmet("Passw0rd!xy") == ()
    assert [ok for _, ok in policy.checklist("Passw0rd!")] == [False, True, True, True, True]
    assert PasswordPolicy.from_wire(policy.to_wire()) == policy


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (None, None),
        ("8", None),
        ([], None),
        ({}, PasswordPolicy()),
        ({"minLength": True}, PasswordPolicy()),  # a boolean is no length
        ({"minLength": 0}, PasswordPolicy()),
        ({"minLength": 9999}, PasswordPolicy()),
        ({"minLength": "12"}, PasswordPolicy()),
        ({"minLength": 12, "requireDigits": "yes"}, PasswordPolicy(min_length=12)),  # only true counts
    ],
)
def test_policy_from_wire_is_lenient(wire: object, expected: PasswordPolicy | None) -> None:
    assert PasswordPolicy.from_wire(wire) == expected
