"""Replay of every recorded exchange in ``tests/fixtures/aws-blocks``.

For every step of every file:

* a recorded ``setAuthState`` request is reproduced: a machine looking at the
  screen the person had in front of them gets the person's values (only what
  the screen shows as inputs) and must send exactly the recorded payload,
  hidden ``session``/``challenge``/options included;
* a recorded reply that is an AuthState gives the screen a person expects,
  written out below per step (EXPECTED), with the details that matter (DETAILS);
* a recorded ``getAuthState`` is replayed as a Refresh;
* a recorded JSON-RPC error is fed as the failure of a pending call.

Which screen the person was looking at is not taken from the code under test:
it is the most recent earlier reply in the same file that offers the recorded
action (a thin retriable reply offers nothing, so the form before it counts),
or, when the file starts mid-flow, the server's base state from SERVER_BASES.
When the reply to a request is checked in context it is fed to that same
machine; replies to requests that no screen could have sent are classified on
their own, as a page reload would show them.
"""

from __future__ import annotations

from typing import Any

import pytest
from nicegui_authenticator.state_machine import (
    AuthChanged,
    AuthMachine,
    CallFailed,
    CallGetAuthState,
    CallSetAuthState,
    FieldKind,
    Msg,
    Navigate,
    Phase,
    Raw,
    Refresh,
    Retry,
    RunWebAuthn,
    Screen,
    ScreenName,
    ServerReplied,
    Start,
    Submit,
    WebAuthnResult,
    classify_screen,
)
from sm_support import REPLAY_COUNTS, SKIP_REASONS, Step, fixture_files, load_all, step

BASIC = "basic_errors_and_protocol_edges.jsonl"
RESET = "basic_reset_password.jsonl"
JWT = "basic_signout_does_not_revoke_jwt.jsonl"
SIGNUP = "basic_signup_confirm_signin_signout.jsonl"
OPT_ERR = "cognito_opt_errors.jsonl"
OPT_RESET = "cognito_opt_reset_password.jsonl"
OPT_BOOL = "cognito_opt_signup_autosignin_bool_false.jsonl"
OPT_MFA = "cognito_opt_signup_autosignin_email_mfa.jsonl"
OPT_NOAUTO = "cognito_opt_signup_no_autosignin.jsonl"
OPT_TOTP = "cognito_opt_totp_enroll_and_signin.jsonl"
REQ_PASSKEY = "cognito_req_passkey_register_list_delete.jsonl"
REQ_RESET = "cognito_req_reset_password.jsonl"
REQ_TOTP = "cognito_req_totp_setup_signin.jsonl"
UA_PASSKEY = "cognito_ua_passkey_register_and_signin.jsonl"
UA_SIGNUP = "cognito_ua_signup_autosignin.jsonl"

# Base replies of each server, for files that start mid-flow: (signed out, signed in).
SERVER_BASES: dict[str, tuple[tuple[str, int], ...]] = {
    "basic": ((SIGNUP, 1), (SIGNUP, 7)),
    "cognito-optional": ((OPT_MFA, 1), (OPT_MFA, 10)),
    "cognito-required": ((REQ_TOTP, 1), (REQ_TOTP, 7)),
    "cognito-userauth": ((UA_SIGNUP, 1), (UA_PASSKEY, 1)),
}

