"""``getAuthState`` and ``setAuthState``: the action table and the error rule.

The action table is data: which actions exist in which mode. AuthBasic knows
only its own few; the Cognito mode knows the whole PROTOCOL.md vocabulary plus
the MFA self-service extras. An action outside the table answers
``Unknown action: X`` as recorded.

The error rule follows the recordings (fixtures README, point 3): a retriable
failure gets the thin reply; otherwise AuthBasic answers with the signed-in
base state when the person is signed in, and the Cognito block always answers
with the signed-out base state (the cookie is left alone, clients re-read).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Final

from ..state_machine.protocol import SIGNED_OUT
from . import (
    account,
    challenges,
    code_steps,
    mfa_setup,
    passkey_sign_in,
    password_change,
    password_reset,
    reauthentication,
    sign_in,
    sign_up,
)
from .auth_state_reads import SignedInReads
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem, wording
from .reply_cache import SignedInReplies, SignedOutReplies
from .sessions import UNSETTLED
from .users import User

REAUTH: Final = Problem.REAUTHENTICATION_REQUIRED

Handler = Callable[[Components, Request, Params], Outcome]

BASIC_ACTIONS: Final[Mapping[str, Handler]] = MappingProxyType(
    {
        "signIn": sign_in.sign_in,
        "signUp": sign_up.sign_up,
        "confirmSignUp": sign_up.confirm_sign_up,
        "resetPassword": password_reset.reset_password,
        "confirmResetPassword": password_reset.confirm_reset_password,
        "signOut": account.sign_out,
        # Admin-created accounts get a newPassword challenge in either mode.
        "confirmSignIn": challenges.confirm_sign_in,
    }
)

COGNITO_ACTIONS: Final[Mapping[str, Handler]] = MappingProxyType(
    {
        **BASIC_ACTIONS,
        "signInWithPasskey": sign_in.sign_in_with_passkey,
        "resendSignUpCode": sign_up.resend_sign_up_code,
        "autoSignIn": sign_up.auto_sign_in,
        "startPasskeyRegistration": account.start_passkey_registration,
        "completePasskeyRegistration": account.complete_passkey_registration,
        "listPasskeys": account.list_passkeys,
        "deletePasskey": account.delete_passkey,
        # Additive (docs/protocol.md): username-less sign-in and naming a passkey.
        "signInWithDiscoverablePasskey": passkey_sign_in.sign_in_with_discoverable_passkey,
        "renamePasskey": account.rename_passkey,
        "startTotpSetup": mfa_setup.start_totp_setup,
        "completeTotpSetup": mfa_setup.complete_totp_setup,
        "startEmailMfaSetup": mfa_setup.start_email_mfa_setup,
        "completeEmailMfaSetup": mfa_setup.complete_email_mfa_setup,
        "setPreferredMfa": mfa_setup.set_preferred_mfa,
        "disableMfa": mfa_setup.disable_mfa,
        "cancelSetup": mfa_setup.cancel_setup,
        "changePassword": password_change.change_password,
        "reauthenticate": reauthentication.reauthenticate,
        "chooseReauthenticationMethod": reauthentication.choose_method,
        "resendReauthenticationCode": reauthentication.resend_code,
        "signOutEverywhere": account.sign_out_everywhere,
        # Additive code-screen actions (docs/protocol.md, "Code screens").
        "resendPasswordResetCode": password_reset.resend_password_reset_code,
        "resendSignInCode": code_steps.resend_sign_in_code,
        "resendEmailMfaSetupCode": mfa_setup.resend_email_mfa_setup_code,
        "useAnotherMfaMethod": code_steps.use_another_mfa_method,
    }
)


class AuthService:
    """Answers the two RPC methods for one backend. Synchronous: runs in a worker thread."""

    def __init__(self, parts: Components) -> None:
        self._parts = parts
        self._actions = BASIC_ACTIONS if parts.settings.mode == "basic" else COGNITO_ACTIONS
        replies = parts.replies
        required = parts.settings.mfa_mode == "required"
        self._signed_out = SignedOutReplies(replies, parts.passkeys, require_user_verification=required)
        self._signed_in = SignedInReads(
            parts.store, parts.web_sessions, parts.users, SignedInReplies(replies)
        )

    def get_auth_state(self, request: Request) -> Outcome:
        outcome = self._read_auth_state(request)
        if outcome is None:  # the session must be deleted (expired) or touched (idle deadline)
            outcome = self._get_auth_state(request)
        return self._offer_discoverable_passkey(outcome, request)

    def set_auth_state(self, request: Request, action: str, fields: Mapping[str, object]) -> Outcome:
        return self._offer_discoverable_passkey(self._set_auth_state(request, action, fields), request)

    def _offer_discoverable_passkey(self, outcome: Outcome, request: Request) -> Outcome:
        """A signedOut reply with its forms gets the username-less passkey sign-in, fresh options and all."""
        parts = self._parts
        state = outcome.state
        offers_passkey = parts.settings.passkeys_enabled and self._actions is not BASIC_ACTIONS
        if state is parts.replies.signed_out:  # the commonest reply: put together from bytes made once
            now = request.now
            reply = (
                self._signed_out.with_passkey(parts.passkey_challenges.issue(now))
                if offers_passkey
                else self._signed_out.base
            )
            return replace(outcome, state=reply.state, encoded=reply.json)
        if state.state != SIGNED_OUT or not state.actions or not offers_passkey:
            return outcome
        challenge = parts.passkey_challenges.issue(request.now)
        options = parts.passkeys.discoverable_options(
            challenge, require_user_verification=parts.settings.mfa_mode == "required"
        )
        return replace(outcome, state=parts.replies.with_discoverable_passkey(state, options))

    def _get_auth_state(self, request: Request) -> Outcome:
        if not request.session_token:
            return Outcome(self._parts.replies.signed_out)
        return self._state_of(self._current_user(request))

    def _state_of(self, user: User | None) -> Outcome:
        """The reply to a request that carried a session cookie naming ``user`` (None: no live session)."""
        if user is None:
            # A stale or forged cookie is cleared (cognito_opt_signup_autosignin_email_mfa.jsonl step 14).
            return Outcome(self._parts.replies.signed_out, end_session=True)
        return Outcome(self._parts.replies.signed_in(user))

    def get_auth_state_without_writing(self, request: Request) -> Outcome | None:
        """:meth:`get_auth_state` when it can be answered by reads alone; None when it must write.

        For the event loop (``ReferenceBackend`` calls it there when the store's reads
        never wait): handing the request to a worker thread cost more CPU than the
        one indexed read itself (``auth_state_reads.py``, issue 15 profile). The session checks are the
        same as ``get_auth_state``'s; an expired session (deleted) or one due its
        idle-deadline touch (updated) is left to ``get_auth_state`` in a thread.
        """
        outcome = self._read_auth_state(request)
        return None if outcome is None else self._offer_discoverable_passkey(outcome, request)

    def _read_auth_state(self, request: Request) -> Outcome | None:
        if not request.session_token:
            return Outcome(self._parts.replies.signed_out)
        found = self._signed_in.reply(request.session_token, request.now)
        if found is UNSETTLED:
            return None
        if found is None:
            return self._state_of(None)
        return Outcome(found.state, encoded=found.json)

    def _set_auth_state(self, request: Request, action: str, fields: Mapping[str, object]) -> Outcome:
        handler = self._actions.get(action)
        try:
            if handler is None:
                raise AuthError(Problem.UNKNOWN_ACTION, f"Unknown action: {action}")
            return handler(self._parts, request, Params(fields))
        except AuthError as error:
            return self._error_outcome(request, error)

    def _error_outcome(self, request: Request, error: AuthError) -> Outcome:
        parts = self._parts
        words = wording(error, parts.settings.mode)
        reauthenticating = (
            reauthentication.prompt_for_request(parts, request) if error.problem is REAUTH else None
        )
        if error.retriable:
            state = parts.replies.retriable(words, retry_after=error.retry_after)
        elif reauthenticating is not None:
            state = parts.replies.with_error(reauthenticating, words)
        else:
            user = None
            if parts.settings.mode == "basic" and not error.end_session:
                user = self._current_user(request)
            base = parts.replies.signed_out if user is None else parts.replies.signed_in(user)
            state = parts.replies.with_error(base, words)
        return Outcome(state, end_session=error.end_session, end_bridge=error.end_bridge)

    def current_user(self, request: Request) -> User | None:
        """The account the request's session cookie names, if it is still live (for app methods)."""
        return self._current_user(request)

    def _current_user(self, request: Request) -> User | None:
        token = request.session_token
        session = self._parts.web_sessions.lookup(token, request.now) if token else None
        return None if session is None else self._parts.users.by_id(session.user_id)
