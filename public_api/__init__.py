"""nicegui-authenticator: a complete sign-in experience for NiceGUI apps.

The repository's top-level folders (``state_machine``, ``client``, ``backend``,
``ui``) are installed as subpackages of this one import name. This module is the
public surface; everything not re-exported here is internal.

Names are resolved lazily (PEP 562) so that ``import
nicegui_authenticator.state_machine`` stays free of NiceGUI, httpx and the
backend: the pure core must be importable without any I/O stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # NiceGUI building blocks
    "Authenticator": "ui.components.authenticator",
    "AccountMenu": "ui.components.account_menu",
    "AuthenticatedContent": "ui.components.authenticated_content",
    "LanguageSwitcher": "ui.components.language_switcher",
    "protected": "ui.components.protected",
    "require_user": "ui.components.require_user",
    "user_session": "ui.session.user_session",
    "current_user": "ui.session.user_session",
    "sign_in_page": "ui.hosted.pages",
    "RedirectPolicy": "ui.hosted.redirects",
    # Talking to a setAuthState server
    "AuthClient": "client.transport",
    "CookieSession": "client.cookies",
    "AuthStateApi": "client.api",
    "InProcessApi": "client.api",
    "TransportError": "client.errors",
    "ProtocolError": "client.errors",
    "RpcError": "client.errors",
    "NotSignedIn": "client.errors",
    "Forbidden": "client.errors",
    "HeadlessAuthenticator": "client.headless",
    "AuthFlowError": "client.headless",
    # The reference backend
    "ReferenceBackend": "backend.app",
    "MethodError": "backend.app_methods",
    "BackendSettings": "backend.settings",
    # The pure core
    "AuthMachine": "state_machine.machine",
    "AuthState": "state_machine.protocol",
    "AuthUser": "state_machine.protocol",
    "MachineConfig": "state_machine.context",
    "PasswordPolicy": "state_machine.password_policy",
    "Screen": "state_machine.screens",
    "ScreenName": "state_machine.screens",
}

__all__ = [
    "AccountMenu",
    "AuthClient",
    "AuthFlowError",
    "AuthMachine",
    "AuthState",
    "AuthStateApi",
    "AuthUser",
    "AuthenticatedContent",
    "Authenticator",
    "BackendSettings",
    "CookieSession",
    "Forbidden",
    "HeadlessAuthenticator",
    "InProcessApi",
    "LanguageSwitcher",
    "MachineConfig",
    "MethodError",
    "NotSignedIn",
    "PasswordPolicy",
    "ProtocolError",
    "RedirectPolicy",
    "ReferenceBackend",
    "RpcError",
    "Screen",
    "ScreenName",
    "TransportError",
    "current_user",
    "protected",
    "require_user",
    "sign_in_page",
    "user_session",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if TYPE_CHECKING:
    from .backend.app import ReferenceBackend
    from .backend.app_methods import MethodError
    from .backend.settings import BackendSettings
    from .client.api import AuthStateApi, InProcessApi
    from .client.cookies import CookieSession
    from .client.errors import Forbidden, NotSignedIn, ProtocolError, RpcError, TransportError
    from .client.headless import AuthFlowError, HeadlessAuthenticator
    from .client.transport import AuthClient
    from .state_machine.context import MachineConfig
    from .state_machine.machine import AuthMachine
    from .state_machine.password_policy import PasswordPolicy
    from .state_machine.protocol import AuthState, AuthUser
    from .state_machine.screens import Screen, ScreenName
    from .ui.components.account_menu import AccountMenu
    from .ui.components.authenticated_content import AuthenticatedContent
    from .ui.components.authenticator import Authenticator
    from .ui.components.language_switcher import LanguageSwitcher
    from .ui.components.protected import protected
    from .ui.components.require_user import require_user
    from .ui.hosted.pages import sign_in_page
    from .ui.hosted.redirects import RedirectPolicy
    from .ui.session.user_session import current_user, user_session
