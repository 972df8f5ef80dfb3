"""The client auth state machine: ``machine, effects = machine.handle(event)``.

Theory of operation
===================

The server owns the auth flow; it answers every call with an AuthState naming
the state and the forms the person may submit (docs/protocol.md). This machine is the
client half, in the sans-I/O style of h11: a value plus a pure transition
function. It never touches the network, a clock or randomness. A shell (the
headless driver in ``client/``, the NiceGUI element in ``ui/``) runs the
effects it returns and feeds their outcomes back as events, so every rule below
holds identically in a browser and in a unit test.

The machine is in one of three phases (:class:`Phase`):

* IDLE: waiting for the person. Start/Refresh/Submit/Navigate/Cancel/Retry act.
* CALLING: one setAuthState or getAuthState call is in flight. Only its outcome
  (ServerReplied / CallFailed) moves the machine; a second Submit, a Navigate or
  a Cancel are ignored, which is what makes double submits impossible.
* CEREMONY: the browser runs WebAuthn; only WebAuthnResult/WebAuthnFailed act.

The rules the recorded servers demand (``tests/fixtures/aws-blocks/``):

1. Hidden fields and fields with a ``defaultValue`` are echoed on submit
   (sessions, challenge names, shared secrets, WebAuthn options), as the exact
   JSON the server sent (``""``, numbers and objects included). A submit whose
   values for hidden fields differ from the server's is refused: it comes from
   a stale screen (a deleted passkey, an old session).
2. A ``retriable`` reply arrives as a thin ``{signedOut, actions: []}``: keep
   the previous screen and its hidden ``session``, show the error, keep what
   was typed (fixtures README point 2).
3. A ``confirmingSignUp`` whose only action is ``autoSignIn`` is submitted at
   once, without input (point 4); a second lone ``autoSignIn`` in a row is shown
   as a Continue button rather than looping.
4. Values the person gave are reused where a later form asks again; AuthBasic's
   confirm step asks for username and password (point 5). The sign-up password
   is held only while a confirm step may still ask for it: it is dropped when
   that step succeeds, on Cancel, on Navigate and when a reply leaves the
   sign-up flow, and it only ever fills a form that asks for it again. Signing
   out forgets the username too.
5. An error reply while signed in is re-synced with getAuthState, because the
   Cognito block answers errors with a signed-out base state even when the
   session is valid (point 3).
6. A non-retriable error on a stateless confirm form (confirm sign-up, confirm
   reset, resend) keeps that form: its inputs are still valid and the person
   just fixes the code. Errors from session-bound challenges go back to sign-in
   because the server has dropped the session.
7. Failed calls (network, timeout, unreadable reply, JSON-RPC error) leave the
   screen and the typed values in place, with an error and a Retry that resends
   the same payload. A 401 re-reads the state: the session is gone.

8. A thin retriable reply with no form to keep (an answer to getAuthState, or
   one before any state arrived) is a failed call: the screen stays, with Retry.
9. An error reply to a signed-out entry (sign in, sign up, forgot password,
   passkey sign-in) stays on that screen with what was typed.
10. Otherwise the reply is the new state: the screen follows it, and of what
    was typed only the username is kept (rule 4).
11. A sign-in that meets an unconfirmed account (``UserNotConfirmedException``)
    is no dead end: the machine asks for a new code (``resendSignUpCode``, sent
    from ``signedOut``, see :mod:`.unconfirmed`) and shows the confirm screen.
12. When the server refuses that resend, the confirm form is offered anyway,
    built from the recorded shape: the first code still works.
13. A confirm screen the shell kept across a reload (:class:`Start` ``resume``)
    is shown again when the first read says "signed out".
14. Removing the last item (passkey) re-reads the state: the reply lists only
    what the item list offers, and the card would lose its other controls.
15. A change refused because the sign-in is old answers a signed-in state
    with an error that offers ``reauthenticate``: it is shown as it is (rule 5
    would re-read it away), and the refused change is remembered.
16. Once ``reauthenticate`` succeeds, the remembered change is sent again: the
    person confirmed who they are to make it, not to start over.

Every fact about an action these rules use (its screen, its notice, whether
it is resubmittable, whether it ends the visit) is one row of the action table
in :mod:`.actions`; none is spelled here.

A reply is decided by :data:`REPLY_RULES`, one function per rule, tried in
this order; the first that decides wins, and ``follow_reply`` always does:

* rule 12, ``offer_confirm_when_resend_refused``: the machine's own resend failed;
* rule 2, ``keep_form_on_thin_retriable``: a submit got a thin retriable reply;
* rule 8, ``fail_thin_retriable_without_form``: a thin retriable reply, no form;
* rule 15, ``show_reauthentication``: a change needs a fresh proof of identity;
* rule 5, ``resync_error_while_signed_in``: an error while (or on) signed in;
* rule 6, ``keep_failed_confirm_form``: a resubmittable confirm failed;
* rule 11, ``resend_code_to_unconfirmed_account``: sign-in met an unconfirmed account;
* rule 13, ``resume_confirm_after_reload``: the first read after a reload, a kept confirm screen;
* rule 9, ``stay_on_failed_entry_screen``: a signed-out entry failed;
* rule 4, ``forget_person_on_sign_out``: sign-out succeeded;
* rule 3, ``submit_lone_auto_sign_in``: the reply is a lone autoSignIn;
* rule 14, ``reread_after_last_item_removed``: the last passkey was removed;
* rule 16, ``resume_after_reauthentication``: the proof succeeded, the change goes again;
* rule 10, ``follow_reply``: always.

Events that cannot happen in the current phase (a reply with no call pending,
a credential with no ceremony) raise :class:`InvalidTransition`: they are shell
bugs, and hiding them would hide lost replies. So do person events the screen
does not offer (a Navigate to a screen the state lacks, a Submit of an action
that is not there).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Final

from .actions import REAUTHENTICATION_STEPS, SCREEN_OF_ENTRY, ActionRole, ActionRow, is_item, row_of
from .classify import classify_screen
from .context import Context, MachineConfig, Pending, Phase
from .effects import (
    AuthChanged,
    CallGetAuthState,
    CallSetAuthState,
    Effect,
    RunWebAuthn,
    SubmitExternalForm,
)
from .events import (
    CallFailed,
    Cancel,
    DismissSuggestion,
    Event,
    Navigate,
    Refresh,
    Retry,
    ServerReplied,
    Start,
    Submit,
    WebAuthnFailed,
    WebAuthnResult,
)
from .forms import Form
from .messages import Text, error_text, msg, webauthn_error_text
from .present import build_screen
from .protocol import (
    AUTO_SIGN_IN,
    CONFIRMING_SIGN_UP,
    REAUTHENTICATE,
    RESEND_SIGN_UP_CODE,
    SIGN_IN,
    SIGNED_IN,
    SIGNED_OUT,
    WEBAUTHN_CREATE,
    WEBAUTHN_GET,
    AuthState,
    AuthUser,
)
from .screens import LOCAL_SCREENS, Screen, ScreenName
from .submission import field_text, normalize_value, payload_of, validate_form
from .unconfirmed import NOT_CONFIRMED_ERROR, confirm_sign_up_state, resend_payload


class InvalidTransition(Exception):
    """An event arrived that the machine cannot receive in its current phase."""


_FAILURE_KEYS: Final[Mapping[str, str]] = {
    "network": "error.network",
    "timeout": "error.timeout",
    "protocol": "error.protocol",
}

_CONTEXT_FIELDS: Final = frozenset(f.name for f in fields(Context))

Handler = Callable[["AuthMachine", Event], "tuple[AuthMachine, tuple[Effect, ...]]"]


@dataclass(frozen=True)
class AuthMachine:
    """The client state machine. Immutable: ``handle`` returns a new one."""

    config: MachineConfig = field(default_factory=MachineConfig)
    ctx: Context = field(default_factory=Context)

    # ----------------------------------------------------------------- queries

    @cached_property
    def screen(self) -> Screen:
        """What to show now (computed once per machine value; machines are immutable)."""
        return build_screen(self.ctx, self.config)

    @property
    def phase(self) -> Phase:
        return self.ctx.phase

    @property
    def state(self) -> AuthState | None:
        return self.ctx.state

    @property
    def user(self) -> AuthUser | None:
        return self.ctx.user

    # ------------------------------------------------------------------ driver

    def handle(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        """Apply ``event``; return the next machine and the effects to run, in order."""
        handler = _TABLE.get((self.ctx.phase, type(event)))
        if handler is None:
            raise InvalidTransition(f"{type(event).__name__} cannot happen while {self.ctx.phase.value}")
        return handler(self, event)

    def _with(self, **changes: object) -> AuthMachine:
        """This machine with some context fields changed.

        A copy of the frozen Context's ``__dict__`` rather than
        ``dataclasses.replace``, which re-runs ``__init__`` and was a fifth of
        the cost of a transition (bench/machine.py).
        """
        assert _CONTEXT_FIELDS.issuperset(changes), set(changes) - _CONTEXT_FIELDS
        ctx = object.__new__(Context)
        ctx.__dict__.update(self.ctx.__dict__)
        ctx.__dict__.update(changes)
        return AuthMachine(self.config, ctx)

    def _call(
        self, call: CallSetAuthState | CallGetAuthState, action: str | None, **changes: object
    ) -> AuthMachine:
        pending = Pending(call=call, action=action, keep_message=bool(changes.pop("keep_message", False)))
        return self._with(pending=pending, phase=Phase.CALLING, failed=None, **changes)

    # ------------------------------------------------------------- person side

    def _start(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        call = CallGetAuthState()
        if not isinstance(event, Start):
            return self._call(call, None, keep_message=True), (call,)
        view = event.view if event.view in LOCAL_SCREENS else self.ctx.view
        if view is ScreenName.SIGN_UP and not self.config.sign_up:
            view = self.ctx.view
        return self._call(call, None, keep_message=True, resume=event.resume, view=view), (call,)

    def _ignore(self, _: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        return self, ()

    def _navigate(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        assert isinstance(event, Navigate)
        state = self.ctx.state
        try:
            target = ScreenName(event.to)
        except ValueError:
            raise InvalidTransition(f"there is no screen called {event.to!r}") from None
        if state is None or state.state != SIGNED_OUT or target not in LOCAL_SCREENS:
            raise InvalidTransition(f"cannot navigate to {target.value} from {self.screen.name.value}")
        if state.action(LOCAL_SCREENS[target]) is None:
            raise InvalidTransition(f"the server does not offer {target.value} now")
        if target is ScreenName.SIGN_UP and not self.config.sign_up:
            raise InvalidTransition("sign-up is turned off in this app")
        username = self.ctx.values.get("username")
        values = {"username": username} if username else {}
        # Leaving for another screen ends any sign-up in progress: forget its password.
        return self._with(view=target, values=values, sign_up_password=None, **_cleared_messages()), ()

    def _cancel(self, _: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        state = self.ctx.state
        if state is not None and state.state == SIGNED_OUT:
            return self._with(view=ScreenName.SIGN_IN, sign_up_password=None, **_cleared_messages()), ()
        call = CallGetAuthState()
        changed = self._call(
            call, None, view=ScreenName.SIGN_IN, sign_up_password=None, **_cleared_messages()
        )
        return changed, (call,)

    def _dismiss_suggestion(self, _: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        return self._with(suggest_factor=False), ()

    def _retry(self, _: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        failed = self.ctx.failed
        if failed is None:
            raise InvalidTransition("nothing to retry")
        action = failed.action if isinstance(failed, CallSetAuthState) else None
        return self._call(failed, action, error=None, error_name=None, error_field=None), (failed,)

    def _submit(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        assert isinstance(event, Submit)
        screen = self.screen
        form = _pick_form(screen, event)
        if form is None:
            wanted = event.action or "the primary form"
            raise InvalidTransition(f"{wanted} is not offered on {screen.name.value}")
        values = {
            **self.ctx.values,
            **{k: normalize_value(form.field(k), v) for k, v in event.values.items()},
        }
        if form.url:
            fields = {f.name: field_text(f, values) for f in form.fields if f.sent}
            return self, (SubmitExternalForm(form.url, form.method, fields),)
        errors = {} if event.skip_validation else validate_form(form, values)
        if errors:
            return self._with(
                values=values, field_errors=errors, error=None, error_name=None, error_field=None
            ), ()
        payload = payload_of(form, values)
        payload.update(event.extra)
        changes: dict[str, object] = {
            "values": values,
            **self._remembered(form, payload, values),
            **_cleared_messages(),
        }
        if form.capability in (WEBAUTHN_GET, WEBAUTHN_CREATE):
            pending = Pending(call=None, action=form.action, payload=payload)
            changed = self._with(pending=pending, phase=Phase.CEREMONY, failed=None, **changes)
            return changed, (_ceremony(form),)
        call = CallSetAuthState(payload)
        return self._call(call, form.action, **changes), (call,)

    def _remembered(
        self, form: Form, payload: Mapping[str, object], values: Mapping[str, str]
    ) -> dict[str, object]:
        """What a submit teaches the machine about the person (rule 4)."""
        username = payload.get("username")
        row = row_of(form.action)
        holds_password = row is not None and row.holds_password
        return {
            "username": username if isinstance(username, str) and username else self.ctx.username,
            "sign_up_password": values.get("password") if holds_password else self.ctx.sign_up_password,
        }

    def _webauthn_result(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        assert isinstance(event, WebAuthnResult)
        pending = self.ctx.pending
        assert pending is not None and pending.payload is not None
        call = CallSetAuthState({**pending.payload, "credential": event.credential})
        return self._call(call, pending.action), (call,)

    def _webauthn_failed(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        assert isinstance(event, WebAuthnFailed)
        text: Text
        named = webauthn_error_text(event.detail)
        if event.reason == "cancelled":
            text = msg("error.passkey_cancelled")
        elif named is not None:
            text = named
        elif event.reason == "unavailable":
            text = msg("error.passkey_unavailable")
        else:
            text = msg("error.passkey_failed", reason=event.detail or "unknown error")
        return self._with(pending=None, phase=Phase.IDLE, error=text, error_name=None, error_field=None), ()

    # -------------------------------------------------------------- world side

    def _replied(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        assert isinstance(event, ServerReplied)
        return _on_reply(self, event.state)

    def _failed(self, event: Event) -> tuple[AuthMachine, tuple[Effect, ...]]:
        assert isinstance(event, CallFailed)
        pending = self.ctx.pending
        assert pending is not None and pending.call is not None
        text, error_field = _failure_text(event)
        idle = self._with(
            pending=None,
            phase=Phase.IDLE,
            error=text,
            error_name=event.name,
            error_field=error_field,
            failed=pending.call,
        )
        if event.http_status == 401 and isinstance(pending.call, CallSetAuthState):
            # The session is gone (requireAuth): learn the real state, keep the message.
            call = CallGetAuthState()
            return idle._call(call, None, keep_message=True), (call,)
        return idle, ()


def _cleared_messages() -> dict[str, object]:
    return {"error": None, "error_name": None, "error_field": None, "field_errors": {}, "notice": None}


def _pick_form(screen: Screen, event: Submit) -> Form | None:
    """The form ``event`` submits, or None when the screen offers none such.

    Values given for hidden fields select among forms with the same action (one
    ``deletePasskey`` per passkey). They must match what the server sent: a
    submit from a stale screen (a passkey already deleted, an old session) is
    refused rather than applied to whichever form happens to come first.
    """
    if event.action is None:
        candidates = [screen.primary] if screen.primary is not None else []
    else:
        candidates = [f for f in screen.forms if f.action == event.action]
    if not candidates:
        return None
    for form in candidates:
        hidden = {f.name: f.value for f in form.fields if not f.visible and f.name in event.values}
        if all(event.values[k] == v for k, v in hidden.items()):
            return form
    raise InvalidTransition(
        f"the hidden values given match no {candidates[0].action} form on {screen.name.value}"
    )


def _ceremony(form: Form) -> RunWebAuthn:
    """The WebAuthn ceremony a passkey form asks the browser for, with the server's options."""
    get = form.capability == WEBAUTHN_GET
    options = form.field("credentialRequestOptions" if get else "credentialCreationOptions")
    return RunWebAuthn("get" if get else "create", options.value if options else "{}", form.action)


