"""The app's sign-up fields in the pure core: checked before any call, sent only when the server lists them."""

from __future__ import annotations

from nicegui_authenticator.state_machine import (
    AuthMachine,
    CallSetAuthState,
    MachineConfig,
    Msg,
    Navigate,
    Raw,
    ScreenName,
    ServerReplied,
    SignUpField,
    Submit,
)
from nicegui_authenticator.state_machine.rules import Required, Satisfies, check
from sm_support import reply_of, started

# cognito-optional: signUp lists username, password and email (step 1 is the first getAuthState).
OPT = "cognito_opt_signup_autosignin_email_mfa.jsonl"
TYPED = {
    "username": "ada",
    "password": "Passw0rd!",
    "confirmPassword": "Passw0rd!",
    "email": "ada@example.com",
}


def _no_digits(value: str) -> str | None:
    return "Names have no digits." if any(c.isdigit() for c in value) else None


def _on_sign_up(*fields: SignUpField) -> AuthMachine:
    machine = started(reply_of(OPT, 1), MachineConfig(sign_up_fields=fields))
    machine, _ = machine.handle(Navigate(ScreenName.SIGN_UP))
    return machine


def test_an_unlisted_field_is_shown_checked_and_left_out_of_the_payload() -> None:
    machine = _on_sign_up(SignUpField("given_name", label="Given name", required=True, validate=_no_digits))
    form = machine.screen.primary
    assert form is not None
    given = form.field("given_name")
    assert given is not None and given.visible and not given.sent and given.label == Raw("Given name")

    refused, effects = machine.handle(Submit({**TYPED, "given_name": "Ada2"}))
    assert effects == ()
    assert refused.ctx.field_errors == {"given_name": Raw("Names have no digits.")}
    assert refused.ctx.values["given_name"] == "Ada2" and refused.ctx.values["username"] == "ada"  # kept

    blank, effects = refused.handle(Submit({**TYPED, "given_name": ""}))
    assert effects == () and blank.ctx.field_errors == {"given_name": Msg("validation.required")}

    sent, effects = blank.handle(Submit({**TYPED, "given_name": "Ada"}))
    assert effects == (
        CallSetAuthState(
            {"action": "signUp", "username": "ada", "password": "Passw0rd!", "email": "ada@example.com"}
        ),
    )
    assert sent.ctx.values["given_name"] == "Ada"


def test_a_listed_field_keeps_its_name_kind_and_rules_and_gains_the_apps_check() -> None:
    def work_address(value: str) -> str | None:
        return None if value.endswith("@example.com") else "validation.email"  # a catalog key

    machine = _on_sign_up(SignUpField("email", validate=work_address))
    form = machine.screen.primary
    assert form is not None
    email = form.field("email")
    assert email is not None and email.sent and email.label == Msg("field.email")  # the server's label stays
    assert sum(isinstance(r, Required) for r in email.rules) == 1  # not asked twice
    assert isinstance(email.rules[-1], Satisfies)

    refused, effects = machine.handle(Submit({**TYPED, "email": "ada@elsewhere.org"}))
    assert effects == () and refused.ctx.field_errors == {"email": Msg("validation.email")}
    _, effects = refused.handle(Submit(TYPED))
    assert effects == (
        CallSetAuthState({"action": "signUp", **{k: v for k, v in TYPED.items() if k != "confirmPassword"}}),
    )


def test_sign_in_never_gets_the_sign_up_fields() -> None:
    machine = started(reply_of(OPT, 1), MachineConfig(sign_up_fields=(SignUpField("given_name"),)))
    form = machine.screen.primary
    assert machine.screen.name is ScreenName.SIGN_IN and form is not None
    assert form.field("given_name") is None


def test_a_typed_value_survives_the_servers_refusal() -> None:
    machine = _on_sign_up(SignUpField("given_name"))
    machine, _ = machine.handle(Submit({**TYPED, "given_name": "Ada"}))
    machine, _ = machine.handle(ServerReplied(reply_of(OPT, 2)))  # weak password: signedOut with an error
    form = machine.screen.primary
    assert machine.screen.name is ScreenName.SIGN_UP and form is not None
    given = form.field("given_name")
    assert given is not None and given.value == "Ada"


def test_the_apps_check_skips_an_empty_value_and_reads_keys_or_text() -> None:
    def always(_: str) -> str:
        return "validation.required"

    assert check(Satisfies(always), "", {}) is None  # emptiness is Required's business
    assert check(Satisfies(always), "x", {}) == Msg("validation.required")
    assert check(Satisfies(lambda _: "Not like that."), "x", {}) == Raw("Not like that.")
    assert check(Satisfies(lambda _: None), "x", {}) is None
