"""The browser's way of reading a cookie's ``Expires`` date (RFC 6265, 5.1.1).

Servers write ``Expires`` in many shapes (``Wed, 21 Oct 2015 07:28:00 GMT``,
``Wednesday, 21-Oct-15 07:28:00 GMT``, ``Wed Oct 21 07:28:00 2015``). Browsers
do not use an HTTP-date parser for it but this tolerant token scan, so a date
a browser honours is honoured here too, and one it ignores is ignored.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Final

# Every octet that is not a delimiter forms tokens (delimiters per RFC 6265 5.1.1).
_DATE_TOKEN: Final = re.compile(r"[^\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+")
_TIME: Final = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?", re.DOTALL)
_DAY: Final = re.compile(r"(\d{1,2})(?:\D.*)?", re.DOTALL)
_YEAR: Final = re.compile(r"(\d{2,4})(?:\D.*)?", re.DOTALL)
_MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_cookie_date(text: str) -> float | None:
    """Seconds since the epoch (UTC) for a cookie date, or None when a browser would ignore it."""
    hms: tuple[int, int, int] | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    for token in _DATE_TOKEN.findall(text):
        if hms is None and (m := _TIME.fullmatch(token)):
            hms = (int(m[1]), int(m[2]), int(m[3]))
        elif day is None and (m := _DAY.fullmatch(token)):
            day = int(m[1])
        elif month is None and token[:3].lower() in _MONTHS:
            month = _MONTHS.index(token[:3].lower()) + 1
        elif year is None and (m := _YEAR.fullmatch(token)):
            year = int(m[1])
    if hms is None or day is None or month is None or year is None:
        return None
    if 70 <= year <= 99:
        year += 1900
    elif 0 <= year <= 69:
        year += 2000
    hour, minute, second = hms
    if year < 1601 or not 1 <= day <= 31 or hour > 23 or minute > 59 or second > 59:
        return None
    try:
        moment = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:  # 31 Feb and friends
        return None
    return float(calendar.timegm(moment.timetuple()))
