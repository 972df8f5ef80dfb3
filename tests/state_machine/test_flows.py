"""Whole journeys through the recordings, with the machine's memory carried along.

test_replay reproduces each request from the screen before it in isolation;
here one machine walks a recorded flow from start to end, so what it remembers
(username, the sign-up password, the session of a retried challenge) must be
right for every recorded request to come out byte for byte.
"""

from __future__ import annotations

from typing import Any

import pyotp
from nicegui_authenticator.state_machine import (
    AuthChanged,
    AuthMachine,
    CallGetAuthState,
    Cancel,
    Effect,
    Event,
    Msg,
    Navigate,
    Phase,
    Refresh,
    RunWebAuthn,
    ScreenName,
    ServerReplied,
    Start,
    Submit,
    WebAuthnResult,
)
from sm_support import only_call, step


class Walk:
    """One machine driven through one recorded file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.machine = AuthMachine()
        self.effects: tuple[Effect, ...] = ()

    def do(self, event: Event) -> tuple[Effect, ...]:
        self.machine, self.effects = self.machine.handle(event)
        return self.effects

    def reply(self, number: int) -> tuple[Effect, ...]:
        return self.do(ServerReplied(step(self.file, number).reply))

    def sends(self, number: int, event: Event | None = None) -> None:
        """``event`` (or what is already pending) sends exactly recorded request ``number``."""
        effects = self.do(event) if event is not None else self.effects
        assert dict(only_call(effects).payload) == step(self.file, number).payload

    def start(self, number: int) -> None:
        assert self.do(Start()) == (CallGetAuthState(),)
        self.reply(number)

    @property
    def screen(self) -> Any:
        return self.machine.screen


def test_authbasic_sign_up_confirm_sign_in_sign_out() -> None:
    walk = Walk("basic_signup_confirm_signin_signout.jsonl")
    walk.start(1)
    walk.do(Navigate(ScreenName.SIGN_UP))
    walk.sends(
        2, Submit({"username": "alice-8e673b-8af2", "password": "Passw0rd!", "confirmPassword": "Passw0rd!"})
    )
    walk.reply(2)
    assert [f.name for f in walk.screen.fields] == ["code"]  # username and password are not asked twice
    walk.sends(3, Submit({"code": "000000"}))  # ... yet both go out, as AuthBasic needs
    walk.reply(3)
    assert walk.screen.name is ScreenName.CONFIRM_SIGN_UP and walk.screen.error == Msg("error.code_mismatch")
    assert walk.machine.ctx.sign_up_password == "Passw0rd!"
    effects = walk.do(Submit({"code": "226792"}))
    assert dict(only_call(effects).payload) == {**step(walk.file, 5).payload, "password": "Passw0rd!"}
    walk.reply(10)  # confirmed: signed out, sign in yourself
    assert walk.machine.ctx.sign_up_password is None
    assert walk.screen.notice == Msg("notice.account_confirmed")
    walk.sends(6, Submit({"password": "Passw0rd!"}))  # the username is already filled in
    assert walk.reply(6) == (AuthChanged(step(walk.file, 6).reply.user),)
    assert walk.screen.name is ScreenName.SIGNED_IN
    walk.sends(9, Submit())  # Sign Out is the signed-in screen's primary action
    assert walk.reply(9) == (AuthChanged(None),)
    assert walk.screen.name is ScreenName.SIGN_IN
    assert walk.screen.primary.field("username").value == ""


def test_cognito_sign_up_auto_sign_in_and_email_mfa() -> None:
    walk = Walk("cognito_opt_signup_autosignin_email_mfa.jsonl")
    walk.start(1)
    walk.do(Navigate(ScreenName.SIGN_UP))
    person = {"username": "carol-8e673b-5e4e", "email": "carol-8e673b-5e4e@example.com"}
    weak = {**person, "password": "password", "confirmPassword": "password"}
    walk.sends(2, Submit(weak))  # 8 characters pass the default policy; the server refuses
    walk.reply(2)
    assert walk.screen.name is ScreenName.SIGN_UP
    assert walk.screen.field_errors == {"password": walk.screen.error}
    walk.sends(3, Submit({**person, "password": "Passw0rd!", "confirmPassword": "Passw0rd!"}))
    walk.reply(3)
    walk.sends(4, Submit(action="resendSignUpCode"))
    walk.reply(4)
    assert walk.screen.notice == Msg("notice.code_resent")
    walk.sends(5, Submit({"code": "790289"}))
    walk.reply(5)
    assert walk.screen.name is ScreenName.CONFIRM_SIGN_UP  # wrong code: the form stays
    walk.sends(6, Submit({"code": "702869"}))
    walk.reply(6)  # a lone autoSignIn ...
    walk.sends(7)  # ... goes out at once, with no input
    assert walk.screen.name is ScreenName.AUTO_SIGN_IN and walk.machine.phase is Phase.CALLING
    walk.reply(7)
    assert (walk.screen.name, walk.screen.code_variant) == (ScreenName.CONFIRM_CODE, "email")
    walk.sends(8, Submit({"code": "000000"}))
    walk.reply(8)  # thin retriable
    walk.sends(9, Submit({"code": "164 892"}))  # same session; the pasted space is dropped
    assert walk.reply(9) == (AuthChanged(step(walk.file, 9).reply.user),)
    walk.do(Refresh())
    assert walk.reply(10) == ()  # still the same person: nothing to announce
    walk.sends(13, Submit(action="signOut"))
    assert walk.reply(13) == (AuthChanged(None),)


def test_cognito_sign_up_then_required_totp_setup() -> None:
    walk = Walk("cognito_req_totp_setup_signin.jsonl")
    walk.start(1)
    walk.do(Navigate(ScreenName.SIGN_UP))
    walk.sends(
        2, Submit({"username": "frank-8e673b-c26d", "password": "Passw0rd!", "confirmPassword": "Passw0rd!"})
    )
    walk.reply(2)
    walk.sends(3, Submit({"code": "773729"}))
    walk.reply(3)
    walk.sends(4)  # autoSignIn
    walk.reply(4)
    assert walk.screen.name is ScreenName.SELECT_MFA_SETUP
    walk.sends(5, Submit())  # TOTP is preselected
    walk.reply(5)
    screen = walk.screen
    assert screen.name is ScreenName.SETUP_TOTP
    # The QR code carries the username the person signed up with.
    totp = pyotp.parse_uri(screen.totp_uri)
    assert (totp.name, totp.secret) == ("frank-8e673b-c26d", "Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7")
    blocked = walk.do(Submit({"code": "12"}))
    assert blocked == () and walk.screen.field_errors == {"code": Msg("validation.code", {"count": "6"})}
    walk.sends(6, Submit({"code": "12"}, skip_validation=True))
    walk.reply(6)
    assert walk.screen.name is ScreenName.SETUP_TOTP and walk.screen.totp_secret == totp.secret
    walk.sends(7, Submit({"code": "340009"}))
    walk.reply(7)
    assert walk.screen.name is ScreenName.SIGNED_IN


def test_cognito_passkey_registration_then_passkey_sign_in() -> None:
    walk = Walk("cognito_ua_passkey_register_and_signin.jsonl")
    walk.start(1)
    walk.sends(2, Submit(action="startPasskeyRegistration"))
    walk.reply(2)
    (ceremony,) = walk.do(Submit())
    assert isinstance(ceremony, RunWebAuthn) and ceremony.kind == "create"
    walk.sends(3, WebAuthnResult(step(walk.file, 3).payload["credential"]))
    walk.reply(3)
    assert walk.screen.name is ScreenName.PASSKEY_MANAGE
    walk.sends(4, Submit(action="signOut"))
    walk.reply(4)
    walk.do(Navigate(ScreenName.PASSKEY_SIGN_IN))
    walk.sends(5, Submit({"username": "hana-8e673b-10eb@example.com"}))
    walk.reply(5)
    (ceremony,) = walk.do(Submit())
    assert isinstance(ceremony, RunWebAuthn) and ceremony.kind == "get"
    walk.sends(7, WebAuthnResult(step(walk.file, 7).payload["credential"]))
    effects = walk.reply(7)
    assert walk.screen.name is ScreenName.SIGNED_IN and [type(e) for e in effects] == [AuthChanged]


def test_authbasic_password_reset() -> None:
    walk = Walk("basic_reset_password.jsonl")
    walk.start(2)  # a signed-out page
    walk.do(Navigate(ScreenName.FORGOT_PASSWORD))
    walk.sends(1, Submit({"username": "alice-8e673b-8af2"}))
    walk.reply(1)
    assert [f.name for f in walk.screen.fields] == ["code", "newPassword", "confirmPassword"]
    new = {"newPassword": "N3wPassw0rd!", "confirmPassword": "N3wPassw0rd!"}
    walk.sends(2, Submit({"code": "111111", **new}))
    walk.reply(2)
    assert walk.screen.name is ScreenName.CONFIRM_RESET_PASSWORD  # wrong code: the form stays
    weak = walk.do(Submit({"code": "719084", "newPassword": "short", "confirmPassword": "short"}))
    assert weak == () and "newPassword" in walk.screen.field_errors
    walk.sends(5, Submit({"code": "272647", **new}))
    walk.reply(5)
    assert walk.screen.name is ScreenName.SIGN_IN and walk.screen.notice == Msg("notice.password_reset")
    walk.sends(7, Submit({"password": "N3wPassw0rd!"}))
    walk.reply(7)
    assert walk.screen.name is ScreenName.SIGNED_IN


def test_auto_sign_in_is_sent_once_even_though_the_server_would_take_it_twice() -> None:
    walk = Walk("cognito_ua_signup_autosignin.jsonl")
    walk.start(1)
    walk.do(Navigate(ScreenName.SIGN_UP))
    walk.sends(
        2,
        Submit(
            {
                "username": "hana-8e673b-10eb@example.com",
                "password": "Passw0rd!",
                "confirmPassword": "Passw0rd!",
            }
        ),
    )
    walk.reply(2)
    walk.sends(3, Submit({"code": "698859"}))
    walk.reply(3)
    walk.sends(4)
    effects = walk.reply(4)
    assert [type(e) for e in effects] == [AuthChanged]
    assert walk.machine.phase is Phase.IDLE  # step 5's replay is the recorder's probe, not ours


def test_back_to_sign_in_from_the_mfa_code() -> None:
    walk = Walk("cognito_opt_signup_autosignin_email_mfa.jsonl")
    walk.start(14)
    walk.sends(17, Submit({"username": "carol-8e673b-5e4e", "password": "Passw0rd!"}))
    walk.reply(17)
    assert walk.do(Cancel()) == (CallGetAuthState(),)
    walk.reply(14)
    assert walk.screen.name is ScreenName.SIGN_IN
    assert walk.screen.primary.field("username").value == "carol-8e673b-5e4e"
