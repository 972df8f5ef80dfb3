"""End-to-end flows through the ASGI app, per mode and configuration."""

from __future__ import annotations

from typing import Any

import pytest
from backend_support import (
    STRONG,
    STRONGER,
    FakeClock,
    MakeBackend,
    RpcClient,
    action,
    action_names,
    default,
    enroll_totp,
    session_of,
    totp_now,
)
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.state_machine import PasswordPolicy

# -- basic mode (AuthBasic) -----------------------------------------------------------------

BASIC = "lemon-tree"  # 8+ characters and not a common password: all the default policy asks


async def test_basic_sign_up_confirm_signs_in_with_the_password(make_backend: MakeBackend) -> None:
    backend = make_backend(mode="basic")
    async with RpcClient(backend) as client:
        state = await client.get()
        assert action_names(state) == ["signIn", "signUp", "resetPassword"]
        password_field = action(state, "signUp")["fields"][1]
        assert password_field["passwordPolicy"] == {
            "minLength": 8,
            "requireLowercase": False,
            "requireUppercase": False,
            "requireDigits": False,
            "requireSymbols": False,
            "rejectCommon": True,
        }
        state = await client.set("signUp", username="alice", password=BASIC)
        assert action_names(state) == ["confirmSignUp"]
        assert [f["name"] for f in action(state, "confirmSignUp")["fields"]] == [
            "username",
            "code",
            "password",
        ]
        code = backend.latest_code("alice", "sign-up")
        state = await client.set("confirmSignUp", username="alice", code=code, password=BASIC)
        assert state["state"] == "signedIn"
        assert set(state["user"]) == {"userId", "username", "createdAt"}
        assert client.cookie() is not None
        assert (await client.get())["state"] == "signedIn"
        # A wrong password while signed in: AuthBasic answers with the signed-in base state.
        state = await client.set("signIn", username="alice", password="nope-nope")
        assert state["state"] == "signedIn"
        assert state["errorName"] == "InvalidCredentialsException"
        state = await client.set("signOut")
        assert state["state"] == "signedOut"
        assert client.cookie() is None
        assert (await client.get())["state"] == "signedOut"


async def test_basic_confirm_without_password_confirms_then_asks_to_sign_in(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mode="basic")
    async with RpcClient(backend) as client:
        await client.set("signUp", username="alice", password=BASIC)
        state = await client.set("signIn", username="alice", password=BASIC)
        assert state["errorName"] == "InvalidCredentialsException"  # unconfirmed, not revealed
        code = backend.latest_code("alice")
        state = await client.set("confirmSignUp", username="alice", code=code)
        assert state["error"] == "Password required to complete confirmSignUp"
        assert "errorName" not in state
        assert (await client.set("signIn", username="alice", password=BASIC))["state"] == "signedIn"


async def test_basic_mode_has_no_cognito_actions(make_backend: MakeBackend) -> None:
    backend = make_backend(mode="basic")
    async with RpcClient(backend) as client:
        for name in ("signInWithPasskey", "autoSignIn", "startTotpSetup", "listPasskeys"):
            state = await client.set(name)
            assert state["error"] == f"Unknown action: {name}"


# -- cognito mode: sign-up, auto sign-in, email MFA -------------------------------------------


