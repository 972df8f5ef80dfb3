"""Message keys, the English catalog, and how server text is kept."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator
from pathlib import Path

import nicegui_authenticator.state_machine as sm
import pytest
from nicegui_authenticator.state_machine import (
    ENGLISH,
    AuthMachine,
    CallFailed,
    FieldKind,
    MachineConfig,
    Msg,
    Navigate,
    PasswordPolicy,
    Raw,
    Retry,
    Screen,
    ScreenName,
    Start,
    Submit,
    Text,
    WebAuthnFailed,
    translate,
)
from nicegui_authenticator.state_machine.messages import (
    ERROR_KEYS,
    FIELD_LABEL_KEYS,
    LABEL_KEYS,
    error_text,
    msg,
)
from sm_support import action, challenge, field, hidden, load_all, run, started, state

SOURCE = Path(sm.__file__).resolve().parent


def _texts(screen: Screen) -> Iterator[Text]:
    """Every piece of user-facing text a screen carries."""
    yield screen.title
    for text in (screen.hint, screen.error, screen.notice):
        if text is not None:
            yield text
    yield from screen.field_errors.values()
    for link in screen.links:
        yield link.label
    for form in screen.forms:
        yield form.label
        for f in form.fields:
            yield f.label
            if f.hint is not None:
                yield f.hint
            for choice in f.choices:
                yield choice.label
            if f.policy is not None:
                yield from (text for text, _ in f.policy.checklist(""))


def _machines() -> Iterator[AuthMachine]:
    """Many machines in many situations: every recorded reply, every view, errors, failures."""
    replies = [s.reply for s in load_all() if s.reply_is_state]
    replies += [
        challenge("email", "Set Up Email", field("email", "Email", "email")),
        challenge("newPassword", "New Password", field("newPassword", "New Password", "password")),
        challenge("password", "Password", field("password", "Password", "password")),
        challenge(
            "firstFactor",
            "Sign in",
            field("firstFactor", "Pick one of: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN"),
        ),
        challenge("mfaType", "Choose", field("mfaType", "Type it")),
        challenge("code", "Enter SMS Code (sent to +***0123)", field("code")),
        state(
            "signedIn",
            action("completeEmailMfaSetup", "Enter Code", field("code")),
            user={"userId": "u", "username": "u"},
        ),
        state(
            "signedIn",
            action("completeTotpSetup", "Verify", hidden("sharedSecret", "JBSWY3DP"), field("code")),
            user={"userId": "u"},
        ),
        state("signedIn", action("signOut", "Sign Out"), user={"userId": "u"}),
        state("signedOut", action("signIn:google", "", url="https://idp.example/authorize")),
        state("whatever", action("x", "")),
    ]
    for reply in replies:
        for config in (
            MachineConfig(),
            MachineConfig(password_policy=PasswordPolicy(4, True, True, True, True)),
        ):
            machine = started(reply, config)
            yield machine
            for view in (ScreenName.SIGN_UP, ScreenName.FORGOT_PASSWORD, ScreenName.PASSKEY_SIGN_IN):
                with contextlib.suppress(sm.InvalidTransition):
                    yield machine.handle(Navigate(view))[0]
            primary = machine.screen.primary
            if primary is not None:
                # Every field wrong, so every validation message appears.
                junk = {
                    f.name: "x" if f.kind is not FieldKind.CONFIRM_PASSWORD else "y"
                    for f in primary.visible_fields
                }
                yield machine.handle(Submit(junk, action=primary.action))[0]
                yield machine.handle(
                    Submit({f.name: "" for f in primary.visible_fields}, action=primary.action)
                )[0]
                try:
                    sent, _ = machine.handle(Submit(junk, action=primary.action, skip_validation=True))
                except sm.InvalidTransition:
                    continue
                for failure in (
                    CallFailed("network"),
                    CallFailed("timeout"),
                    CallFailed("protocol"),
                    CallFailed("rpc", "x", 500),
                    CallFailed("rpc", "x", 401),
                    CallFailed("rpc", "", 403, "TooManyRequestsException"),
                ):
                    if sent.phase is sm.Phase.CALLING:
                        yield sent.handle(failure)[0]
                for reason in ("cancelled", "unavailable", "failed"):
                    if sent.phase is sm.Phase.CEREMONY:
                        yield sent.handle(WebAuthnFailed(reason))[0]  # type: ignore[arg-type]
    yield AuthMachine()
    yield run(AuthMachine(), Start(), CallFailed("network"), Retry())[0]
    yield from _recorded_outcomes()


LOCAL = {
    "signUp": ScreenName.SIGN_UP,
    "resetPassword": ScreenName.FORGOT_PASSWORD,
    "signInWithPasskey": ScreenName.PASSKEY_SIGN_IN,
}


def _recorded_outcomes() -> Iterator[AuthMachine]:
    """Each recorded request sent from the reply before it, then its recorded answer (notices)."""
    last: dict[str, sm.AuthState] = {}
    for s in load_all():
        if s.is_set and s.reply_is_state and s.file in last:
            action_name = s.payload["action"]
            machine = started(last[s.file])
            if action_name in LOCAL:
                with contextlib.suppress(sm.InvalidTransition):
                    machine, _ = machine.handle(Navigate(LOCAL[action_name]))
            with contextlib.suppress(sm.InvalidTransition):
                machine, _ = machine.handle(Submit(action=action_name, skip_validation=True))
            if machine.phase is sm.Phase.CEREMONY:
                machine, _ = machine.handle(sm.WebAuthnResult('{"id":"x"}'))
            if machine.phase is sm.Phase.CALLING:
                yield machine.handle(sm.ServerReplied(s.reply))[0]
        if s.reply_is_state and not s.thin_retriable:
            last[s.file] = s.reply


def test_every_message_key_the_machine_produces_is_in_the_english_catalog() -> None:
    seen: set[str] = set()
    for machine in _machines():
        for text in _texts(machine.screen):
            if isinstance(text, Msg):
                assert text.key in ENGLISH, text
                seen.add(text.key)
                rendered = translate(text)
                assert "{" not in rendered, f"{text.key} left a placeholder unfilled: {rendered}"
    # The walk is not trivially small: it meets titles, hints, fields, errors, notices and policies.
    assert len(seen) > 80
    for prefix in (
        "screen.",
        "hint.",
        "field.",
        "action.",
        "validation.",
        "policy.",
        "error.",
        "notice.",
        "choice.",
        "tab.",
        "link.",
    ):
        assert any(key.startswith(prefix) for key in seen), prefix


def _literal_keys() -> Iterator[tuple[str, str]]:
    """Every literal key passed to msg()/Msg() in the package source."""
    for path in sorted(SOURCE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("msg", "Msg")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield path.name, node.args[0].value


def test_every_literal_message_key_in_the_source_is_in_the_catalog() -> None:
    keys = list(_literal_keys())
    assert len(keys) > 30
    missing = [(file, key) for file, key in keys if key not in ENGLISH]
    assert missing == []


def test_every_key_of_the_lookup_tables_is_in_the_catalog() -> None:
    for key, _ in ERROR_KEYS.values():
        assert key in ENGLISH
    for key in (*FIELD_LABEL_KEYS.values(), *LABEL_KEYS.values()):
        assert key in ENGLISH
    for name in ScreenName:
        assert f"screen.{name.value}" in ENGLISH


# ----------------------------------------------------------------- translate


def test_translate_fills_parameters() -> None:
    assert (
        translate(Msg("hint.code.sent_to", {"destination": "a***@e***.com"}))
        == "We sent a code to a***@e***.com."
    )


def test_translate_unknown_key_shows_the_key() -> None:
    assert translate(Msg("no.such.key")) == "no.such.key"


def test_translate_keeps_a_missing_parameter_visible() -> None:
    assert translate(Msg("hint.code.sent_to")) == "We sent a code to {destination}."


def test_translate_never_formats_parameter_values() -> None:
    text = Msg("error.server", {"detail": "{0} {name} {__class__}"})
    assert translate(text) == "The sign-in service had a problem ({0} {name} {__class__}). Try again."


def test_partial_catalogs_fall_back_to_english() -> None:
    german = {"screen.sign_in": "Anmelden", "hint.code.sent_to": "Code an {destination} gesendet."}
    assert translate(Msg("screen.sign_in"), german) == "Anmelden"
    assert translate(Msg("hint.code.sent_to", {"destination": "x"}), german) == "Code an x gesendet."
    assert translate(Msg("tab.sign_up"), german) == "Create Account"


@pytest.mark.parametrize("template", ["{0}", "{", "}{", "{x!z}"])
def test_broken_templates_in_a_catalog_are_shown_rather_than_raised(template: str) -> None:
    assert translate(Msg("screen.sign_in", {"x": "1"}), {"screen.sign_in": template}) == template


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "{0}{name}", "Ünïcødé 用户", ""])
def test_server_text_is_shown_verbatim(text: str) -> None:
    assert translate(Raw(text)) == text
    assert translate(Raw(text), {"x": "y"}) == text


# --------------------------------------------------------------- server words


@pytest.mark.parametrize(
    ("name", "key", "field_name"),
    [
        ("UsernameExistsException", "error.username_exists", "username"),
        ("UserAlreadyExistsException", "error.username_exists", "username"),
        ("NotAuthorizedException", "error.invalid_credentials", "password"),
        ("InvalidCredentialsException", "error.invalid_credentials", "password"),
        ("CodeMismatchException", "error.code_mismatch", "code"),
        ("InvalidCodeException", "error.code_mismatch", "code"),
        ("ExpiredCodeException", "error.code_expired", None),
        ("UserNotConfirmedException", "error.user_not_confirmed", None),
        ("UserNotFoundException", "error.user_not_found", "username"),
        ("NotAuthenticatedException", "error.not_authenticated", None),
        ("WebAuthnCredentialNotSupportedException", "error.passkey_unknown", None),
        ("LimitExceededException", "error.too_many_attempts", None),
        ("ServiceBusyException", "error.server_busy", None),
    ],
)
def test_known_error_names_map_to_keys_and_fields(name: str, key: str, field_name: str | None) -> None:
    assert error_text("whatever the server said", name) == (Msg(key), field_name)
    assert error_text(None, name) == (Msg(key), field_name)


def test_password_errors_keep_the_servers_words_because_they_name_the_rule() -> None:
    text = "Password must contain an uppercase letter, a digit, a symbol"
    assert error_text(text, "InvalidPasswordException") == (Raw(text), "password")
    assert error_text("credential must be JSON", "InvalidParameterException") == (
        Raw("credential must be JSON"),
        None,
    )
    assert error_text(None, "InvalidPasswordException") == (Msg("error.unknown"), None)


def test_unknown_errors_are_shown_as_given() -> None:
    assert error_text("Unknown action: bogus", None) == (Raw("Unknown action: bogus"), None)
    assert error_text("Quota exceeded", "QuotaException") == (Raw("Quota exceeded"), None)
    assert error_text(None, "QuotaException") == (Msg("error.unknown"), None)
    assert error_text(None, None) == (None, None)


def test_known_labels_are_translated_and_unknown_ones_kept() -> None:
    from nicegui_authenticator.state_machine.messages import action_text, choice_text, label_text

    assert label_text("code", "Verification Code") == Msg("field.verification_code")
    assert label_text("favourite", "Favourite colour") == Raw("Favourite colour")
    assert label_text("given_name", "") == Msg("field.given_name")
    assert label_text("x_custom", "") == Raw("x_custom")
    assert choice_text("SMS_MFA") == Msg("choice.SMS_MFA") and choice_text("PIGEON") == Raw("PIGEON")
    assert action_text("signOut", "Log out") == Msg("action.signOut")
    assert action_text("frobnicate", "Frobnicate!") == Raw("Frobnicate!")
    assert action_text("frobnicate", "") == Raw("frobnicate")
    assert action_text("signIn:github", "", external=True, provider="github") == Msg(
        "action.federated", {"provider": "Github"}
    )
    assert action_text("signIn:github", "Continue with GitHub", external=True) == Raw("Continue with GitHub")


def test_messages_are_hashable_values() -> None:
    a = Msg("hint.code.sent_to", {"destination": "x"})
    b = msg("hint.code.sent_to", destination="x")
    assert a == b and hash(a) == hash(b)
    assert len({a, b, Msg("hint.code.sent_to", {"destination": "y"}), Raw("x"), Raw("x")}) == 3
