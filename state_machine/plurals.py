"""Which CLDR plural category a count falls in, per language, from Babel's data.

Plural rules differ more than English suggests: Arabic has six forms, Polish and
Russian three for integers, Japanese one. They are data (CLDR), not code we
write, so this module asks Babel. Babel reads its bundled locale data the first
time a language is asked for and keeps it; nothing here touches the network,
the clock or the environment.
"""

from __future__ import annotations

from collections.abc import Set
from functools import cache

from babel import Locale
from babel.plural import PluralRule

PLURAL_CATEGORIES: frozenset[str] = frozenset({"zero", "one", "two", "few", "many", "other"})


@cache
def _rule(language: str) -> PluralRule:
    """Babel's plural rule for a BCP 47 tag such as ``pt-BR`` or ``zh-Hant`` (parsed once per tag:
    parsing the locale costs several times the rule itself, bench/translate.py)."""
    rule: PluralRule = Locale.parse(language, sep="-").plural_form
    return rule


def plural_category(language: str, count: int) -> str:
    """The CLDR plural category of ``count`` in ``language`` (``one``, ``few``, ``other``, ...)."""
    category: str = _rule(language)(count)
    return category


def plural_categories(language: str) -> Set[str]:
    """Every category ``language`` distinguishes; a plural message needs a form for each."""
    return frozenset(_rule(language).tags) | {"other"}
