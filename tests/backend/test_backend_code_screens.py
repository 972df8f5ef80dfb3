"""Code screens (issue 12, item 7): resend on reset and email-code steps, another method at a TOTP step.

Each resend is tried the way an abuser would: rapid resends run into the send
budget, a resend for an account that does not exist answers exactly like one
for an account that does, and the code a resend replaced stops working.
"""

from __future__ import annotations

from typing import Any

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
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.settings import RateLimits


def _without_username(state: dict[str, Any]) -> dict[str, Any]:
    """The reply with what was typed blanked (the echoed name, its masked form): all that may differ."""
    actions = [
        {
            **a,
            **({"codeDestination": "·"} if "codeDestination" in a else {}),
            "fields": [{**f, "defaultValue": "·"} if f["name"] == "username" else f for f in a["fields"]],
        }
        for a in state["actions"]
    ]
    return {**state, "actions": actions}


async def test_reset_offers_a_resend_whose_code_replaces_the_first(make_backend: MakeBackend) -> None:
    backend = make_backend()
    backend.add_user("rita", STRONG, temporary=False, email="rita@example.com")
    async with RpcClient(backend) as client:
        state = await client.set("resetPassword", username="rita@example.com")
        assert action_names(state) == ["confirmResetPassword", "resendPasswordResetCode"]
        assert action(state, "confirmResetPassword")["codeDestination"] == "r***@e***.com"
        first = backend.latest_code("rita", "password-reset")
        state = await client.set("resendPasswordResetCode", username="rita@example.com")
        assert action_names(state) == ["confirmResetPassword", "resendPasswordResetCode"]
        second = backend.latest_code("rita", "password-reset")
        assert second is not None and second != first
        refused = await client.set(
            "confirmResetPassword", username="rita@example.com", code=first, newPassword=STRONGER
        )
        assert refused["errorName"] == "CodeMismatchException"  # the resend replaced it
        done = await client.set(
            "confirmResetPassword", username="rita@example.com", code=second, newPassword=STRONGER
        )
        assert "error" not in done
        assert (await client.set("signIn", username="rita", password=STRONGER))["state"] == "signedIn"


async def test_reset_shows_only_an_address_that_was_typed(make_backend: MakeBackend) -> None:
    backend = make_backend()
    backend.add_user("sam", STRONG, temporary=False, email="sam@example.com")
    async with RpcClient(backend) as client:
        state = await client.set("resetPassword", username="sam")
        assert "codeDestination" not in action(state, "confirmResetPassword")  # never the account's address


async def test_resending_a_reset_code_answers_alike_for_unknown_accounts(make_backend: MakeBackend) -> None:
    backend = make_backend()
    backend.add_user("tina", STRONG, temporary=False, email="tina@example.com")
    async with RpcClient(backend) as client:
        known = await client.set("resendPasswordResetCode", username="tina")
        unknown = await client.set("resendPasswordResetCode", username="nobody")
        assert _without_username(known) == _without_username(unknown)
        known = await client.set("resendPasswordResetCode", username="tina@example.com")
        unknown = await client.set("resendPasswordResetCode", username="nobody@example.com")
        assert action(known, "confirmResetPassword")["codeDestination"] == "t***@e***.com"
        assert action(unknown, "confirmResetPassword")["codeDestination"] == "n***@e***.com"
        assert _without_username(known) == _without_username(unknown)
    assert backend.latest_code("nobody", "password-reset") is None  # nothing was sent


