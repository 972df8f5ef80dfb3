"""Test hooks: ``data-testid`` attributes (PROTOCOL.md, "Test hooks") and NiceGUI markers.

Every hook is set both as ``data-testid`` (for Playwright and suites written
for the AWS Blocks renderer) and as a NiceGUI marker of the same name (for the
``User`` fixture: ``user.find(marker="authenticator-username")``).
"""

from __future__ import annotations

from typing import TypeVar

from nicegui import ui

E = TypeVar("E", bound=ui.element)


def hook(element: E, name: str) -> E:
    """Give ``element`` the test hook ``name``."""
    element.props["data-testid"] = name
    element.mark(name)
    return element


def field_hook(field_name: str) -> str:
    return f"authenticator-{field_name}"


def action_hook(action: str) -> str:
    return f"authenticator-action-{action}"