def _failure_text(event: CallFailed) -> tuple[Text, str | None]:
    if event.kind in _FAILURE_KEYS:
        return msg(_FAILURE_KEYS[event.kind]), None
    text, error_field = error_text(event.message or None, event.name)
    status = event.http_status or 500
    if event.name is None and status >= 500:
        detail = str(event.code) if event.code is not None else (event.message or "unknown")
        return msg("error.server", detail=detail), None
    if event.name is None and status == 401:
        return msg("error.not_authenticated"), None
    return text or msg("error.unknown"), error_field


def _user_changed(before: AuthUser | None, after: AuthUser | None) -> bool:
    if before is None or after is None:
        return before is not after
    return (before.user_id, before.username) != (after.user_id, after.username)


# ------------------------------------------------------------------ replies
#
# A reply is decided by REPLY_RULES: each rule looks at the facts of the reply
# and either decides (next machine, effects) or passes (None) to the next one.
# The last rule always decides. The order is the precedence the module
# docstring gives, and every rule is one function, tested on its own
# (tests/state_machine/test_reply_rules.py).

Decision = tuple["AuthMachine", tuple[Effect, ...]]


@dataclass(frozen=True)
class ReplyFacts:
    """What every reply rule may ask about a reply to the pending call.

    Computed once per reply (:meth:`of`), so the rules read plain attributes.
    """

    machine: AuthMachine  # before the reply
    reply: AuthState
    pending: Pending
    action: str | None  # the action whose call this answers (None for getAuthState)
    row: ActionRow | None  # the table's row for that action
    was_set: bool  # it answers a setAuthState call
    thin_retriable: bool  # ``{signedOut, actions: [], retriable: true}``: an error carrying no form
    error: Text | None
    error_field: str | None
    new_user: AuthUser | None  # who is signed in after the reply
    idle: AuthMachine  # the machine with the call finished, before anything else changes

    @classmethod
    def of(cls, machine: AuthMachine, reply: AuthState) -> ReplyFacts:
        pending = machine.ctx.pending
        if pending is None:
            raise InvalidTransition("a reply arrived with no call pending")
        error, error_field = error_text(reply.error, reply.error_name, reply.retry_after)
        return cls(
            machine=machine,
            reply=reply,
            pending=pending,
            action=pending.action,
            row=row_of(pending.action),
            was_set=isinstance(pending.call, CallSetAuthState),
            thin_retriable=bool(reply.retriable) and not reply.actions,
            error=error,
            error_field=error_field,
            new_user=reply.user if reply.state == SIGNED_IN else None,
            idle=machine._with(
                pending=None, phase=Phase.IDLE, failed=None, resume=None, suggest_factor=False
            ),
        )

    @property
    def user_effects(self) -> tuple[Effect, ...]:
        """AuthChanged when the reply signs someone in or out (or another person in)."""
        new_user = self.new_user
        return (AuthChanged(new_user),) if _user_changed(self.machine.ctx.user, new_user) else ()

    def error_messages(self) -> dict[str, object]:
        return {"error": self.error, "error_name": self.reply.error_name, "error_field": self.error_field}

    def messages(self) -> dict[str, object]:
        """The error/notice the reply leaves on screen."""
        if self.error is not None:
            return {**self.error_messages(), "notice": None}
        if self.pending.keep_message:
            return {}
        row = self.row
        notice = None
        if (
            row is not None
            and row.notice
            and (not row.notice_when_signed_out or self.reply.state == SIGNED_OUT)
        ):
            notice = msg(row.notice)
        return {"error": None, "error_name": None, "error_field": None, "notice": notice}


