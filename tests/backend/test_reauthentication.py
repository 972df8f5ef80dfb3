"""Finding 1 (issue 11): re-authentication by every factor the account has, and only by its own.

A sensitive action on an old sign-in asks the person to prove who they are
(``backend/reauthentication.py``). These tests attack that step the way a
thief holding a copied cookie would: codes moved between sessions, reused,
guessed; someone else's passkey; a key without its PIN; and they check that
owners who sign in without their password can still get through.
"""

from __future__ import annotations

from typing import Any

from backend_support import (
    STRONG,
    FakeClock,
    MakeBackend,
    RpcClient,
    action,
    action_names,
    default,
    session_of,
    totp_now,
)
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.backend.settings import RateLimits
from nicegui_authenticator.state_machine.classify import classify
from nicegui_authenticator.state_machine.protocol import parse_auth_state
from nicegui_authenticator.state_machine.screen_names import ScreenName

STALE = 10 * 60  # older than the 5-minute window


def _fields(state: dict[str, Any], name: str) -> dict[str, Any]:
    return {f["name"]: f for f in action(state, name)["fields"]}


def _methods(state: dict[str, Any]) -> set[str]:
    """The methods the re-authentication state offers: the current one and the others to choose."""
    current = {_fields(state, "reauthenticate")["method"]["defaultValue"]}
    if "chooseReauthenticationMethod" not in action_names(state):
        return current
    label = _fields(state, "chooseReauthenticationMethod")["method"]["label"]
    return current | {m.strip() for m in label.split(":", 1)[1].split(",")}


async def _register_passkey(client: RpcClient, device: SoftAuthenticator) -> None:
    state = await client.set("startPasskeyRegistration")
    options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
    state = await client.set("completePasskeyRegistration", credential=device.create(options))
    assert "error" not in state, state


async def _refused(client: RpcClient) -> dict[str, Any]:
    """A sensitive action answered with the re-authentication state."""
    state = await client.set("startTotpSetup")
    assert "reauthenticate" in action_names(state), state
    return state


async def _allowed(client: RpcClient) -> bool:
    state = await client.set("startTotpSetup")
    await client.set("cancelSetup")
    return "completeTotpSetup" in action_names(state)


async def _email_code(client: RpcClient, username: str, *, resend: bool = False) -> str:
    verb = (
        ("resendReauthenticationCode", {})
        if resend
        else ("chooseReauthenticationMethod", {"method": "EMAIL_OTP"})
    )
    state = await client.set(verb[0], **verb[1])
    assert _fields(state, "reauthenticate")["method"]["defaultValue"] == "EMAIL_OTP", state
    assert "(sent to " in action(state, "reauthenticate")["label"]
    code = client.backend.latest_code(username, "reauthentication")
    assert code is not None
    return code