# The screen a person sees once each recorded AuthState reply is in.
EXPECTED: dict[tuple[str, int], str] = {
    (BASIC, 1): "sign_up",  # weak password: stay on the sign-up form
    (BASIC, 2): "sign_in",
    (BASIC, 3): "sign_in",
    (BASIC, 8): "sign_in",
    (BASIC, 9): "sign_in",
    (BASIC, 10): "sign_in",
    (BASIC, 15): "signed_in",
    (RESET, 1): "confirm_reset_password",
    (RESET, 2): "confirm_reset_password",  # wrong code: the confirm form stays
    (RESET, 3): "confirm_reset_password",  # weak new password: idem
    (RESET, 4): "confirm_reset_password",
    (RESET, 5): "sign_in",
    (RESET, 6): "sign_in",
    (RESET, 7): "signed_in",
    (RESET, 8): "sign_in",
    (RESET, 9): "confirm_reset_password",
    (JWT, 1): "signed_in",
    (JWT, 2): "sign_in",
    (JWT, 3): "signed_in",
    (SIGNUP, 1): "sign_in",
    (SIGNUP, 2): "confirm_sign_up",
    (SIGNUP, 3): "confirm_sign_up",  # wrong code: the confirm form stays
    (SIGNUP, 4): "sign_in",
    (SIGNUP, 5): "confirm_sign_up",
    (SIGNUP, 6): "signed_in",
    (SIGNUP, 7): "signed_in",
    (SIGNUP, 9): "sign_in",
    (SIGNUP, 10): "sign_in",
    (SIGNUP, 12): "sign_in",
    (SIGNUP, 13): "signed_in",
    (SIGNUP, 14): "signed_in",  # error while signed in: re-synced, still signed in
    (SIGNUP, 15): "sign_in",
    (OPT_ERR, 1): "sign_up",
    (OPT_ERR, 2): "sign_in",
    (OPT_ERR, 3): "sign_in",
    (OPT_ERR, 4): "sign_in",
    (OPT_RESET, 1): "confirm_reset_password",
    (OPT_RESET, 2): "confirm_reset_password",
    (OPT_RESET, 3): "sign_in",
    (OPT_RESET, 4): "select_mfa",
    (OPT_RESET, 5): "confirm_reset_password",
    (OPT_BOOL, 1): "confirm_sign_up",
    (OPT_MFA, 1): "sign_in",
    (OPT_MFA, 2): "sign_up",
    (OPT_MFA, 3): "confirm_sign_up",
    (OPT_MFA, 4): "confirm_sign_up",
    (OPT_MFA, 5): "confirm_sign_up",
    (OPT_MFA, 6): "auto_sign_in",
    (OPT_MFA, 7): "confirm_code",
    (OPT_MFA, 8): "confirm_code",  # thin retriable reply: the code form stays
    (OPT_MFA, 9): "signed_in",
    (OPT_MFA, 10): "signed_in",
    (OPT_MFA, 13): "sign_in",
    (OPT_MFA, 14): "sign_in",
    (OPT_MFA, 15): "sign_in",
    (OPT_MFA, 16): "sign_in",
    (OPT_MFA, 17): "confirm_code",
    (OPT_MFA, 18): "sign_in",  # expired session: back to sign in
    (OPT_MFA, 19): "signed_in",
    (OPT_NOAUTO, 1): "confirm_sign_up",
    (OPT_NOAUTO, 2): "sign_in",
    (OPT_NOAUTO, 3): "sign_in",
    (OPT_NOAUTO, 4): "signed_in",
    (OPT_NOAUTO, 5): "sign_in",
    (OPT_NOAUTO, 6): "sign_in",
    (OPT_TOTP, 5): "sign_in",
    (OPT_TOTP, 6): "confirm_code",
    (OPT_TOTP, 7): "confirm_code",
    (OPT_TOTP, 8): "signed_in",
    (OPT_TOTP, 9): "sign_in",
    (OPT_TOTP, 10): "confirm_code",
    (OPT_TOTP, 11): "signed_in",
    (REQ_PASSKEY, 1): "passkey_register",
    (REQ_PASSKEY, 2): "passkey_manage",
    (REQ_PASSKEY, 3): "sign_in",
    (REQ_PASSKEY, 4): "passkey_manage",
    (REQ_PASSKEY, 5): "sign_in",
    (REQ_PASSKEY, 6): "passkey_sign_in",
    (REQ_PASSKEY, 7): "confirm_code",
    (REQ_PASSKEY, 8): "signed_in",
    (REQ_PASSKEY, 9): "signed_in",  # last passkey deleted: plain signed-in screen
    (REQ_PASSKEY, 10): "sign_in",
    (REQ_RESET, 1): "confirm_reset_password",
    (REQ_RESET, 2): "sign_in",
    (REQ_RESET, 3): "confirm_code",
    (REQ_TOTP, 1): "sign_in",
    (REQ_TOTP, 2): "confirm_sign_up",
    (REQ_TOTP, 3): "auto_sign_in",
    (REQ_TOTP, 4): "select_mfa_setup",
    (REQ_TOTP, 5): "setup_totp",
    (REQ_TOTP, 6): "setup_totp",  # thin retriable reply: the setup form stays
    (REQ_TOTP, 7): "signed_in",
    (REQ_TOTP, 9): "sign_in",
    (REQ_TOTP, 10): "confirm_code",
    (REQ_TOTP, 11): "signed_in",
    (UA_PASSKEY, 1): "signed_in",
    (UA_PASSKEY, 2): "passkey_register",
    (UA_PASSKEY, 3): "passkey_manage",
    (UA_PASSKEY, 4): "sign_in",
    (UA_PASSKEY, 5): "passkey_assert",
    (UA_PASSKEY, 6): "sign_in",
    (UA_PASSKEY, 7): "signed_in",
    (UA_PASSKEY, 8): "sign_in",
    (UA_SIGNUP, 1): "sign_in",
    (UA_SIGNUP, 2): "confirm_sign_up",
    (UA_SIGNUP, 3): "auto_sign_in",
    (UA_SIGNUP, 4): "signed_in",
    (UA_SIGNUP, 5): "signed_in",
}

