"""Issue 11, finding 8: ``changePassword`` for a signed-in person (current + new password)."""

from __future__ import annotations

from backend_support import STRONG, STRONGER, MakeBackend, RpcClient, action, sign_up_confirmed
from nicegui_authenticator.backend.settings import RateLimits


async def _signed_in(client: RpcClient, username: str, password: str = STRONG) -> dict[str, object]:
    state = await client.set("signIn", username=username, password=password)
    assert state["state"] == "signedIn", state
    return state


async def test_finding_8_signed_in_person_can_change_password(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    async with RpcClient(backend) as phone, RpcClient(backend) as laptop:
        await sign_up_confirmed(phone, "dora", email="dora@example.com")
        state = await _signed_in(phone, "dora")
        await _signed_in(laptop, "dora")

        change = action(state, "changePassword")
        fields = {f["name"]: f for f in change["fields"]}
        assert fields["currentPassword"]["type"] == "password"
        assert "passwordPolicy" not in fields["currentPassword"]
        assert fields["newPassword"]["passwordPolicy"]["minLength"] == 8

        state = await phone.set("changePassword", currentPassword=STRONG, newPassword=STRONGER)
        assert "error" not in state and state["state"] == "signedIn", state
        assert (await phone.get())["state"] == "signedIn"  # this session goes on
        assert (await laptop.get())["state"] == "signedOut"  # every other one ended

    async with RpcClient(backend) as fresh:
        refused = await fresh.set("signIn", username="dora", password=STRONG)
        assert refused.get("errorName") == "NotAuthorizedException"
        await _signed_in(fresh, "dora", STRONGER)


async def test_wrong_current_password_is_refused_and_counts_against_the_budget(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mfa="off", rate_limits=RateLimits(failures_per_username=3))
    async with RpcClient(backend) as client:
        await sign_up_confirmed(client, "erin", email="erin@example.com")
        await _signed_in(client, "erin")
        for _ in range(3):
            state = await client.set("changePassword", currentPassword="not-it-at-all", newPassword=STRONGER)
            assert state["errorName"] == "NotAuthorizedException" and state["retriable"] is True, state
        over = await client.set("changePassword", currentPassword=STRONG, newPassword=STRONGER)
        assert over["errorName"] == "LimitExceededException", over
        assert (await client.get())["state"] == "signedIn"  # refused, not signed out

    # The guesses spent this signed-in device's own budget (issue 11, finding 2: a known
    # device keeps a budget of its own), not the owner's elsewhere: a cookie thief's
    # guesses do not lock the owner out of signing in.
    async with RpcClient(backend) as other:
        owner = await other.set("signIn", username="erin", password=STRONG)
        assert owner["state"] == "signedIn", owner


async def test_a_weak_new_password_is_refused_before_the_current_one_is_tried(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mfa="off")
    async with RpcClient(backend) as client:
        await sign_up_confirmed(client, "finn", email="finn@example.com")
        await _signed_in(client, "finn")
        state = await client.set("changePassword", currentPassword=STRONG, newPassword="Password1!")
        assert state["errorName"] == "InvalidPasswordException" and state["retriable"] is True, state
        await _signed_in(client, "finn")  # the old password still works


async def test_change_password_needs_a_session(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    async with RpcClient(backend) as client:
        state = await client.set("changePassword", currentPassword=STRONG, newPassword=STRONGER)
        assert state["errorName"] == "NotAuthenticatedException", state
