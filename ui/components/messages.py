"""The catalog an element renders with: a shipped language, then the host app's overrides.

Every key, including the few sentences only the NiceGUI shell shows (the
signed-in line whose exact wording PROTOCOL.md's test hooks fix, section
titles, the account menu), lives in the core's catalogs
(:mod:`nicegui_authenticator.state_machine.catalogs`), so each shipped language
covers the whole element. A host app's ``catalog`` goes on top: single
sentences reworded, or a language we do not ship.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...state_machine import Catalog, Template
from ...state_machine.catalogs import catalog_for
from ...state_machine.languages import DEFAULT_LANGUAGE


def effective_catalog(catalog: Mapping[str, Template] | None, language: str = DEFAULT_LANGUAGE) -> Catalog:
    """The shipped catalog of ``language`` with the host app's ``catalog`` on top."""
    return catalog_for(language).layered(catalog)
