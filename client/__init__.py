"""The I/O shell: talk setAuthState to a server, one cookie jar per end user.

``AuthClient`` speaks JSON-RPC over HTTP (or to an ASGI app in-process through
``httpx.ASGITransport``); ``InProcessApi`` adapts a plain Python object. Both
are :class:`AuthStateApi` implementations, the only seam the flows depend on.
"""

from __future__ import annotations

from .api import AuthStateApi, InProcessApi
from .cookies import CookieSession
from .errors import AuthClientError, Forbidden, NotSignedIn, ProtocolError, RpcError, TransportError
from .headless import AuthFlowError, HeadlessAuthenticator
from .transport import AuthClient

__all__ = [
    "AuthClient",
    "AuthClientError",
    "AuthFlowError",
    "AuthStateApi",
    "CookieSession",
    "Forbidden",
    "HeadlessAuthenticator",
    "InProcessApi",
    "NotSignedIn",
    "ProtocolError",
    "RpcError",
    "TransportError",
]