async def test_rapid_reset_resends_hit_the_send_budget_for_known_and_unknown_alike(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(rate_limits=RateLimits(sends_per_username=3))
    backend.add_user("uma", STRONG, temporary=False, email="uma@example.com")
    async with RpcClient(backend) as client:
        for name in ("uma", "ghost"):
            replies = [await client.set("resendPasswordResetCode", username=name) for _ in range(4)]
            assert ["error" in r for r in replies] == [False, False, False, True]
            assert replies[-1]["errorName"] == "LimitExceededException"
    assert len([r for r in backend.list_outbox() if r.get("purpose") == "password-reset"]) == 3


async def _email_challenge(backend: ReferenceBackend, client: RpcClient, name: str) -> dict[str, Any]:
    """An account enrolled in email MFA only, signed in as far as its email code step."""
    backend.add_user(name, STRONG, temporary=False, email=f"{name}@example.com")
    await client.set("signIn", username=name, password=STRONG)
    await client.set("startEmailMfaSetup", email=f"{name}@example.com")
    state = await client.set("completeEmailMfaSetup", code=backend.latest_code(name, "mfa-setup"))
    assert state["state"] == "signedIn", state
    await client.set("signOut")
    return await client.set("signIn", username=name, password=STRONG)


async def test_an_email_sign_in_code_can_be_sent_again_and_only_the_new_one_works(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        state = await _email_challenge(backend, client, "vera")
        assert action_names(state) == ["confirmSignIn", "resendSignInCode"]  # email only: no other method
        assert action(state, "confirmSignIn")["label"] == "Enter Email Code (sent to v***@e***.com)"
        session = session_of(state)
        first = backend.latest_code("vera", "sign-in")
        again = await client.set("resendSignInCode", session=session)
        assert again == state  # the same step, the same session
        second = backend.latest_code("vera", "sign-in")
        assert second is not None and second != first
        refused = await client.set("confirmSignIn", session=session, challenge="code", code=first)
        assert refused["retriable"] is True and refused["errorName"] == "CodeMismatchException"
        done = await client.set("confirmSignIn", session=session, challenge="code", code=second)
        assert done["state"] == "signedIn"


async def test_rapid_sign_in_resends_hit_the_budget_and_keep_the_step(make_backend: MakeBackend) -> None:
    backend = make_backend(rate_limits=RateLimits(sends_per_username=4))
    async with RpcClient(backend) as client:
        state = await _email_challenge(backend, client, "wes")  # set-up and sign-in: two sends
        session = session_of(state)
        replies = [await client.set("resendSignInCode", session=session) for _ in range(3)]
        assert ["error" in r for r in replies] == [False, False, True]
        assert replies[-1]["retriable"] is True and replies[-1]["actions"] == []
        done = await client.set(
            "confirmSignIn", session=session, challenge="code", code=backend.latest_code("wes", "sign-in")
        )
        assert done["state"] == "signedIn"  # the refused resend left the step and its code alone


async def test_resend_and_another_method_need_a_live_step(make_backend: MakeBackend) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        expired = await client.set("resendSignInCode", session="made-up")
        assert expired["errorName"] == "ExpiredCodeException"
        expired = await client.set("useAnotherMfaMethod", session="made-up")
        assert expired["errorName"] == "ExpiredCodeException"


async def _totp_and_email_account(
    backend: ReferenceBackend, client: RpcClient, clock: FakeClock, name: str
) -> str:
    """An account with email codes and an authenticator app, the app preferred; its TOTP secret."""
    await _email_challenge(backend, client, name)
    state = await client.set(
        "confirmSignIn",
        session=session_of(await client.set("signIn", username=name, password=STRONG)),
        challenge="code",
        code=backend.latest_code(name, "sign-in"),
    )
    assert state["state"] == "signedIn", state
    secret, _ = await enroll_totp(client, clock)
    await client.set("setPreferredMfa", mfaType="TOTP")
    await client.set("signOut")
    clock.advance(30)
    return secret


async def test_a_totp_step_offers_email_codes_instead(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await _totp_and_email_account(backend, client, clock, "yara")
        totp = await client.set("signIn", username="yara", password=STRONG)
        assert action(totp, "confirmSignIn")["label"] == "Enter Authenticator Code"
        assert action_names(totp) == ["confirmSignIn", "useAnotherMfaMethod"]  # no code to resend
        assert (await client.set("resendSignInCode", session=session_of(totp)))["retriable"] is True
        email = await client.set("useAnotherMfaMethod", session=session_of(totp))
        assert action(email, "confirmSignIn")["label"] == "Enter Email Code (sent to y***@e***.com)"
        assert action_names(email) == ["confirmSignIn", "resendSignInCode", "useAnotherMfaMethod"]
        stale = await client.set("confirmSignIn", session=session_of(totp), challenge="code", code="123456")
        assert stale["errorName"] == "ExpiredCodeException"  # the TOTP step is over
        done = await client.set(
            "confirmSignIn",
            session=session_of(email),
            challenge="code",
            code=backend.latest_code("yara", "sign-in"),
        )
        assert done["state"] == "signedIn"


async def test_switching_back_and_forth_kills_the_old_code(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        secret = await _totp_and_email_account(backend, client, clock, "zoe")
        totp = await client.set("signIn", username="zoe", password=STRONG)
        email = await client.set("useAnotherMfaMethod", session=session_of(totp))
        code = backend.latest_code("zoe", "sign-in")
        back = await client.set("useAnotherMfaMethod", session=session_of(email))
        assert action(back, "confirmSignIn")["label"] == "Enter Authenticator Code"
        stale = await client.set("confirmSignIn", session=session_of(email), challenge="code", code=code)
        assert stale["errorName"] == "ExpiredCodeException"
        done = await client.set(
            "confirmSignIn", session=session_of(back), challenge="code", code=totp_now(secret, clock)
        )
        assert done["state"] == "signedIn"


async def test_the_email_set_up_code_can_be_sent_again(make_backend: MakeBackend) -> None:
    backend = make_backend(rate_limits=RateLimits(sends_per_username=3))
    backend.add_user("ada", STRONG, temporary=False, email="ada@example.com")
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ada", password=STRONG)
        state = await client.set("startEmailMfaSetup", email="ada@example.com")
        assert action(state, "completeEmailMfaSetup")["codeDestination"] == "a***@e***.com"
        first = backend.latest_code("ada", "mfa-setup")
        again = await client.set("resendEmailMfaSetupCode")
        assert action_names(again) == action_names(state)
        second = backend.latest_code("ada", "mfa-setup")
        assert second != first
        third = await client.set("resendEmailMfaSetupCode")  # the budget's last send
        over = await client.set("resendEmailMfaSetupCode")
        assert "error" not in third and over["retriable"] is True
        wrong = await client.set("completeEmailMfaSetup", code=first)
        assert wrong["errorName"] == "CodeMismatchException"
        done = await client.set("completeEmailMfaSetup", code=backend.latest_code("ada", "mfa-setup"))
        assert done["state"] == "signedIn" and "error" not in done


async def test_a_passwordless_code_resend_answers_alike_for_unknown_addresses(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(flow="choice", sign_in_with=("email",), mfa="off")
    backend.add_user("bo@example.com", STRONG, temporary=False, email="bo@example.com")

    async def resent(address: str) -> dict[str, Any]:
        async with RpcClient(backend) as client:
            choice = await client.set("signIn", username=address)
            step = await client.set(
                "confirmSignIn", session=session_of(choice), challenge="firstFactor", firstFactor="EMAIL_OTP"
            )
            again = await client.set("resendSignInCode", session=session_of(step))
            assert again == step
            return {**again, "actions": [{**a, "fields": a["fields"][1:]} for a in again["actions"]]}

    known, unknown = await resent("bo@example.com"), await resent("bx@example.com")
    assert known == unknown  # masked alike (b***@e***.com), same actions: the session aside
    assert backend.latest_code("bx@example.com") is None
    assert len([r for r in backend.list_outbox() if r["to"] == "bo@example.com"]) == 2


async def test_a_switch_refused_by_the_send_budget_keeps_the_totp_step(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(rate_limits=RateLimits(sends_per_username=3))  # set-up, sign-in, then none
    async with RpcClient(backend) as client:
        secret = await _totp_and_email_account(backend, client, clock, "cy")
        totp = await client.set("signIn", username="cy", password=STRONG)
        refused = await client.set("useAnotherMfaMethod", session=session_of(totp))
        assert refused["retriable"] is True and refused["errorName"] == "LimitExceededException"
        done = await client.set(
            "confirmSignIn", session=session_of(totp), challenge="code", code=totp_now(secret, clock)
        )
        assert done["state"] == "signedIn"  # the authenticator app still works


async def _register_passkey(client: RpcClient, device: SoftAuthenticator) -> None:
    state = await client.set("startPasskeyRegistration")
    options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
    state = await client.set(
        "completePasskeyRegistration", credentialCreationOptions=options, credential=device.create(options)
    )
    assert "error" not in state, state


async def _passkey_sign_in_step(
    client: RpcClient, device: SoftAuthenticator, state: dict[str, Any]
) -> dict[str, Any]:
    """Answer a passkey step with ``device``."""
    assert action(state, "confirmSignIn")["capability"] == "webauthn-get"
    options = default(state, "confirmSignIn", "credentialRequestOptions")
    return await client.set(
        "confirmSignIn", session=session_of(state), challenge="webauthn", credential=device.get(options)
    )


async def test_a_passkey_can_stand_in_for_the_authenticator_app(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend()
    device = SoftAuthenticator()
    backend.add_user("dee", STRONG, temporary=False, email="dee@example.com")
    async with RpcClient(backend) as client:
        await client.set("signIn", username="dee", password=STRONG)
        await _register_passkey(client, device)
        await enroll_totp(client, clock)
        await client.set("signOut")
        totp = await client.set("signIn", username="dee", password=STRONG)
        assert action_names(totp) == ["confirmSignIn", "useAnotherMfaMethod"]  # the passkey is the other
        passkey = await client.set("useAnotherMfaMethod", session=session_of(totp))
        assert (await _passkey_sign_in_step(client, device, passkey))["state"] == "signedIn"


async def test_several_other_methods_are_a_choice(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend()
    device = SoftAuthenticator()
    async with RpcClient(backend) as client:
        secret = await _totp_and_email_account(backend, client, clock, "eve")
        totp = await client.set("signIn", username="eve", password=STRONG)
        signed_in = await client.set(
            "confirmSignIn", session=session_of(totp), challenge="code", code=totp_now(secret, clock)
        )
        assert signed_in["state"] == "signedIn", signed_in
        await _register_passkey(client, device)
        await client.set("signOut")
        totp = await client.set("signIn", username="eve", password=STRONG)
        choice = await client.set("useAnotherMfaMethod", session=session_of(totp))
        assert action(choice, "confirmSignIn")["label"] == "Choose MFA Method"
        assert action(choice, "confirmSignIn")["fields"][2]["label"] == "Pick one of: EMAIL, WEB_AUTHN"
        passkey = await client.set(
            "confirmSignIn", session=session_of(choice), challenge="mfaType", mfaType="WEB_AUTHN"
        )
        assert (await _passkey_sign_in_step(client, device, passkey))["state"] == "signedIn"