TOTP_SECRET = "Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7"
CAROL_EMAIL = "carol-8e673b-5e4e@example.com"
EMAIL_CODE = {"code_variant": "email", "destination": CAROL_EMAIL, "fields": ("code",)}
TOTP_CODE = {"code_variant": "totp", "destination": None, "fields": ("code",)}

# What else the screen must show after the reply (checked in context only).
DETAILS: dict[tuple[str, int], dict[str, Any]] = {
    (BASIC, 1): {"error": Raw("Password must contain at least 8 characters"), "field_error": "password"},
    (BASIC, 3): {"error": Msg("error.invalid_credentials"), "field_error": "password"},
    (BASIC, 15): {"user": "alice-8e673b-8af2", "auth_changed": True},
    (RESET, 1): {"fields": ("code", "newPassword", "confirmPassword")},
    (RESET, 2): {"error": Msg("error.code_mismatch"), "field_error": "code"},
    (RESET, 3): {"error": Raw("Password must contain at least 8 characters"), "field_error": "newPassword"},
    (RESET, 5): {"notice": "notice.password_reset", "error": None},
    (RESET, 6): {"error": Msg("error.invalid_credentials"), "field_error": "password"},
    (RESET, 7): {"user": "alice-8e673b-8af2", "auth_changed": True},
    (RESET, 8): {"auth_changed": True, "user": None},
    (SIGNUP, 2): {"fields": ("code",)},  # username and password known: filled in, not asked again
    (SIGNUP, 3): {"error": Msg("error.code_mismatch"), "field_error": "code"},
    (SIGNUP, 5): {"error": Raw("Password required to complete confirmSignUp")},
    (SIGNUP, 14): {"error": Msg("error.invalid_credentials"), "resync": True},
    (OPT_ERR, 1): {"error": Msg("error.username_exists"), "field_error": "username"},
    (OPT_RESET, 1): {"fields": ("code", "newPassword", "confirmPassword")},
    (OPT_RESET, 2): {"error": Msg("error.code_mismatch"), "field_error": "code"},
    (OPT_RESET, 3): {"notice": "notice.password_reset"},
    (OPT_RESET, 4): {"choices": ("TOTP", "EMAIL"), "fields": ("mfaType",)},
    (OPT_MFA, 2): {
        "error": Raw("Password must contain an uppercase letter, a digit, a symbol"),
        "field_error": "password",
    },
    (OPT_MFA, 3): {"fields": ("code",)},
    (OPT_MFA, 4): {"notice": "notice.code_resent", "fields": ("code",)},
    (OPT_MFA, 5): {"error": Msg("error.code_mismatch"), "field_error": "code"},
    (OPT_MFA, 6): {"auto_sign_in": (OPT_MFA, 7)},
    (OPT_MFA, 7): EMAIL_CODE,
    (OPT_MFA, 8): {
        **EMAIL_CODE,
        "error": Msg("error.code_mismatch"),
        "field_error": "code",
        "keeps": "session",
    },
    (OPT_MFA, 9): {"user": "carol-8e673b-5e4e", "auth_changed": True},
    (OPT_MFA, 15): {"error": Msg("error.invalid_credentials"), "field_error": "password"},
    (OPT_MFA, 17): EMAIL_CODE,
    (OPT_MFA, 18): {"error": Msg("error.code_expired")},
    (OPT_NOAUTO, 2): {"error": Msg("error.user_not_confirmed")},
    (OPT_NOAUTO, 3): {"notice": "notice.account_confirmed"},
    (OPT_TOTP, 6): TOTP_CODE,
    (OPT_TOTP, 7): {**TOTP_CODE, "error": Msg("error.code_mismatch"), "keeps": "session"},
    (OPT_TOTP, 10): TOTP_CODE,
    (REQ_PASSKEY, 1): {"fields": ()},
    (REQ_PASSKEY, 2): {"notice": "notice.passkey_registered", "secondary": ("deletePasskey", "signOut")},
    (REQ_PASSKEY, 6): {"error": Msg("error.invalid_credentials"), "field_error": None},
    (REQ_PASSKEY, 7): TOTP_CODE,
    (REQ_PASSKEY, 9): {"notice": "notice.passkey_deleted"},
    (REQ_RESET, 3): TOTP_CODE,
    (REQ_TOTP, 3): {"auto_sign_in": (REQ_TOTP, 4)},
    (REQ_TOTP, 4): {"choices": ("TOTP", "EMAIL"), "fields": ("mfaType",)},
    (REQ_TOTP, 5): {"totp_secret": TOTP_SECRET, "fields": ("code",)},
    (REQ_TOTP, 6): {"totp_secret": TOTP_SECRET, "error": Msg("error.code_mismatch"), "keeps": "session"},
    (REQ_TOTP, 10): TOTP_CODE,
    (UA_PASSKEY, 5): {"fields": ()},
    (UA_PASSKEY, 6): {"error": Msg("error.passkey_unknown")},
    (UA_PASSKEY, 7): {"user": "hana-8e673b-10eb@example.com", "auth_changed": True},
    (UA_SIGNUP, 2): {"fields": ("code",)},
    (UA_SIGNUP, 3): {"auto_sign_in": (UA_SIGNUP, 4)},
}