def offer_confirm_when_resend_refused(facts: ReplyFacts) -> Decision | None:
    """Rule 12: the server would not resend an unconfirmed account's code: the confirm form still works.

    Only for the resend the machine sent on its own (rule 11), from a signed-out
    screen. The code of the first message still confirms the account, so the
    person gets the confirm screen with a plain explanation, not a dead end.
    """
    before = facts.machine.ctx.state
    if facts.action != RESEND_SIGN_UP_CODE or before is None or before.state != SIGNED_OUT:
        return None
    if facts.error is None or not facts.machine.ctx.username:
        return None
    changed = facts.idle._with(
        state=confirm_sign_up_state(facts.machine.ctx.username),
        view=None,
        values={"username": facts.machine.ctx.username},
        field_errors={},
        error=msg("error.unconfirmed_resend_refused"),
        error_name=facts.reply.error_name,
        error_field=None,
        notice=None,
    )
    return changed, ()


def keep_form_on_thin_retriable(facts: ReplyFacts) -> Decision | None:
    """Rule 2: a thin retriable reply keeps the form, its session and the typed values."""
    if not (facts.was_set and facts.thin_retriable and facts.machine.ctx.state is not None):
        return None
    return facts.idle._with(**facts.error_messages()), ()


def fail_thin_retriable_without_form(facts: ReplyFacts) -> Decision | None:
    """Rule 8: a thin retriable reply with no form to keep is a failed call.

    An answer to getAuthState, or one before any state arrived, would leave
    nothing to act on: keep the screen and offer Retry of the same call.
    """
    if not facts.thin_retriable or facts.pending.call is None:
        return None
    failure = facts.error or msg("error.unknown")
    return facts.idle._with(
        error=failure, error_name=facts.reply.error_name, error_field=None, failed=facts.pending.call
    ), ()


