"""Cookie dates are read the tolerant way browsers read them (RFC 6265 5.1.1)."""

from __future__ import annotations

import calendar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nicegui_authenticator.client.cookie_date import parse_cookie_date

OCT_21_2015 = float(calendar.timegm((2015, 10, 21, 7, 28, 0)))


@pytest.mark.parametrize(
    "text",
    [
        "Wed, 21 Oct 2015 07:28:00 GMT",  # RFC 1123
        "Wednesday, 21-Oct-15 07:28:00 GMT",  # RFC 850
        "Wed Oct 21 07:28:00 2015",  # asctime
        "21 October 2015 07:28:00",
        "wed, 21-oct-2015 07:28:00 gmt",
        "Wed, 21 Oct 2015 07:28:00 +0000",
    ],
)
def test_common_shapes(text: str) -> None:
    assert parse_cookie_date(text) == OCT_21_2015


def test_two_digit_years() -> None:
    assert parse_cookie_date("01 Jan 70 00:00:00") == 0.0
    assert parse_cookie_date("01 Jan 69 00:00:00") == float(calendar.timegm((2069, 1, 1, 0, 0, 0)))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "Wed, 21 Oct 2015",  # no time
        "Wed, 32 Oct 2015 07:28:00 GMT",  # no such day
        "Wed, 30 Feb 2015 07:28:00 GMT",  # no such date
        "Wed, 21 Oct 2015 24:00:00 GMT",
        "Wed, 21 Oct 1600 07:28:00 GMT",  # before 1601
        "Wed, 21 Foo 2015 07:28:00 GMT",
    ],
)
def test_dates_a_browser_ignores(text: str) -> None:
    assert parse_cookie_date(text) is None


@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    result = parse_cookie_date(text)
    assert result is None or isinstance(result, float)