async def test_finding_1_reauth_offers_every_method_the_account_has(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("ada", STRONG, temporary=False, email="ada@example.com")
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ada", password=STRONG)
        assert _methods(await _with_stale_window(client, clock)) == {"PASSWORD"}
        await client.set("reauthenticate", password=STRONG)
        secret = default(await client.set("startTotpSetup"), "completeTotpSetup", "sharedSecret")
        await client.set("completeTotpSetup", code=totp_now(secret, clock))
        await client.set("startEmailMfaSetup", email="ada@example.com")
        await client.set("completeEmailMfaSetup", code=backend.latest_code("ada", "mfa-setup"))
        await _register_passkey(client, SoftAuthenticator())
        state = await _with_stale_window(client, clock)
        assert _methods(state) == {"PASSWORD", "WEB_AUTHN", "TOTP", "EMAIL_OTP"}
        shown = classify(parse_auth_state(state))
        assert shown.screen is ScreenName.CONFIRM_IDENTITY
        # A current authenticator code is proof enough, as before.
        clock.advance(30)
        state = await client.set("reauthenticate", method="TOTP", code=totp_now(secret, clock))
        assert "error" not in state and await _allowed(client), state


async def _with_stale_window(client: RpcClient, clock: FakeClock) -> dict[str, Any]:
    clock.advance(STALE)
    return await _refused(client)


async def test_finding_1_reauth_by_email_code_is_bound_to_its_session_and_single_use(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("bea", STRONG, temporary=False, email="bea@example.com")
    backend._parts.users.enable_email_mfa(1, "bea@example.com")
    async with RpcClient(backend) as a, RpcClient(backend) as b:
        for client in (a, b):
            state = await client.set("signIn", username="bea", password=STRONG)
            code = backend.latest_code("bea", "sign-in")
            await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
            assert (await client.get())["state"] == "signedIn"
        clock.advance(STALE)
        await _refused(a)
        await _refused(b)
        code_for_a = await _email_code(a, "bea")
        # Session B cannot use the code that session A asked for.
        state = await b.set("reauthenticate", method="EMAIL_OTP", code=code_for_a)
        assert state.get("retriable") is True and state["errorName"] == "CodeMismatchException", state
        # Session A can; only A's window is renewed.
        state = await a.set("reauthenticate", method="EMAIL_OTP", code=code_for_a)
        assert "error" not in state, state
        assert await _allowed(a)
        await _refused(b)
        # The code worked once.
        clock.advance(STALE)
        await _refused(a)
        state = await a.set("reauthenticate", method="EMAIL_OTP", code=code_for_a)
        assert state.get("retriable") is True and state["error"], state
        await _refused(a)
        # A resend is a new code; it expires with the code lifetime.
        fresh = await _email_code(a, "bea", resend=True)
        clock.advance(backend.settings.code_lifetime + 1)
        state = await a.set("reauthenticate", method="EMAIL_OTP", code=fresh)
        assert state.get("retriable") is True and state["error"], state
        await _refused(a)


async def test_finding_1_wrong_reauth_codes_spend_the_sign_in_budget(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional", rate_limits=RateLimits(failures_per_username=3))
    backend.add_user("cy", STRONG, temporary=False, email="cy@example.com")
    backend._parts.users.enable_email_mfa(1, "cy@example.com")
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="cy", password=STRONG)
        code = backend.latest_code("cy", "sign-in")
        await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        clock.advance(STALE)
        await _refused(client)
        real = await _email_code(client, "cy")
        wrong = f"{(int(real) + 1) % 1_000_000:06d}"
        for _ in range(3):
            state = await client.set("reauthenticate", method="EMAIL_OTP", code=wrong)
            assert state["errorName"] == "CodeMismatchException", state
        # The budget is spent: even the right answers are refused for now.
        state = await client.set("reauthenticate", method="EMAIL_OTP", code=real)
        assert state["errorName"] == "LimitExceededException", state
        state = await client.set("reauthenticate", method="PASSWORD", password=STRONG)
        assert state["errorName"] == "LimitExceededException", state
        # ... on the re-authentication screen still: the person is signed in and may wait it out.
        assert state["state"] == "signedIn" and "reauthenticate" in action_names(state), state
        await _refused(client)


async def test_finding_1_reauth_by_passkey_needs_the_accounts_own_verified_passkey(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("dee", STRONG, temporary=False)
    backend.add_user("eve", STRONG, temporary=False)
    dees, eves = SoftAuthenticator(), SoftAuthenticator()
    async with RpcClient(backend) as dee, RpcClient(backend, address="203.0.113.66") as eve:
        for client, name, device in ((dee, "dee", dees), (eve, "eve", eves)):
            await client.set("signIn", username=name, password=STRONG)
            await _register_passkey(client, device)
        clock.advance(STALE)
        await _refused(dee)

        async def passkey_challenge() -> str:
            state = await dee.set("chooseReauthenticationMethod", method="WEB_AUTHN")
            assert action(state, "reauthenticate")["capability"] == "webauthn-get", state
            options = default(state, "reauthenticate", "credentialRequestOptions")
            assert '"userVerification": "required"' in options or '"userVerification":"required"' in options
            return options

        # Someone else's passkey (the thief's own) proves nothing about Dee.
        state = await dee.set(
            "reauthenticate", method="WEB_AUTHN", credential=eves.get(await passkey_challenge())
        )
        assert state["error"] and "reauthenticate" in action_names(state), state
        await _refused(dee)
        # Dee's key without its PIN or biometric is possession only.
        dees.user_verification = False
        state = await dee.set(
            "reauthenticate", method="WEB_AUTHN", credential=dees.get(await passkey_challenge())
        )
        assert state["error"], state
        await _refused(dee)
        # An assertion is good for the challenge it answered, once.
        dees.user_verification = True
        assertion = dees.get(await passkey_challenge())
        state = await dee.set("reauthenticate", method="WEB_AUTHN", credential=assertion)
        assert "error" not in state, state
        assert await _allowed(dee)
        clock.advance(STALE)
        await _refused(dee)
        state = await dee.set("reauthenticate", method="WEB_AUTHN", credential=assertion)
        assert state.get("error"), state
        await _refused(dee)


async def test_finding_1_account_signed_in_without_password_reauths_by_email_code(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(flow="choice", mfa="optional", sign_in_with=("email",))
    backend.add_user("fay@example.com", STRONG, temporary=False, email="fay@example.com")
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="fay@example.com")
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="firstFactor", firstFactor="EMAIL_OTP"
        )
        code = backend.latest_code("fay@example.com", "sign-in")
        state = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert state["state"] == "signedIn", state
        clock.advance(STALE)
        assert _methods(await _refused(client)) == {"PASSWORD", "EMAIL_OTP"}
        code = await _email_code(client, "fay@example.com")
        state = await client.set("reauthenticate", method="EMAIL_OTP", code=code)
        assert "error" not in state and await _allowed(client), state


async def test_finding_1_reauth_codes_come_out_of_the_same_send_budget(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional", rate_limits=RateLimits(sends_per_username=3))
    backend.add_user("gil", STRONG, temporary=False, email="gil@example.com")
    backend._parts.users.enable_email_mfa(1, "gil@example.com")
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="gil", password=STRONG)  # send 1: the sign-in code
        code = backend.latest_code("gil", "sign-in")
        await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        clock.advance(STALE)
        await _refused(client)
        await _email_code(client, "gil")  # send 2
        await _email_code(client, "gil", resend=True)  # send 3
        state = await client.set("resendReauthenticationCode")
        assert state["errorName"] == "LimitExceededException", state
        assert "reauthenticate" in action_names(state)  # still on the screen, another method open
        sent = [m for m in backend.list_outbox() if m["purpose"] == "reauthentication"]
        assert len(sent) == 2
