"""The replies ``getAuthState`` sends most, serialised once and reused as bytes.

Why: building a reply (pydantic models), dumping it to a dict and encoding that
as JSON was half the CPU of a ``getAuthState`` (issue 15 profile), yet the
replies repeat. The signedOut base never changes for a configuration; its one
moving part is the username-less passkey sign-in's fresh challenge, and a
signed-in reply changes only when the account does.

* :class:`SignedOutReplies`: the signedOut base, and the base plus the passkey
  sign-in for one challenge, put together from two byte strings built once
  around a stand-in challenge. A challenge is base64url text, which JSON never
  escapes (neither in the options string nor in the reply around it), so
  ``head + challenge + tail`` is exactly the JSON of the whole reply.
* :class:`SignedInReplies`: signed-in replies by what they are built from (the
  account's content, ``auth_state_reads.py``), least recently used dropped first.
  The key is content, not identity: a changed account is a new key, so nothing
  needs invalidating, and whether the session is still live is read from the
  database on every request, never from here.

Each :class:`Encoded` holds the model and its bytes together, so callers that
read the model (the service) and the HTTP layer that sends the bytes agree.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Final

from ..state_machine.protocol import AuthAction, AuthState
from .passkey_challenges import b64url
from .passkeys import Passkeys
from .states import Replies
from .users import User
from .wire_json import encode

SIGNED_IN_CACHE_SIZE: Final = 1024  # replies of ~1-2 KB: a couple of MB at most
# A stand-in challenge whose base64url text appears nowhere else in a reply ("AAECAwQF...").
_STAND_IN: Final = bytes(range(40))


@dataclass(frozen=True)
class Encoded:
    """A reply's model and its JSON (what ``encode(state.to_wire())`` writes)."""

    state: AuthState
    json: bytes


class SignedOutReplies:
    """The signedOut base, alone or with the username-less passkey sign-in for a given challenge."""

    def __init__(self, replies: Replies, passkeys: Passkeys, *, require_user_verification: bool) -> None:
        self._replies = replies
        self._passkeys = passkeys
        self._require_user_verification = require_user_verification

    @cached_property
    def base(self) -> Encoded:
        state = self._replies.signed_out
        return Encoded(state, encode(state.to_wire()))

    def with_passkey(self, challenge: bytes) -> Encoded:
        """The base plus ``signInWithDiscoverablePasskey``, its options carrying ``challenge``."""
        parts = self._passkey_parts
        if parts is None:  # the stand-in is not where it should be: build the reply in full
            return self._built(challenge)
        options_head, options_tail, json_head, json_tail, state, action = parts
        text = b64url(challenge)
        options, credential = action.fields
        options = options.model_copy(update={"default_value": options_head + text + options_tail})
        fresh = action.model_copy(update={"fields": (options, credential)})
        state = state.model_copy(update={"actions": (*state.actions[:-1], fresh)})
        return Encoded(state, json_head + text.encode("ascii") + json_tail)

    def _built(self, challenge: bytes) -> Encoded:
        """The reply built field by field and serialised whole (what the parts put together)."""
        options = self._passkeys.discoverable_options(
            challenge, require_user_verification=self._require_user_verification
        )
        state = self._replies.with_discoverable_passkey(self._replies.signed_out, options)
        return Encoded(state, encode(state.to_wire()))

    @cached_property
    def _passkey_parts(self) -> tuple[str, str, bytes, bytes, AuthState, AuthAction] | None:
        """The options text and the reply's JSON split around the stand-in challenge, and the models.

        None when the stand-in does not appear exactly once in each (say, a relying party
        id that happened to hold its text): the replies are then built in full.
        """
        stand_in = b64url(_STAND_IN)
        built = self._built(_STAND_IN)
        state = built.state
        options = str(state.actions[-1].fields[0].default_value)
        reply = built.json.decode("ascii")
        if options.count(stand_in) != 1 or reply.count(stand_in) != 1:
            return None
        options_head, _, options_tail = options.partition(stand_in)
        json_head, _, json_tail = reply.partition(stand_in)
        return (
            options_head,
            options_tail,
            json_head.encode("ascii"),
            json_tail.encode("ascii"),
            state,
            state.actions[-1],
        )


class SignedInReplies:
    """Signed-in replies by content key, built on first use; the least recently used goes first."""

    def __init__(self, replies: Replies, size: int = SIGNED_IN_CACHE_SIZE) -> None:
        self._replies = replies
        self._size = size
        self._cached: OrderedDict[Hashable, Encoded] = OrderedDict()
        self._lock = threading.Lock()  # the event loop and worker threads both answer getAuthState

    def reply(self, key: Hashable, user: Callable[[], User]) -> Encoded:
        """The reply for the account ``key`` describes; ``user()`` builds the account when it is not cached.

        ``key`` must hold everything ``Replies.signed_in`` reads from the account.
        """
        with self._lock:
            found = self._cached.get(key)
            if found is not None:
                self._cached.move_to_end(key)
                return found
        state = self._replies.signed_in(user())
        built = Encoded(state, encode(state.to_wire()))
        with self._lock:
            self._cached[key] = built
            if len(self._cached) > self._size:
                self._cached.popitem(last=False)
        return built
