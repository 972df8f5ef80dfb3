"""The shipped message catalogs, one module per language, as plain data.

Each module holds ``MESSAGES``: every key of :data:`..messages.ENGLISH`, with the
same ``{placeholders}``, and for a counting message a template per CLDR plural
category the language distinguishes (tests/state_machine/test_catalogs.py checks
all three). English itself is ``ENGLISH`` in :mod:`..messages`.

They are Python modules rather than JSON files so the pure core reads no files:
importing this package costs a few milliseconds once, and nothing imports it
until a language other than the default is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ..languages import DEFAULT_LANGUAGE, language_for
from ..messages import ENGLISH, Catalog, Template
from . import (
    ar,
    da,
    de,
    es,
    fa,
    fi,
    fr,
    he,
    hi,
    id,
    it,
    ja,
    ko,
    nb,
    nl,
    pl,
    pt_br,
    ru,
    sv,
    th,
    tr,
    uk,
    zh_hans,
    zh_hant,
)

MESSAGES_BY_LANGUAGE: Final[Mapping[str, Mapping[str, Template]]] = MappingProxyType(
    {
        "ar": ar.MESSAGES,
        "da": da.MESSAGES,
        "de": de.MESSAGES,
        "en": ENGLISH,
        "es": es.MESSAGES,
        "fa": fa.MESSAGES,
        "fi": fi.MESSAGES,
        "fr": fr.MESSAGES,
        "he": he.MESSAGES,
        "hi": hi.MESSAGES,
        "id": id.MESSAGES,
        "it": it.MESSAGES,
        "ja": ja.MESSAGES,
        "ko": ko.MESSAGES,
        "nb": nb.MESSAGES,
        "nl": nl.MESSAGES,
        "pl": pl.MESSAGES,
        "pt-BR": pt_br.MESSAGES,
        "ru": ru.MESSAGES,
        "sv": sv.MESSAGES,
        "th": th.MESSAGES,
        "tr": tr.MESSAGES,
        "uk": uk.MESSAGES,
        "zh-Hans": zh_hans.MESSAGES,
        "zh-Hant": zh_hant.MESSAGES,
    }
)


def catalog_for(tag: str = DEFAULT_LANGUAGE) -> Catalog:
    """The shipped catalog of ``tag`` (any case); English for a tag we do not ship."""
    language = language_for(tag).tag
    return Catalog(language, MESSAGES_BY_LANGUAGE[language])