def show_reauthentication(facts: ReplyFacts) -> Decision | None:
    """Rule 15: a change refused for an old sign-in shows the re-authentication screen, error and all.

    The reply is ``signedIn`` with an error, which rule 5 would re-read into the
    ordinary account card; but it offers ``reauthenticate``, and the person
    must prove who they are right here. The refused call is kept for rule 16
    (the screen's own steps, choosing a method or resending a code, keep it).
    """
    reply = facts.reply
    if not facts.was_set or reply.state != SIGNED_IN or reply.action(REAUTHENTICATE) is None:
        return None
    own_step = facts.action in REAUTHENTICATION_STEPS
    refused = facts.pending.call if isinstance(facts.pending.call, CallSetAuthState) else None
    changed, effects = _adopt(facts, None, {}, _username_after(facts))
    return changed._with(reauth_resume=facts.machine.ctx.reauth_resume if own_step else refused), effects


def resync_error_while_signed_in(facts: ReplyFacts) -> Decision | None:
    """Rule 5: an error while signed in is re-synced with getAuthState; the message stays."""
    before = facts.machine.ctx.state
    signed_in_before = before is not None and before.state == SIGNED_IN
    if not (
        facts.was_set and facts.error is not None and (signed_in_before or facts.reply.state == SIGNED_IN)
    ):
        return None
    call = CallGetAuthState()
    resync = facts.idle._with(**facts.error_messages())
    return resync._call(call, None, keep_message=True), (call,)


