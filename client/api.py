"""The one seam between the auth flows and whatever answers them.

Everything above this module (the headless driver, the NiceGUI component) asks
an :class:`AuthStateApi` for the AuthState and never learns whether a socket was
involved, as httpx's transports hide theirs (DESIGN.md, "Anchors"). Two
implementations exist:

* :class:`~nicegui_authenticator.client.transport.AuthClient`: JSON-RPC over
  HTTP to any setAuthState server (and, through ``httpx.ASGITransport``, to the
  reference backend in-process).
* :class:`InProcessApi`: wraps a plain Python object, typically a test author's
  fake backend.

Both apply the same validation, so a fake that returns something a server
could not send fails the same way a server would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

from pydantic import JsonValue

from ..state_machine.protocol import AuthState
from .callbacks import call_handler
from .jsonrpc import auth_state_from_result, set_auth_state_params


@runtime_checkable
class AuthStateApi(Protocol):
    """Ask for the current AuthState, or submit one action and get the next AuthState."""

    async def get_auth_state(self) -> AuthState: ...

    async def set_auth_state(self, payload: Mapping[str, JsonValue]) -> AuthState: ...


class InProcessApi:
    """Drive a Python object with ``get_auth_state()`` / ``set_auth_state(payload)`` as an AuthStateApi.

    The methods may be sync or async and may return an :class:`AuthState` or a
    plain dict. The payload reaches the backend as a server would receive it
    (a fresh JSON-decoded dict, so the backend cannot keep or mutate the
    caller's mapping, and a payload JSON cannot carry fails here as it would
    over HTTP). A result that is not an AuthState raises
    :class:`~nicegui_authenticator.client.errors.ProtocolError`; exceptions the
    backend raises (including a deliberate ``RpcError``) pass through unchanged.
    """

    def __init__(self, backend: object, *, namespace: str = "authApi") -> None:
        get, set_ = getattr(backend, "get_auth_state", None), getattr(backend, "set_auth_state", None)
        if not callable(get) or not callable(set_):
            raise TypeError(
                f"{type(backend).__name__} needs callable get_auth_state() and set_auth_state(payload)"
            )
        self._backend = backend
        self._get: Callable[[], object] = get
        self._set: Callable[[dict[str, JsonValue]], object] = set_
        self._namespace = namespace

    @property
    def backend(self) -> object:
        return self._backend

    async def get_auth_state(self) -> AuthState:
        result = await call_handler(self._get)
        return auth_state_from_result(result, method=f"{self._namespace}.getAuthState")

    async def set_auth_state(self, payload: Mapping[str, JsonValue]) -> AuthState:
        (params,) = set_auth_state_params(payload)
        wire = json.loads(json.dumps(params, allow_nan=False))
        result = await call_handler(self._set, wire)
        return auth_state_from_result(result, method=f"{self._namespace}.setAuthState")

    def __repr__(self) -> str:
        return f"InProcessApi({type(self._backend).__name__})"