async def test_cognito_sign_up_auto_sign_in_with_implicit_email_mfa(make_backend: MakeBackend) -> None:
    backend = make_backend(email_mfa_on_sign_up=True)  # the recorded mock's behaviour
    async with RpcClient(backend) as client:
        state = await client.set("signUp", username="carol", password=STRONG, email="carol@example.com")
        assert action_names(state) == ["confirmSignUp", "resendSignUpCode"]
        assert client.cookie(backend.settings.auto_sign_in_cookie_name)
        state = await client.set("confirmSignUp", username="carol", code=backend.latest_code("carol"))
        assert action_names(state) == ["autoSignIn"]
        state = await client.set("autoSignIn", username="carol")
        assert client.cookie(backend.settings.auto_sign_in_cookie_name) is None
        assert action(state, "confirmSignIn")["label"] == "Enter Email Code (sent to c***@e***.com)"
        state = await client.set(
            "confirmSignIn",
            session=session_of(state),
            challenge="code",
            code=backend.latest_code("carol", "sign-in"),
        )
        assert state["state"] == "signedIn"
        assert state["user"]["attributes"] == {"email": "carol@example.com", "email_verified": "true"}
        assert backend.mfa_preference("carol") == {"enabled": ["EMAIL"]}
        assert action_names(state) == [
            "signOut",
            "startPasskeyRegistration",
            "listPasskeys",
            "startTotpSetup",
            "disableMfa",  # no setPreferredMfa: one enrolled method is no choice (issue 12, item 8)
            "changePassword",
            "signOutEverywhere",
        ]


async def test_advertised_required_attribute_is_enforced(make_backend: MakeBackend) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        state = await client.set("signUp", username="dave", password=STRONG)
        assert state["errorName"] == "InvalidParameterException"
        assert state["error"] == "email is required"
        state = await client.set("signUp", username="dave", password=STRONG, email="not-an-email")
        assert state["error"] == "Invalid email address format"


async def test_opting_out_of_auto_sign_in_as_boolean_or_string(make_backend: MakeBackend) -> None:
    backend = make_backend(sign_in_with=("username",))
    async with RpcClient(backend) as client:
        for name, flag in (("dora", False), ("dave", "false")):
            await client.set("signUp", username=name, password=STRONG, autoSignIn=flag)
            assert client.cookie(backend.settings.auto_sign_in_cookie_name) is None
            state = await client.set("confirmSignUp", username=name, code=backend.latest_code(name))
            assert state["state"] == "signedOut" and "error" not in state


async def test_resend_replaces_the_code(make_backend: MakeBackend) -> None:
    backend = make_backend(sign_in_with=("username",))
    async with RpcClient(backend) as client:
        await client.set("signUp", username="erin", password=STRONG)
        old = backend.latest_code("erin")
        await client.set("resendSignUpCode", username="erin")
        new = backend.latest_code("erin")
        if old != new:
            state = await client.set("confirmSignUp", username="erin", code=old)
            assert state["errorName"] == "CodeMismatchException"
        state = await client.set("confirmSignUp", username="erin", code=new)
        assert action_names(state) == ["autoSignIn"]


async def test_optional_mfa_without_enrolment_signs_in_directly(make_backend: MakeBackend) -> None:
    backend = make_backend()
    backend.add_user("dave", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="dave", password=STRONG)
        assert state["state"] == "signedIn"
        assert state["user"]["attributes"] == {}
        assert action_names(state)[-4:] == [
            "startTotpSetup",
            "startEmailMfaSetup",
            "changePassword",
            "signOutEverywhere",
        ]


async def test_sign_in_by_verified_email_alias(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("gus", STRONG, temporary=False, email="Gus@Example.com")
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="gus@example.com", password=STRONG)
        assert state["state"] == "signedIn"
        assert state["user"]["username"] == "gus"
        state = await client.set("signIn", username="GUS", password=STRONG)
        assert state["state"] == "signedIn"


# -- MFA self-service ------------------------------------------------------------------------


async def _signed_in(backend: Any, client: RpcClient, username: str, **extra: str) -> dict[str, Any]:
    backend.add_user(username, STRONG, temporary=False, **extra)
    state = await client.set("signIn", username=username, password=STRONG)
    assert state["state"] == "signedIn", state
    return state