def keep_failed_confirm_form(facts: ReplyFacts) -> Decision | None:
    """Rule 6: a failed stateless confirm (or resend) keeps its form and what was typed."""
    row, before = facts.row, facts.machine.ctx.state
    if facts.error is None or row is None or not row.resubmittable or before is None:
        return None
    if facts.reply.state != SIGNED_OUT or before.action(row.name) is None:
        return None
    return facts.idle._with(user=facts.new_user, field_errors={}, **facts.messages()), facts.user_effects


def resend_code_to_unconfirmed_account(facts: ReplyFacts) -> Decision | None:
    """Rule 11: a sign-in that meets an unconfirmed account asks for a new code and shows the confirm screen.

    The server said the password is right but the sign-up was never confirmed
    (:data:`.unconfirmed.NOT_CONFIRMED_ERROR`). Rather than a message with
    nothing to click, the machine sends ``resendSignUpCode`` itself; the reply
    is the confirm screen, and the notice says why it is there.
    """
    username = facts.machine.ctx.username
    if facts.action != SIGN_IN or facts.reply.error_name != NOT_CONFIRMED_ERROR or not username:
        return None
    if facts.reply.state != SIGNED_OUT:
        return None
    call = CallSetAuthState(resend_payload(username))
    waiting = facts.idle._with(
        state=facts.reply,
        values={"username": username},
        field_errors={},
        error=None,
        error_name=None,
        error_field=None,
        notice=msg("notice.unconfirmed_code_sent"),
    )
    return waiting._call(call, RESEND_SIGN_UP_CODE, keep_message=True), (call,)


