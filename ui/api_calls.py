"""Run the machine's call effects against an AuthStateApi, as events.

The pure machine (``state_machine``) never sees an exception: every outcome of
a call comes back as :class:`ServerReplied` or :class:`CallFailed`. This module
is the one place in ``ui`` that translates the client's typed failures into
that plain description, so the browser shell and the headless one agree.
"""

from __future__ import annotations

import logging

from ..client import AuthStateApi, ProtocolError, RpcError, TransportError
from ..state_machine import CallFailed, CallGetAuthState, CallSetAuthState, ServerReplied

logger = logging.getLogger(__name__)


async def run_call(
    api: AuthStateApi, effect: CallSetAuthState | CallGetAuthState
) -> ServerReplied | CallFailed:
    """Perform one getAuthState/setAuthState call; never raises for protocol or network trouble."""
    try:
        if isinstance(effect, CallSetAuthState):
            state = await api.set_auth_state(effect.payload)
        else:
            state = await api.get_auth_state()
    except TransportError as exc:
        return CallFailed("timeout" if exc.is_timeout else "network", str(exc))
    except ProtocolError as exc:
        return CallFailed("protocol", str(exc))
    except RpcError as exc:
        return CallFailed("rpc", exc.message, code=exc.code, name=exc.name, retriable=exc.retriable)
    except Exception:  # a broken AuthStateApi must not leave the screen waiting forever
        logger.warning("the auth API raised unexpectedly", exc_info=True)
        return CallFailed("protocol", "unexpected failure")
    return ServerReplied(state)