async def test_totp_self_service_then_sign_in_with_totp(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await _signed_in(backend, client, "tess")
        state = await client.set("startTotpSetup")
        assert action_names(state) == ["completeTotpSetup", "cancelSetup"]
        secret = default(state, "completeTotpSetup", "sharedSecret")
        assert len(secret) == 32
        state = await client.set("completeTotpSetup", sharedSecret=secret, code="12ab56")
        assert state == {
            "state": "signedOut",
            "actions": [],
            "error": "Invalid code",
            "retriable": True,
            "errorName": "CodeMismatchException",
        }
        state = await client.set("completeTotpSetup", sharedSecret=secret, code=totp_now(secret, clock))
        assert state["state"] == "signedIn"
        assert backend.mfa_preference("tess") == {"preferred": "TOTP", "enabled": ["TOTP"]}
        assert "startTotpSetup" not in action_names(state)
        await client.set("signOut")
        clock.advance(30)
        state = await client.set("signIn", username="tess", password=STRONG)
        assert action(state, "confirmSignIn")["label"] == "Enter Authenticator Code"
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="code", code=totp_now(secret, clock)
        )
        assert state["state"] == "signedIn"


async def test_email_mfa_self_service_preference_and_disable(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await _signed_in(backend, client, "emma")
        state = await client.set("startEmailMfaSetup", email="emma@example.com")
        assert action_names(state) == ["completeEmailMfaSetup", "resendEmailMfaSetupCode", "cancelSetup"]
        assert default(state, "completeEmailMfaSetup", "email") == "emma@example.com"
        state = await client.set(
            "completeEmailMfaSetup", email="emma@example.com", code=backend.latest_code("emma")
        )
        assert state["state"] == "signedIn"
        assert backend.mfa_preference("emma") == {"preferred": "EMAIL", "enabled": ["EMAIL"]}
        _, state = await enroll_totp(client, clock)
        assert action(state, "setPreferredMfa")["fields"][0]["label"] == "Pick one of: TOTP, EMAIL"
        state = await client.set("setPreferredMfa", mfaType="SMS")
        assert state["errorName"] == "InvalidParameterException"
        state = await client.set("setPreferredMfa", mfaType="email")
        assert backend.mfa_preference("emma")["preferred"] == "EMAIL"
        state = await client.set("disableMfa")
        assert backend.mfa_preference("emma") == {"enabled": []}
        assert "disableMfa" not in action_names(state)


async def test_cancel_setup_drops_the_ceremony(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await _signed_in(backend, client, "cleo")
        state = await client.set("startTotpSetup")
        secret = default(state, "completeTotpSetup", "sharedSecret")
        state = await client.set("cancelSetup")
        assert state["state"] == "signedIn"
        state = await client.set("completeTotpSetup", code=totp_now(secret, clock))
        assert state["error"] == "No authenticator set-up in progress"


async def test_required_mfa_setup_by_email(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="required", sign_in_with=("username",))
    backend.add_user("fran", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="fran", password=STRONG)
        assert action(state, "confirmSignIn")["label"] == "Choose MFA Setup"
        assert action(state, "confirmSignIn")["fields"][2]["label"] == "Pick one of: TOTP, EMAIL"
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="mfaType", mfaType="EMAIL"
        )
        assert default(state, "confirmSignIn", "challenge") == "email"
        retry = await client.set("confirmSignIn", session=session_of(state), challenge="email", email="bad")
        assert retry["retriable"] is True  # the same form (and session) stays valid
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="email", email="fran@example.com"
        )
        assert action(state, "confirmSignIn")["label"] == "Enter Email Code (sent to f***@e***.com)"
        code = backend.latest_code("fran@example.com", "mfa-setup")
        state = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert state["state"] == "signedIn"
        assert "disableMfa" not in action_names(state)
        assert (await client.set("disableMfa"))["errorName"] == "InvalidParameterException"
        await client.set("signOut")
        state = await client.set("signIn", username="fran", password=STRONG)
        assert action(state, "confirmSignIn")["label"].startswith("Enter Email Code")


async def test_required_mfa_with_one_type_goes_straight_to_setup(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="required", mfa_types=("TOTP",), sign_in_with=("username",))
    backend.add_user("hal", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="hal", password=STRONG)
        assert action(state, "confirmSignIn")["label"] == "Set Up Authenticator"
        secret = default(state, "confirmSignIn", "sharedSecret")
        state = await client.set(
            "confirmSignIn",
            session=session_of(state),
            challenge="totpSetup",
            sharedSecret="FORGED",
            code=totp_now(secret, clock),
        )
        assert state["state"] == "signedIn"


