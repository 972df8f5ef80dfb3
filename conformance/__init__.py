"""A conformance checker for setAuthState servers (``nicegui-authenticator check``).

It talks HTTP like any client (never importing the reference backend), drives
the flows a person would through :class:`~nicegui_authenticator.HeadlessAuthenticator`,
and names, for every deviation, the rule of ``docs/protocol.md`` it breaks.

Names are resolved lazily, so the command line can build its parser from
:mod:`.command` without importing httpx or the client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "CheckOptions": "checker",
    "check": "checker",
    "CodesCommand": "codes",
    "CodesFile": "codes",
    "Deviation": "report",
    "Report": "report",
    "RULES": "rules",
    "Rule": "rules",
}

__all__ = ["RULES", "CheckOptions", "CodesCommand", "CodesFile", "Deviation", "Report", "Rule", "check"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


if TYPE_CHECKING:
    from .checker import CheckOptions, check
    from .codes import CodesCommand, CodesFile
    from .report import Deviation, Report
    from .rules import RULES, Rule