# Requests the client validation refuses (the recordings probe the server's own
# checks); they are replayed with skip_validation after asserting the refusal.
BLOCKED: dict[tuple[str, int], str] = {
    (BASIC, 1): "password",  # "abc" is shorter than 8 characters
    (BASIC, 3): "username",  # signIn with neither username nor password
    (RESET, 3): "newPassword",  # "short"
    (SIGNUP, 5): "password",  # confirmSignUp without the password AuthBasic needs
    (OPT_BOOL, 1): "email",  # signUp without the required email
    (OPT_NOAUTO, 1): "email",  # idem
    (OPT_TOTP, 7): "code",  # "abc"
    (REQ_TOTP, 6): "code",  # "12"
}

# Payload keys no form describes, given as Submit.extra (deliberate probes).
EXTRA: dict[tuple[str, int], dict[str, Any]] = {
    (OPT_BOOL, 1): {"autoSignIn": False},
    (OPT_NOAUTO, 1): {"autoSignIn": "false"},
    (OPT_MFA, 18): {"session": "not-a-session"},  # a tampered hidden value
}

# Recorded requests no screen can produce, and why.
NOT_FROM_A_SCREEN: dict[tuple[str, int], str] = {
    (BASIC, 2): "hand-made request: unknown action 'bogusAction'",
    (OPT_ERR, 2): "hand-made request: confirmSignUp for a user who never signed up",
    (OPT_ERR, 3): "hand-made request: startPasskeyRegistration while signed out",
    (OPT_ERR, 4): "hand-made request: unknown action 'bogus'",
    (OPT_NOAUTO, 5): "hand-made request: autoSignIn with no sign-up in progress",
    (REQ_PASSKEY, 3): "hand-made request: credential without the credentialCreationOptions the form echoes",
    (UA_SIGNUP, 5): "deliberate replay of autoSignIn: the machine sends it once (see test_flows)",
}


