"""An unconfirmed account is never a dead end, and optional MFA is opt-in (issue 12, items 1 and 4)."""

from __future__ import annotations

from backend_support import STRONG, STRONGER, MakeBackend, RpcClient, action_names


async def test_optional_mfa_is_opt_in_a_confirmed_sign_up_signs_in_with_one_code(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await client.set("signUp", username="carol", password=STRONG, email="carol@example.com")
        state = await client.set("confirmSignUp", username="carol", code=backend.latest_code("carol"))
        state = await client.set("autoSignIn", username="carol")
        assert state["state"] == "signedIn"
        assert backend.mfa_preference("carol") == {"enabled": []}
        assert "startEmailMfaSetup" in action_names(state)


async def test_sign_up_again_with_the_same_password_resends_the_code(make_backend: MakeBackend) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await client.set("signUp", username="dora", password=STRONG, email="dora@example.com")
        first = backend.latest_code("dora", "sign-up")
        state = await client.set("signUp", username="dora", password=STRONG, email="dora@example.com")
        assert action_names(state) == ["confirmSignUp", "resendSignUpCode"]
        second = backend.latest_code("dora", "sign-up")
        assert second is not None and second != first
        state = await client.set("confirmSignUp", username="dora", code=second)
        assert "error" not in state


async def test_sign_up_again_with_another_password_still_says_the_user_exists(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await client.set("signUp", username="erin", password=STRONG, email="erin@example.com")
        state = await client.set("signUp", username="erin", password=STRONGER, email="erin@example.com")
        assert state["errorName"] == "UsernameExistsException"


async def test_reset_of_an_unconfirmed_account_confirms_it(make_backend: MakeBackend) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        await client.set(
            "signUp", username="fay", password=STRONG, email="fay@example.com", autoSignIn="false"
        )
        state = await client.set("signIn", username="fay", password=STRONG)
        assert state["errorName"] == "UserNotConfirmedException"
        state = await client.set("resetPassword", username="fay")
        assert state["state"] == "confirmingPasswordReset"
        code = backend.latest_code("fay", "password-reset")
        assert code is not None
        state = await client.set("confirmResetPassword", username="fay", code=code, newPassword=STRONGER)
        assert "error" not in state
        assert (await client.set("signIn", username="fay", password=STRONGER))["state"] == "signedIn"


async def test_resend_sign_up_code_is_accepted_while_signed_out(make_backend: MakeBackend) -> None:
    """The client's answer to UserNotConfirmedException: resend outside confirmingSignUp."""
    backend = make_backend()
    async with RpcClient(backend) as client:
        await client.set(
            "signUp", username="gus", password=STRONG, email="gus@example.com", autoSignIn="false"
        )
        first = backend.latest_code("gus", "sign-up")
        await client.get()
        state = await client.set("resendSignUpCode", username="gus")
        assert action_names(state) == ["confirmSignUp", "resendSignUpCode"]
        assert backend.latest_code("gus", "sign-up") != first


async def test_the_confirm_form_says_where_the_sign_up_code_went(make_backend: MakeBackend) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        state = await client.set("signUp", username="hal", password=STRONG, email="hal@example.com")
        confirm = next(a for a in state["actions"] if a["name"] == "confirmSignUp")
        assert confirm["codeDestination"] == "h***@e***.com"
        state = await client.set("resendSignUpCode", username="hal")  # says nothing: no enumeration
        confirm = next(a for a in state["actions"] if a["name"] == "confirmSignUp")
        assert "codeDestination" not in confirm