async def test_sms_mfa_through_the_outbox(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="required", mfa_types=("SMS",), sign_in_with=("username", "phone"))
    backend.add_user("sam", STRONG, temporary=False, phone="+14155550100")
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="+14155550100", password=STRONG)
        assert action(state, "confirmSignIn")["label"] == "Enter SMS Code (sent to +*******0100)"
        code = backend.latest_code("+14155550100", "mfa-setup")
        state = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert state["state"] == "signedIn"
        assert state["user"]["attributes"]["phone_number_verified"] == "true"
        await client.set("signOut")
        state = await client.set("signIn", username="sam", password=STRONG)
        code = backend.latest_code("sam", "sign-in")
        state = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert state["state"] == "signedIn"


async def test_mfa_choice_after_password_reset(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await _signed_in(backend, client, "ivy", email="ivy@example.com")
        await enroll_totp(client, clock)
        await client.set("startEmailMfaSetup", email="ivy@example.com")
        await client.set("completeEmailMfaSetup", code=backend.latest_code("ivy", "mfa-setup"))
        await client.set("signOut")
        await client.set("resetPassword", username="ivy")
        code = backend.latest_code("ivy", "password-reset")
        assert (await client.set("confirmResetPassword", username="ivy", code=code, newPassword=STRONGER))[
            "state"
        ] == "signedOut"
        state = await client.set("signIn", username="ivy", password=STRONGER)
        assert action(state, "confirmSignIn")["label"] == "Choose MFA Method"
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="mfaType", mfaType="EMAIL"
        )
        code = backend.latest_code("ivy", "sign-in")
        state = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert state["state"] == "signedIn"


# -- admin-created accounts -------------------------------------------------------------------


async def test_temporary_password_requires_a_new_one(make_backend: MakeBackend, clock: FakeClock) -> None:
    every_class = PasswordPolicy(
        require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
    )
    backend = make_backend(mfa="off", password_policy=every_class)
    backend.add_user("nina", "Temp0rary!")
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="nina", password="Temp0rary!")
        confirm = action(state, "confirmSignIn")
        assert confirm["label"] == "Set New Password"
        assert confirm["fields"][2]["passwordPolicy"]["requireSymbols"] is True
        retry = await client.set(
            "confirmSignIn", session=session_of(state), challenge="newPassword", newPassword="weak"
        )
        assert retry["retriable"] is True and retry["errorName"] == "InvalidPasswordException"
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="newPassword", newPassword=STRONGER
        )
        assert state["state"] == "signedIn"
        await client.set("signOut")
        assert (await client.set("signIn", username="nina", password=STRONGER))["state"] == "signedIn"
    backend.add_user("otto", "Temp0rary!")
    clock.advance(backend.settings.temporary_password_lifetime + 1)
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="otto", password="Temp0rary!")
        assert state["errorName"] == "NotAuthorizedException"
        assert "expired" in state["error"]


def test_admin_validates_and_confirms(make_backend: MakeBackend) -> None:
    backend = make_backend()
    with pytest.raises(ValueError, match="Password must contain"):
        backend.add_user("weak", "short")
    with pytest.raises(ValueError, match="Username must be"):
        backend.add_user("", STRONG)
    backend.add_user("pat", STRONG, temporary=False)
    with pytest.raises(ValueError, match="User already exists"):
        backend.add_user("PAT", STRONG)  # usernames are case-insensitive
    with pytest.raises(LookupError):
        backend.confirm_user("nobody")