def _skip_reason(s: Step) -> str | None:
    """Why a step is no client exchange at all (its request and reply are skipped)."""
    if s.method is None:
        return "no JSON-RPC request (malformed body, batch, GET or CORS probe)"
    if s.method.startswith("testApi."):
        return "testApi.* is the recording server's test helper, not the protocol"
    if s.method not in ("authApi.getAuthState", "authApi.setAuthState"):
        return "probe of an unknown method or namespace"
    if not isinstance(s.params, list):
        return "envelope probe: params is not a list (or jsonrpc is not 2.0)"
    return None


ALL = load_all()
STEP_IDS = [s.id for s in ALL]


def _is_state_reply(s: Step) -> bool:
    return s.reply_is_state and (s.method or "").startswith("authApi.")


def _offers(s: Step, action: str) -> bool:
    return (
        _is_state_reply(s)
        and not s.thin_retriable
        and any(a.get("name") == action for a in s.result["actions"])
    )


def _base_for(s: Step, action: str) -> Step:
    """The reply the person was looking at when they sent ``action``."""
    earlier = [e for e in ALL if e.file == s.file and e.step < s.step]
    for candidate in reversed(earlier):
        if _offers(candidate, action):
            return candidate
    for file, number in SERVER_BASES[s.server]:
        if _offers(step(file, number), action):
            return step(file, number)
    raise AssertionError(f"no recorded screen offers {action} for {s.id}")


NAVIGATION = {
    "signUp": ScreenName.SIGN_UP,
    "resetPassword": ScreenName.FORGOT_PASSWORD,
    "signInWithPasskey": ScreenName.PASSKEY_SIGN_IN,
}


def _person_values(screen: Screen, action: str, payload: dict[str, Any]) -> dict[str, str]:
    """What the person types: the inputs the screen shows for that form, from the recording."""
    form = screen.form(action)
    assert form is not None, f"{action} is not on {screen.name}"
    values: dict[str, str] = {}
    for f in form.visible_fields:
        if f.kind is FieldKind.CONFIRM_PASSWORD:
            other = next(
                (g for g in form.fields if g.kind is FieldKind.NEW_PASSWORD and g.name in payload), None
            )
            if other is not None:
                values[f.name] = payload[other.name]
        elif f.name in payload:
            values[f.name] = payload[f.name]
    return values