def resume_confirm_after_reload(facts: ReplyFacts) -> Decision | None:
    """Rule 13: the first read after a reload says "signed out": show the confirm screen kept across it.

    The server holds no memory of a pending confirmation (``confirmSignUp`` is
    stateless, see :mod:`.unconfirmed`), so the shell keeps the confirm state
    and hands it to :class:`Start`; any other answer (signed in, an error)
    wins over it.
    """
    resume = facts.machine.ctx.resume
    if resume is None or facts.was_set or facts.reply.state != SIGNED_OUT or facts.error is not None:
        return None
    changed = facts.idle._with(
        state=resume,
        view=None,
        values={"username": facts.machine.ctx.username} if facts.machine.ctx.username else {},
        field_errors={},
    )
    return changed, ()


def stay_on_failed_entry_screen(facts: ReplyFacts) -> Decision | None:
    """Rule 9: a failed signed-out entry (sign in, sign up, ...) stays on its screen, typing kept."""
    screen = SCREEN_OF_ENTRY.get(facts.action or "")
    if facts.error is None or screen is None or facts.reply.state != SIGNED_OUT:
        return None
    return _adopt(facts, screen, facts.machine.ctx.values, _username_after(facts))


def forget_person_on_sign_out(facts: ReplyFacts) -> Decision | None:
    """Rule 4 (last sentence): signing out forgets the username and the typed values."""
    row = facts.row
    if row is None or not row.ends_visit or facts.reply.state != SIGNED_OUT:
        return None
    return _adopt(facts, _view_after(facts), {}, None)


