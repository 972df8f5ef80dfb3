"""The languages the sign-in screens speak, and which one a browser asks for.

One row per language: its BCP 47 tag, its name in itself (for a language
switcher, so a person finds their language without reading the current one) and
its writing direction. Direction comes from that name's own script (the
Unicode bidirectional class of its first letter), so Arabic, Persian and Hebrew
are right-to-left without a hand-kept list; a test checks every row against
CLDR. Asking CLDR here (Babel's ``Locale.character_order``) loaded a locale's
whole data on the first page of every process, a tenth of a second's start in
all (issue 15).

Negotiation reads an ``Accept-Language`` header and picks the first supported
language in the browser's order of preference, matching the way people set
their browsers rather than the tags we ship:

- a regional tag falls back to its language (``de-CH`` -> ``de``);
- Chinese goes by script, which Babel infers from the region (``zh-TW``,
  ``zh-HK`` -> ``zh-Hant``; ``zh-CN``, ``zh-SG`` and plain ``zh`` -> ``zh-Hans``);
- Portuguese is shipped as Brazilian Portuguese only, so ``pt`` and ``pt-PT``
  get ``pt-BR``: closer to a Portuguese reader than English is;
- Norwegian (``no``) and Nynorsk (``nn``) readers get Bokmål (``nb``), and the
  retired code ``iw`` means Hebrew;
- anything else gets English.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.core import negotiate_locale


class Direction(Enum):
    """Writing direction, as HTML's ``dir`` attribute spells it."""

    LTR = "ltr"
    RTL = "rtl"


@dataclass(frozen=True)
class Language:
    """A supported language: tag, name in itself, writing direction."""

    tag: str
    native_name: str

    @property
    def direction(self) -> Direction:
        """Right-to-left where the language's own name is (Arabic, Hebrew, Persian)."""
        return _direction(self.native_name)


@functools.lru_cache(maxsize=64)
def _direction(native_name: str) -> Direction:
    for letter in native_name:
        kind = unicodedata.bidirectional(letter)
        if kind in ("R", "AL"):  # a right-to-left letter (Hebrew; Arabic script)
            return Direction.RTL
        if kind == "L":
            return Direction.LTR
    return Direction.LTR


DEFAULT_LANGUAGE: Final = "en"

# Names as a switcher shows them: each in its own language and script.
LANGUAGES: Final[tuple[Language, ...]] = (
    Language("ar", "العربية"),
    Language("da", "Dansk"),
    Language("de", "Deutsch"),
    Language("en", "English"),
    Language("es", "Español"),
    Language("fa", "فارسی"),
    Language("fi", "Suomi"),
    Language("fr", "Français"),
    Language("he", "עברית"),
    Language("hi", "हिन्दी"),
    Language("id", "Bahasa Indonesia"),
    Language("it", "Italiano"),
    Language("ja", "日本語"),
    Language("ko", "한국어"),
    Language("nb", "Norsk bokmål"),
    Language("nl", "Nederlands"),
    Language("pl", "Polski"),
    Language("pt-BR", "Português (Brasil)"),
    Language("ru", "Русский"),
    Language("sv", "Svenska"),
    Language("th", "ไทย"),
    Language("tr", "Türkçe"),
    Language("uk", "Українська"),
    Language("zh-Hans", "简体中文"),
    Language("zh-Hant", "繁體中文"),
)
SUPPORTED_TAGS: Final[tuple[str, ...]] = tuple(language.tag for language in LANGUAGES)
_BY_LOWER_TAG: Final = {language.tag.lower(): language for language in LANGUAGES}

# Requested tags that have no catalog of their own but a close one (see the module docstring).
ALIASES: Final = {"zh": "zh-Hans", "pt": "pt-BR", "no": "nb", "nn": "nb", "iw": "he"}

_ACCEPT_ITEM: Final = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([^;\s]*))?\s*$"
)


def language_for(tag: str) -> Language:
    """The supported language for ``tag`` (any case); English for an unknown tag."""
    return _BY_LOWER_TAG.get(tag.lower()) or _BY_LOWER_TAG[DEFAULT_LANGUAGE]


def is_supported(tag: str) -> bool:
    """Whether a catalog ships for ``tag`` (any case)."""
    return tag.lower() in _BY_LOWER_TAG


def canonical_tags(tags: Iterable[str] | None) -> tuple[str, ...]:
    """``tags`` spelled as shipped, duplicates dropped (every shipped tag for None).

    ValueError names any tag we do not ship, so a typo in a configuration fails
    at start rather than silently showing English.
    """
    if tags is None:
        return SUPPORTED_TAGS
    given = [tag.strip() for tag in tags if tag.strip()]
    unknown = [tag for tag in given if not is_supported(tag)]
    if unknown or not given:
        raise ValueError(
            f"unknown language {', '.join(unknown) or '(none given)'}; known: {' '.join(SUPPORTED_TAGS)}"
        )
    return tuple(dict.fromkeys(language_for(tag).tag for tag in given))


def parse_accept_language(header: str | None) -> list[str]:
    """The tags of an ``Accept-Language`` header, most wanted first (q=0 and ``*`` dropped).

    Equal weights keep the header's order, as RFC 9110 asks; an item that does
    not parse (a broken tag or weight) is skipped rather than guessed at.
    """
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        match = _ACCEPT_ITEM.match(item)
        if not match or match.group(1) == "*":
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            weighted.append((-quality, position, match.group(1).replace("_", "-")))
    return [tag for _, _, tag in sorted(weighted)]


def _candidates(tag: str) -> Iterable[str]:
    """``tag`` itself, then language-script (Babel infers the script from a region), then language."""
    yield tag
    try:
        locale = Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return
    if locale.script:
        yield f"{locale.language}-{locale.script}"
    yield locale.language


def negotiate(accept_language: str | None, available: Sequence[str] = SUPPORTED_TAGS) -> str:
    """The tag from ``available`` that best serves a browser's ``Accept-Language``.

    English when nothing matches, or the first of ``available`` if English is not
    among them (a page limited to other languages still has to speak one).
    """
    wanted = [candidate for tag in parse_accept_language(accept_language) for candidate in _candidates(tag)]
    found = negotiate_locale(wanted, available, sep="-", aliases=ALIASES)
    by_lower = {tag.lower(): tag for tag in available}
    if found is not None and found.lower() in by_lower:
        return by_lower[found.lower()]
    if DEFAULT_LANGUAGE in available or not available:
        return DEFAULT_LANGUAGE
    return available[0]
