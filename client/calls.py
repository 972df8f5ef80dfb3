"""Run the machine's call effects against an AuthStateApi and report the outcome as an event.

Both shells (the headless driver and the NiceGUI element) use this one
function, so a failure becomes the same :class:`CallFailed` whichever shell ran
the call, and "swapping the shell never changes behaviour" (DESIGN.md).
"""

from __future__ import annotations

import logging

from ..state_machine.effects import CallGetAuthState, CallSetAuthState
from ..state_machine.events import CallFailed, ServerReplied
from .api import AuthStateApi
from .errors import AuthClientError, ProtocolError, RpcError, TransportError

logger = logging.getLogger(__name__)


def call_failed_from(error: AuthClientError) -> CallFailed:
    """Describe a client failure for the pure machine (which must not import client types)."""
    if isinstance(error, TransportError):
        return CallFailed("timeout" if error.is_timeout else "network", str(error))
    if isinstance(error, RpcError):
        return CallFailed("rpc", error.message, code=error.code, name=error.name, retriable=error.retriable)
    if isinstance(error, ProtocolError):
        return CallFailed("protocol", str(error), code=error.http_status)
    return CallFailed("protocol", str(error))


async def perform_call(
    api: AuthStateApi, call: CallSetAuthState | CallGetAuthState
) -> ServerReplied | CallFailed:
    """Make the call; return the event that reports how it went. Never raises.

    Anything other than a client error means a broken AuthStateApi (a user's
    fake, say): it is logged with its traceback and reported as a protocol
    failure, because a screen left waiting forever is worse than an error.
    """
    try:
        if isinstance(call, CallSetAuthState):
            state = await api.set_auth_state(call.payload)
        else:
            state = await api.get_auth_state()
    except AuthClientError as error:
        return call_failed_from(error)
    except Exception:
        logger.warning("the auth API raised unexpectedly", exc_info=True)
        return CallFailed("protocol", "unexpected failure")
    return ServerReplied(state)