def submit_lone_auto_sign_in(facts: ReplyFacts) -> Decision | None:
    """Rule 3: a lone autoSignIn is submitted at once, but never twice in a row."""
    if facts.action == AUTO_SIGN_IN or facts.reply.state != CONFIRMING_SIGN_UP:
        return None
    if classify_screen(facts.reply, None) is not ScreenName.AUTO_SIGN_IN:
        return None
    changed, effects = follow_reply(facts)
    auto = changed.screen.primary
    if auto is None:
        return None
    call = CallSetAuthState(payload_of(auto, {}))
    return changed._call(call, auto.action), (*effects, call)


def reread_after_last_item_removed(facts: ReplyFacts) -> Decision | None:
    """Rule 14: removing the last passkey re-reads the state, so the card stays complete.

    Both servers answer a ``deletePasskey`` with the passkey list's actions only
    (``cognito_req_passkey_register_list_delete.jsonl`` step 9: add a passkey,
    sign out). With no passkey left that list is empty, and the signed-in card
    would lose its other controls until a reload; ``getAuthState`` has them all.
    """
    row = facts.row
    if row is None or row.role is not ActionRole.ITEM or facts.error is not None:
        return None
    if facts.reply.state != SIGNED_IN or any(is_item(a.name) for a in facts.reply.actions):
        return None
    changed, effects = follow_reply(facts)
    call = CallGetAuthState()
    return changed._call(call, None, keep_message=True), (*effects, call)


def resume_after_reauthentication(facts: ReplyFacts) -> Decision | None:
    """Rule 16: the person proved who they are: the change that asked for it is sent again."""
    resume = facts.machine.ctx.reauth_resume
    if resume is None or facts.action != REAUTHENTICATE or facts.error is not None:
        return None
    if facts.reply.state != SIGNED_IN or facts.reply.action(REAUTHENTICATE) is not None:
        return None
    changed, effects = follow_reply(facts)
    return changed._call(resume, resume.action), (*effects, resume)


def follow_reply(facts: ReplyFacts) -> Decision:
    """Rule 10: otherwise show what the server says, keeping only the username (rule 4)."""
    ctx = facts.machine.ctx
    values = {"username": ctx.username} if ctx.username and facts.reply.state != SIGNED_IN else {}
    return _adopt(facts, _view_after(facts), values, _username_after(facts))


def _view_after(facts: ReplyFacts) -> ScreenName | None:
    """The person's signed-out pick survives a re-read (Start, Refresh, a resync), not a submit."""
    return facts.machine.ctx.view if facts.reply.state == SIGNED_OUT and facts.pending.keep_message else None


def _username_after(facts: ReplyFacts) -> str | None:
    new_user = facts.new_user
    return new_user.username if new_user is not None and new_user.username else facts.machine.ctx.username