async def test_admin_confirm_user(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off", sign_in_with=("username",))
    async with RpcClient(backend) as client:
        await client.set("signUp", username="quinn", password=STRONG)
        backend.confirm_user("quinn")
        assert (await client.set("signIn", username="quinn", password=STRONG))["state"] == "signedIn"


# -- choice flow and passkeys ----------------------------------------------------------------


async def test_choice_flow_password_and_email_otp(make_backend: MakeBackend) -> None:
    backend = make_backend(flow="choice", sign_in_with=("email",), mfa="off")
    backend.add_user("rae@example.com", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        state = await client.get()
        assert action(state, "signIn")["fields"][0] == {
            "name": "username",
            "label": "Email",
            "type": "email",
            "required": True,
        }
        state = await client.set("signIn", username="rae@example.com")
        choice = action(state, "confirmSignIn")
        assert choice["fields"][2]["label"] == "Pick one of: PASSWORD, EMAIL_OTP, WEB_AUTHN"
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="firstFactor", firstFactor="PASSWORD"
        )
        assert default(state, "confirmSignIn", "challenge") == "password"
        retry = await client.set(
            "confirmSignIn", session=session_of(state), challenge="password", password="wrong"
        )
        assert retry["retriable"] is True and retry["errorName"] == "NotAuthorizedException"
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="password", password=STRONG
        )
        assert state["state"] == "signedIn"
        await client.set("signOut")
        state = await client.set("signIn", username="rae@example.com")
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="firstFactor", firstFactor="EMAIL_OTP"
        )
        assert action(state, "confirmSignIn")["label"] == "Enter Email Code (sent to r***@e***.com)"
        code = backend.latest_code("rae@example.com", "sign-in")
        state = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert state["state"] == "signedIn"


async def _register_passkey(client: RpcClient, device: SoftAuthenticator) -> dict[str, Any]:
    state = await client.set("startPasskeyRegistration")
    complete = action(state, "completePasskeyRegistration")
    assert complete["capability"] == "webauthn-create"
    options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
    return await client.set(
        "completePasskeyRegistration", credentialCreationOptions=options, credential=device.create(options)
    )


async def test_passkey_register_list_sign_in_delete(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    device = SoftAuthenticator(attestation="packed")
    async with RpcClient(backend) as client:
        await _signed_in(backend, client, "pia")
        state = await _register_passkey(client, device)
        # As recorded, then the additive renamePasskey of each passkey (issue 12, item 5).
        assert action_names(state) == [
            "deletePasskey",
            "startPasskeyRegistration",
            "signOut",
            "renamePasskey",
        ]
        assert action(state, "deletePasskey")["label"] == f"Delete passkey {device.id[:7]}…"
        assert default(state, "deletePasskey", "credentialId") == device.id
        assert action_names(await client.set("listPasskeys"))[0] == "deletePasskey"
        await client.set("signOut")
        for _ in range(2):  # the counter advances each time
            state = await client.set("signInWithPasskey", username="pia")
            challenge = action(state, "confirmSignIn")
            assert challenge["capability"] == "webauthn-get"
            options = default(state, "confirmSignIn", "credentialRequestOptions")
            state = await client.set(
                "confirmSignIn",
                session=session_of(state),
                challenge="webauthn",
                credential=device.get(options),
            )
            assert state["state"] == "signedIn"
        state = await client.set("deletePasskey", credentialId=device.id)
        assert action_names(state) == ["startPasskeyRegistration", "signOut"]
        assert (await client.set("deletePasskey", credentialId=device.id))[
            "errorName"
        ] == "ResourceNotFoundException"


async def test_choice_flow_web_authn(make_backend: MakeBackend) -> None:
    backend = make_backend(flow="choice", sign_in_with=("email",), mfa="off")
    device = SoftAuthenticator()
    async with RpcClient(backend) as client:
        await _signed_in(backend, client, "una@example.com")
        await _register_passkey(client, device)
        await client.set("signOut")
        state = await client.set("signIn", username="una@example.com")
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="firstFactor", firstFactor="web_authn"
        )
        options = default(state, "confirmSignIn", "credentialRequestOptions")
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="webauthn", credential=device.get(options)
        )
        assert state["state"] == "signedIn"