def _check_screen(machine: AuthMachine, s: Step, effects: list[Any]) -> None:
    """The EXPECTED screen, and the DETAILS, after ``s``'s reply reached ``machine``."""
    details = DETAILS.get(s.key, {})
    screen = machine.screen
    if details.get("resync"):
        # Error while signed in: a getAuthState re-sync goes out, the error stays through it.
        assert [e for e in effects if not isinstance(e, AuthChanged)] == [CallGetAuthState()]
        assert screen.error == details["error"]
        resynced = s.reply.model_copy(update={"error": None, "error_name": None})
        machine, more = machine.handle(ServerReplied(resynced))
        assert all(isinstance(e, AuthChanged) for e in more)
        screen = machine.screen
        assert screen.error == details["error"], "the error must stay visible after the re-sync"
    assert screen.name.value == EXPECTED[s.key], s.note
    if "error" in details:
        assert screen.error == details["error"]
    if "field_error" in details:
        if details["field_error"] is None:
            assert screen.field_errors == {}
        else:
            assert screen.field_errors.get(details["field_error"]) == details["error"]
    if "notice" in details:
        assert screen.notice == Msg(details["notice"])
    if "fields" in details:
        assert tuple(f.name for f in screen.fields) == details["fields"]
    if "choices" in details:
        assert tuple(c.value for c in screen.choices) == details["choices"]
    if "code_variant" in details:
        assert screen.code_variant == details["code_variant"]
        assert screen.destination == details["destination"]
    if "totp_secret" in details:
        assert screen.totp_secret == details["totp_secret"]
        assert screen.totp_uri is not None and f"secret={details['totp_secret']}" in screen.totp_uri
    if "user" in details:
        assert (screen.user.username if screen.user else None) == details["user"]
    if "auth_changed" in details:
        changes = [e for e in effects if isinstance(e, AuthChanged)]
        assert len(changes) == 1
    if "secondary" in details:
        assert tuple(f.action for f in screen.secondary) == details["secondary"]
    if "auto_sign_in" in details:
        # A lone autoSignIn goes out at once, with no input: exactly the next recorded request.
        following = step(*details["auto_sign_in"])
        calls = [e for e in effects if isinstance(e, CallSetAuthState)]
        assert calls == [CallSetAuthState(following.payload)]
        assert machine.phase is Phase.CALLING
    elif not details.get("resync"):
        assert machine.phase is Phase.IDLE


def _started_on(base: Step) -> tuple[AuthMachine, list[Any]]:
    machine, _ = AuthMachine().handle(Start())
    machine, effects = machine.handle(ServerReplied(base.reply))
    return machine, list(effects)


@pytest.mark.parametrize("s", ALL, ids=STEP_IDS)
def test_recorded_step(s: Step) -> None:
    reason = _skip_reason(s)
    if reason is not None:
        SKIP_REASONS[s.file][reason] += 1
        if s.reply_is_state and s.method == "authApi.setAuthState":
            _classify_alone(s)  # the envelope was odd, the AuthState answer is not
            return
        pytest.skip(reason)
    if s.is_get:
        _replay_get(s)
    elif s.key in NOT_FROM_A_SCREEN:
        SKIP_REASONS[s.file][NOT_FROM_A_SCREEN[s.key]] += 1
        _classify_alone(s)
    else:
        _replay_set(s)


def _classify_alone(s: Step) -> None:
    """A reply to a request no screen sends: shown as after a reload."""
    if s.reply_is_state:
        assert classify_screen(s.reply).value == EXPECTED[s.key], s.note
        REPLAY_COUNTS[s.file]["classified"] += 1


def _replay_get(s: Step) -> None:
    earlier = [
        e for e in ALL if e.file == s.file and e.step < s.step and _is_state_reply(e) and not e.thin_retriable
    ]
    if earlier:
        machine, _ = _started_on(earlier[-1])
        machine, effects = machine.handle(Refresh())
    else:
        machine, effects = AuthMachine().handle(Start())
    assert effects == (CallGetAuthState(),)
    machine, replied = machine.handle(ServerReplied(s.reply))
    _check_screen(machine, s, list(replied))
    REPLAY_COUNTS[s.file]["classified"] += 1