def _adopt(
    facts: ReplyFacts, view: ScreenName | None, values: Mapping[str, str], username: str | None
) -> Decision:
    """Take the reply as the new state, with the given pick, typed values and username."""
    # The sign-up password lives only while a confirm step may still ask for it (rule 4).
    screen = classify_screen(facts.reply, view)
    keep_password = screen in (ScreenName.CONFIRM_SIGN_UP, ScreenName.AUTO_SIGN_IN)
    row = facts.row
    suggest = (
        row is not None and row.suggests_second_factor and facts.error is None and facts.new_user is not None
    )
    changed = facts.idle._with(
        state=facts.reply,
        view=view,
        values=values,
        username=username,
        user=facts.new_user,
        suggest_factor=suggest,
        sign_up_password=facts.machine.ctx.sign_up_password if keep_password else None,
        field_errors={},
        reauth_resume=None,
        **facts.messages(),
    )
    return changed, facts.user_effects


ReplyRule = Callable[[ReplyFacts], "Decision | None"]

# Tried in this order; the first decision wins (the module docstring lists them).
REPLY_RULES: Final[tuple[ReplyRule, ...]] = (
    offer_confirm_when_resend_refused,  # rule 12
    keep_form_on_thin_retriable,  # rule 2
    fail_thin_retriable_without_form,  # rule 8
    show_reauthentication,  # rule 15
    resync_error_while_signed_in,  # rule 5
    keep_failed_confirm_form,  # rule 6
    resend_code_to_unconfirmed_account,  # rule 11
    resume_confirm_after_reload,  # rule 13
    stay_on_failed_entry_screen,  # rule 9
    forget_person_on_sign_out,  # rule 4
    submit_lone_auto_sign_in,  # rule 3
    reread_after_last_item_removed,  # rule 14
    resume_after_reauthentication,  # rule 16
    follow_reply,  # rule 10
)


def _on_reply(machine: AuthMachine, reply: AuthState) -> Decision:
    """A reply arrived for the pending call: the first rule that decides, decides."""
    facts = ReplyFacts.of(machine, reply)
    for rule in REPLY_RULES:
        decision = rule(facts)
        if decision is not None:
            return decision
    raise AssertionError("follow_reply always decides")  # pragma: no cover


_TABLE: Final[dict[tuple[Phase, type], Handler]] = {
    (Phase.IDLE, Start): AuthMachine._start,
    (Phase.IDLE, Refresh): AuthMachine._start,
    (Phase.IDLE, Navigate): AuthMachine._navigate,
    (Phase.IDLE, Submit): AuthMachine._submit,
    (Phase.IDLE, Cancel): AuthMachine._cancel,
    (Phase.IDLE, Retry): AuthMachine._retry,
    (Phase.IDLE, DismissSuggestion): AuthMachine._dismiss_suggestion,
    (Phase.CALLING, ServerReplied): AuthMachine._replied,
    (Phase.CALLING, CallFailed): AuthMachine._failed,
    (Phase.CALLING, Submit): AuthMachine._ignore,
    (Phase.CALLING, Navigate): AuthMachine._ignore,
    (Phase.CALLING, Cancel): AuthMachine._ignore,
    (Phase.CALLING, Refresh): AuthMachine._ignore,
    (Phase.CALLING, Start): AuthMachine._ignore,
    (Phase.CALLING, Retry): AuthMachine._ignore,
    (Phase.CALLING, DismissSuggestion): AuthMachine._ignore,
    (Phase.CEREMONY, WebAuthnResult): AuthMachine._webauthn_result,
    (Phase.CEREMONY, WebAuthnFailed): AuthMachine._webauthn_failed,
    (Phase.CEREMONY, Submit): AuthMachine._ignore,
    (Phase.CEREMONY, Navigate): AuthMachine._ignore,
    (Phase.CEREMONY, Cancel): AuthMachine._ignore,
    (Phase.CEREMONY, Refresh): AuthMachine._ignore,
    (Phase.CEREMONY, Start): AuthMachine._ignore,
    (Phase.CEREMONY, Retry): AuthMachine._ignore,
    (Phase.CEREMONY, DismissSuggestion): AuthMachine._ignore,
}
