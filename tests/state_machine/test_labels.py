"""Reading data that servers hide in labels: MFA choices, code destinations, code kinds."""

from __future__ import annotations

import time

import pytest
from nicegui_authenticator.state_machine import code_variant, parse_choices, parse_destination


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Pick one of: TOTP, EMAIL", ("TOTP", "EMAIL")),  # the Cognito block's wording
        (
            "Pick one of: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN",
            ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"),
        ),
        ("pick one of:TOTP,EMAIL", ("TOTP", "EMAIL")),
        ("Choose one of: SMS / TOTP", ("SMS", "TOTP")),
        ("Select from: SMS | TOTP or EMAIL.", ("SMS", "TOTP", "EMAIL")),
        ("  Pick one of:   TOTP ,  EMAIL  ", ("TOTP", "EMAIL")),
        ("Pick one of: TOTP, TOTP, EMAIL", ("TOTP", "EMAIL")),  # repeats dropped, order kept
        ("Pick one of: SMS_OR_EMAIL", ("SMS_OR_EMAIL",)),  # "OR" inside a name is no separator
        ("MFA type. Pick one of: TOTP, EMAIL", ("TOTP", "EMAIL")),
    ],
)
def test_choices_are_parsed_from_the_label(label: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(label) == expected


@pytest.mark.parametrize(
    "label",
    [
        "MFA Type",  # no list: free text
        "Pick one of:",  # nothing after the colon
        "Pick one of: TOTP, <b>EMAIL</b>",  # markup is not an option name
        "Pick one of: TOTP, 2FA",  # options start with a letter
        "Pick one of: TOTP,\nEMAIL",  # one line only
        "Pick one offer: TOTP",  # "of" must be a word
        "",
        "Pick one of: " + "A, " * 400 + "B",  # longer than any real label: not parsed
    ],
)
def test_labels_that_are_not_choice_lists_fall_back_to_free_text(label: str) -> None:
    assert parse_choices(label) is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Enter Email Code (sent to a***@e***.com)", "a***@e***.com"),
        ("Enter Email Code (sent to carol-8e673b-5e4e@example.com)", "carol-8e673b-5e4e@example.com"),
        ("Enter SMS Code (Sent To +*******0123)", "+*******0123"),
        ("Enter Code ( sent to  a***@e***.com  )", "a***@e***.com"),
        ("Enter Email Code", None),
        ("Enter Email Code (sent to )", None),
        ("Enter Email Code (sent to a***@e***.com", None),  # unclosed
        ("(sent tomorrow)", None),
    ],
)
def test_destination_is_read_from_the_label(label: str, expected: str | None) -> None:
    assert parse_destination(label) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Enter Authenticator Code", "totp"),
        ("Enter TOTP code", "totp"),
        ("Enter Email Code (sent to a***@e***.com)", "email"),
        ("Enter SMS Code (sent to +*******0123)", "sms"),
        ("Enter the code from the text message", "sms"),
        ("Confirm", None),
        ("", None),
    ],
)
def test_code_variant(label: str, expected: str | None) -> None:
    assert code_variant(label) == expected


@pytest.mark.parametrize(
    "label",
    [
        "pick of" + " " * 990 + "x\ny",  # was cubic: 2 000 characters took 9 s
        "(sent to a" + " " * 980 + "b",  # was quadratic
        "(sent to" + " " * 990,
        "Pick one of:" + " ," * 490,
        "pick " * 199,
    ],
)
def test_label_parsing_is_fast_on_pathological_labels(label: str) -> None:
    """The machine runs on the NiceGUI server: a crafted label must not stall it."""
    start = time.perf_counter()
    for _ in range(20):
        parse_choices(label)
        parse_destination(label)
        code_variant(label)
    assert time.perf_counter() - start < 0.25


def test_huge_labels_are_not_parsed() -> None:
    huge = "Enter Email Code (sent to a@b.co)" + " " * 100_000
    start = time.perf_counter()
    assert parse_destination(huge) is None
    assert parse_choices("Pick one of: A" + " " * 100_000) is None
    assert time.perf_counter() - start < 0.05