def _replay_set(s: Step) -> None:
    payload = s.payload
    action = payload["action"]
    base = _base_for(s, action)
    machine, effects = _started_on(base)
    if machine.phase is Phase.CALLING:
        # The base reply was a lone autoSignIn: the machine has already sent it.
        assert action == "autoSignIn"
        assert effects == [CallSetAuthState(payload)]
        call: CallSetAuthState = effects[0]
    else:
        if action in NAVIGATION:
            machine, navigated = machine.handle(Navigate(NAVIGATION[action]))
            assert navigated == ()
        screen = machine.screen
        values = _person_values(screen, action, payload)
        extra = EXTRA.get(s.key, {})
        submit = Submit(values, action=action, extra=extra)
        tried, effects_t = machine.handle(submit)
        if s.key in BLOCKED:
            # The client refuses what the server is being probed with, and says where.
            assert effects_t == ()
            assert BLOCKED[s.key] in tried.screen.field_errors
            assert tried.phase is Phase.IDLE
            submit = Submit(values, action=action, extra=extra, skip_validation=True)
        else:
            assert effects_t != (), (
                f"validation refused a request the person could send: {tried.screen.field_errors}"
            )
        if extra:
            # Without the probe's extra keys the payload is the recorded one minus them (plus real hidden values).
            _, plain = machine.handle(Submit(values, action=action, skip_validation=True))
            assert isinstance(plain[0], CallSetAuthState | RunWebAuthn)
        machine, effects_s = machine.handle(submit)
        (effect,) = effects_s
        if isinstance(effect, RunWebAuthn):
            form = screen.form(action)
            assert form is not None and form.capability is not None
            options_field = (
                "credentialRequestOptions" if effect.kind == "get" else "credentialCreationOptions"
            )
            assert effect.options_json == payload[options_field]
            assert machine.phase is Phase.CEREMONY
            machine, effects_w = machine.handle(WebAuthnResult(payload["credential"]))
            (effect,) = effects_w
        assert isinstance(effect, CallSetAuthState)
        call = effect
    assert dict(call.payload) == payload
    assert machine.phase is Phase.CALLING
    REPLAY_COUNTS[s.file]["reproduced"] += 1
    if s.reply_is_state:
        machine, replied = machine.handle(ServerReplied(s.reply))
        _check_screen(machine, s, list(replied))
        if DETAILS.get(s.key, {}).get("keeps") == "session":
            # The thin retriable reply keeps the form and its hidden session, and the typed code.
            primary = machine.screen.primary
            assert primary is not None
            kept_session = primary.field("session")
            assert kept_session is not None and kept_session.value == payload["session"]
            code = primary.field("code")
            assert code is not None and code.value == payload["code"]
        REPLAY_COUNTS[s.file]["classified"] += 1


def test_every_recorded_state_reply_has_an_expected_screen() -> None:
    """The table covers each AuthState reply exactly (nothing silently unchecked)."""
    replies = {s.key for s in ALL if _is_state_reply(s)}
    assert replies == set(EXPECTED)
    assert set(DETAILS) <= set(EXPECTED)
    assert set(BLOCKED) | set(EXTRA) | set(NOT_FROM_A_SCREEN) <= {s.key for s in ALL}


def test_every_fixture_file_is_replayed() -> None:
    files = {s.file for s in ALL}
    assert files == set(fixture_files())
    assert len(files) == 15


RPC_ERRORS = [s for s in ALL if s.rpc_error is not None]


@pytest.mark.parametrize("s", RPC_ERRORS, ids=[s.id for s in RPC_ERRORS])
def test_recorded_rpc_error_as_a_failed_call(s: Step) -> None:
    """Each recorded JSON-RPC error, as the failure of a sign-in the person just sent."""
    error = s.rpc_error
    assert error is not None
    data = error.get("data") or {}
    failed = CallFailed("rpc", error.get("message", ""), error["code"], data.get("name"))
    machine, _ = _started_on(step(SIGNUP, 1))
    typed = {"username": "alice", "password": "Passw0rd!"}
    machine, (sent,) = machine.handle(Submit(typed))
    machine, effects = machine.handle(failed)
    screen = machine.screen
    assert screen.name is ScreenName.SIGN_IN
    assert screen.error is not None
    assert {f.name: f.value for f in screen.fields} == typed
    if error["code"] == 401:
        # The session is gone: the state is re-read, the message stays.
        assert effects == (CallGetAuthState(),)
        assert machine.phase is Phase.CALLING
    else:
        assert effects == ()
        assert screen.can_retry
        machine, resent = machine.handle(Retry())
        assert resent == (sent,)
    REPLAY_COUNTS[s.file]["rpc_error"] += 1
