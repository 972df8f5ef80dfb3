"""What a signed-in person does with their account: set up MFA, manage passkeys, clean up.

These run only when the signed-in state offers the actions (the reference
backend's names: ``startTotpSetup``/``completeTotpSetup``, the passkey trio,
``disableMfa``); a server without them is not at fault, the steps are
skipped and the table says why.
"""

from __future__ import annotations

from typing import Any, Final

from ..state_machine import ScreenName
from ..state_machine.protocol import (
    COMPLETE_PASSKEY_REGISTRATION,
    COMPLETE_TOTP_SETUP,
    DELETE_PASSKEY,
    SIGN_IN_WITH_DISCOVERABLE_PASSKEY,
    SIGN_IN_WITH_PASSKEY,
    START_PASSKEY_REGISTRATION,
)
from .challenges import sign_in_until_done
from .flows import Flows
from .software_passkey import SoftwarePasskey

START_TOTP_SETUP: Final = "startTotpSetup"
LIST_PASSKEYS: Final = "listPasskeys"
DISABLE_MFA: Final = "disableMfa"
DELETE_ACCOUNT_ACTIONS: Final = ("deleteUser", "deleteAccount")


def offered(flows: Flows) -> set[str]:
    """Action names of the latest AuthState the person was shown."""
    state = flows.auth.machine.state
    return {a.name for a in state.actions} if state is not None else set()


async def set_up_totp(flows: Flows) -> None:
    """startTotpSetup, then completeTotpSetup with the first code (R14 shape, R21 outcome)."""
    run = flows.run
    with run.step("mfa", START_TOTP_SETUP):
        await flows.auth.submit(action=START_TOTP_SETUP)
        form = flows.auth.machine.state.action(COMPLETE_TOTP_SETUP) if flows.auth.machine.state else None
        secret = form.default_of("sharedSecret") if form is not None else None
        run.expect(bool(secret), "R14", "startTotpSetup offered no completeTotpSetup with a sharedSecret")
    with run.step("mfa", COMPLETE_TOTP_SETUP):
        code = await flows.account.totp_code(secret)
        await flows.auth.submit({"code": code}, action=COMPLETE_TOTP_SETUP)
        result = flows.result_of(COMPLETE_TOTP_SETUP)
        run.expect(
            result.get("state") == "signedIn" and not result.get("error"),
            "R21",
            f"completeTotpSetup answered {result.get('state')!r} ({result.get('errorName') or 'no error'})",
        )
    flows.account.totp_secret = secret
    flows.account.enrolled_totp_here = True


async def passkeys(flows: Flows, origin: str) -> None:
    """Register a software passkey, find it listed, sign in with it, delete it (R12, R22)."""
    run, auth = flows.run, flows.auth
    device = SoftwarePasskey(origin)
    flows.account.passkey = device
    with run.step("passkeys", "register"):
        await auth.submit(action=START_PASSKEY_REGISTRATION)
        run.expect(auth.screen.name is ScreenName.PASSKEY_REGISTER, "R22", "no passkey registration offered")
        await auth.submit(action=COMPLETE_PASSKEY_REGISTRATION)
        result = flows.result_of(COMPLETE_PASSKEY_REGISTRATION)
        run.expect(
            result.get("state") == "signedIn" and not result.get("error"),
            "R22",
            f"registering a passkey answered {result.get('errorName') or result.get('error') or result.get('state')}",
        )
    with run.step("passkeys", LIST_PASSKEYS):
        await _list_passkeys(flows)
        run.expect(_lists(_latest(flows), device.credential_id), "R22", "the new passkey is not listed")
    await flows.sign_out("passkeys")
    if SIGN_IN_WITH_DISCOVERABLE_PASSKEY in offered(flows):
        await _sign_in_without_username(flows)
    if SIGN_IN_WITH_PASSKEY in offered(flows):
        with run.step("passkeys", SIGN_IN_WITH_PASSKEY):
            await auth.navigate(ScreenName.PASSKEY_SIGN_IN)
            await auth.submit({"username": flows.account.username})
        await sign_in_until_done(run, auth, flows.account, flows.codes, "passkeys", first_factor="WEB_AUTHN")
    else:
        run.skip("passkeys", SIGN_IN_WITH_PASSKEY, "not offered while signed out")
        await flows.sign_in("passkeys")
    with run.step("passkeys", DELETE_PASSKEY):
        await _list_passkeys(flows)
        listed = _lists(_latest(flows), device.credential_id)
        run.expect(listed, "R22", "no deletePasskey action for the registered passkey")
        await auth.submit(action=DELETE_PASSKEY)  # the account's only passkey: the first form
        await _list_passkeys(flows)
        run.expect(not _lists(_latest(flows), device.credential_id), "R22", "the passkey is still listed")
    flows.account.passkey = None


async def _sign_in_without_username(flows: Flows) -> None:
    """The additive username-less sign-in signs the passkey's account in, no username sent (R23)."""
    run, auth = flows.run, flows.auth
    with run.step("passkeys", SIGN_IN_WITH_DISCOVERABLE_PASSKEY):
        await auth.submit(action=SIGN_IN_WITH_DISCOVERABLE_PASSKEY)
        result = flows.result_of(SIGN_IN_WITH_DISCOVERABLE_PASSKEY)
        run.expect(
            result.get("state") in ("signedIn", "confirmingSignIn") and not result.get("error"),
            "R23",
            f"the username-less passkey sign-in answered {result.get('errorName') or result.get('state')}",
        )
    screen = await sign_in_until_done(run, auth, flows.account, flows.codes, "passkeys")
    user = screen.user
    run.expect(
        user is not None and user.username == flows.account.username,
        "R23",
        "the username-less passkey sign-in did not sign in the passkey's account",
    )
    await flows.sign_out("passkeys")


async def clean_up(flows: Flows) -> str:
    """Undo what the run set up where the server allows it; say what is left behind."""
    names = offered(flows)
    for action in DELETE_ACCOUNT_ACTIONS:
        if action in names:
            await flows.auth.submit(action=action)
            return f"deleted the account with {action}"
    undone = []
    if flows.account.enrolled_totp_here and DISABLE_MFA in names:
        await flows.auth.submit(action=DISABLE_MFA)
        undone.append("MFA turned off")
    left = f"account {flows.account.username!r} left in place: the server offers no way to delete it"
    return "; ".join([*undone, left])


async def _list_passkeys(flows: Flows) -> None:
    """Show the passkey list, unless the state on screen already is one (no listPasskeys offered)."""
    if LIST_PASSKEYS in offered(flows):
        await flows.auth.submit(action=LIST_PASSKEYS)


def _latest(flows: Flows) -> dict[str, Any]:
    state = flows.auth.machine.state
    return state.to_wire() if state is not None else {}


def _lists(result: dict[str, Any], credential_id: str) -> bool:
    for action in result.get("actions", []):
        if isinstance(action, dict) and action.get("name") == DELETE_PASSKEY:
            for item in action.get("fields", []):
                if isinstance(item, dict) and item.get("defaultValue") == credential_id:
                    return True
    return False
