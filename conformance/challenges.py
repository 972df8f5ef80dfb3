"""Answering whatever the server asks between "sign in" and "signed in", as a person would.

One loop for every flow that signs in (after sign-up, with a password, with
a passkey): each screen the server leads to is one step of the report, named
after the screen, so a deviation says where in the chain it happened. Codes
come from the account's TOTP secret or the configured code source; a choice
of method prefers what the checker can answer without help (TOTP, then
email when codes can be read).
"""

from __future__ import annotations

import time
from typing import Final

import pyotp

from ..client.headless import HeadlessAuthenticator
from ..state_machine import Screen, ScreenName
from .account import Account, strong_password
from .codes import CodeBook
from .run_state import FlowStopped, RunState, StepSkipped

MAX_SCREENS: Final = 12


async def sign_in_until_done(
    run: RunState,
    auth: HeadlessAuthenticator,
    account: Account,
    codes: CodeBook,
    flow: str,
    *,
    first_factor: str = "PASSWORD",
    wrong_code_first: bool = False,
) -> Screen:
    """Answer challenges from the current screen until signed in (R21 when it cannot)."""
    screen = auth.screen
    for _ in range(MAX_SCREENS):
        if screen.user is not None:
            return screen
        with run.step(flow, screen.name.value) as step:
            run.expect(
                screen.error is None or screen.name not in (ScreenName.SIGN_IN, ScreenName.LOADING),
                "R21",
                f"sign-in ended on {screen.name.value} with {screen.error_name or 'an error'}",
            )
            if wrong_code_first and _is_totp(screen, account):
                await _wrong_code_is_an_ordinary_failure(run, auth, account)
                wrong_code_first = False
                step.note = "a wrong code first, then the right one"
            values = await _answer(screen, account, codes, first_factor)
            step.note = "; ".join(filter(None, [_what(screen, values), step.note]))
            before = screen
            screen = await auth.submit(values)
            run.expect(
                screen.error is None or screen.name is not before.name,
                "R21",
                f"the {before.name.value} step was refused: {screen.error_name or 'error'}",
            )
    run.expect(False, "R21", f"still not signed in after {MAX_SCREENS} screens")
    raise FlowStopped("unreachable")


def _what(screen: Screen, values: dict[str, str]) -> str:
    """A few words for the report on how the step was answered (never a secret)."""
    if screen.name is ScreenName.CONFIRM_CODE:
        return f"{screen.code_variant or 'one-time'} code"
    choice = values.get("mfaType") or values.get("firstFactor")
    return f"chose {choice}" if choice else ""


def _is_totp(screen: Screen, account: Account) -> bool:
    return (
        screen.name is ScreenName.CONFIRM_CODE and screen.code_variant == "totp" and bool(account.totp_secret)
    )


async def _wrong_code_is_an_ordinary_failure(
    run: RunState, auth: HeadlessAuthenticator, account: Account
) -> None:
    """A mistyped code is an AuthState with an error that keeps the step open (R15)."""
    totp = pyotp.TOTP(account.totp_secret or "")
    now = time.time()
    valid = {totp.at(now + totp.interval * offset) for offset in range(-2, 3)}
    wrong = next(c for c in (f"{n:06d}" for n in range(1, 10)) if c not in valid)
    screen = await auth.submit({"code": wrong})
    exchange = run.journal.last
    result = exchange.result if exchange is not None else None
    run.expect(
        isinstance(result, dict) and isinstance(result.get("error"), str),
        "R15",
        "a wrong code must be answered with an AuthState carrying an error",
    )
    run.expect(
        isinstance(result, dict) and result.get("state") != "signedIn",
        "R15",
        "a wrong code signed the user in",
    )
    run.expect(
        screen.name is ScreenName.CONFIRM_CODE,
        "R15",
        "after a wrong code the step is no longer open (expected a retriable reply or the same challenge)",
    )


async def _answer(screen: Screen, account: Account, codes: CodeBook, first_factor: str) -> dict[str, str]:
    name = screen.name
    if name is ScreenName.CONFIRM_CODE:
        if screen.code_variant == "totp" and account.totp_secret:
            return {"code": await account.totp_code()}
        return {"code": await _code(codes, account)}
    if name is ScreenName.SETUP_TOTP:
        account.totp_secret = screen.totp_secret
        return {"code": await account.totp_code()}
    if name in (ScreenName.SELECT_MFA, ScreenName.SELECT_MFA_SETUP):
        options = [c.value for c in screen.choices]
        for wanted in ("TOTP", "EMAIL" if codes.available else None):
            if wanted in options:
                return {"mfaType": wanted}
        raise StepSkipped(f"no MFA method the checker can answer among {options}")
    if name is ScreenName.SELECT_FIRST_FACTOR:
        return {"firstFactor": first_factor}
    if name is ScreenName.SETUP_EMAIL:
        return {"email": account.email}
    if name is ScreenName.ENTER_PASSWORD:
        return {"password": account.password}
    if name is ScreenName.NEW_PASSWORD:
        account.password = strong_password()
        return {"newPassword": account.password, "confirmPassword": account.password}
    return {}  # passkey assertion, auto sign-in: the form carries everything


async def _code(codes: CodeBook, account: Account) -> str:
    if not codes.available:
        raise StepSkipped("a one-time code was asked for; pass --codes-command or --codes-file")
    code = await codes.fresh(account.recipients)
    if code is None:
        raise StepSkipped("no new code arrived for the account within a few seconds")
    return code
