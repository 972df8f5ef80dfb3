"""The account flows, in the order a person lives them: sign up, stay signed in, sign out,
mistype the password, sign in, forget the password.

Each public coroutine is one flow of the report. It drives the ordinary
:class:`HeadlessAuthenticator` (what the NiceGUI element runs, minus the
drawing) and checks the flow-level rules (R15, R17, R19, R20) on the raw
exchanges the journal recorded; the per-reply rules run on every exchange
anyway. A flow that cannot go on raises :class:`FlowStopped`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from ..client.headless import HeadlessAuthenticator
from ..state_machine import ScreenName
from ..state_machine.protocol import RESET_PASSWORD, SIGN_OUT
from .account import Account, strong_password
from .challenges import sign_in_until_done
from .codes import CodeBook
from .journal import Exchange
from .run_state import RunState, StepSkipped, first_action_payload


@dataclass
class Flows:
    """What every flow needs: the run, the person's authenticator, the account, the codes."""

    run: RunState
    auth: HeadlessAuthenticator
    account: Account
    codes: CodeBook

    # -- helpers ------------------------------------------------------------------------

    def sent(self, action: str) -> Exchange | None:
        """The latest exchange of this step that sent ``action``."""
        step = self.run.journal.step
        for exchange in reversed(self.run.journal.exchanges):
            if exchange.step != step:
                break
            if first_action_payload(exchange).get("action") == action:
                return exchange
        return None

    def result_of(self, action: str) -> dict[str, Any]:
        exchange = self.sent(action)
        result = exchange.result if exchange is not None else None
        self.run.expect(
            isinstance(result, dict), "R6", f"{action} was not answered with an AuthState", exchange
        )
        assert isinstance(result, dict)
        return result

    async def code(self) -> str:
        if not self.codes.available:
            raise StepSkipped("a code is needed: pass --codes-command or --codes-file")
        code = await self.codes.fresh(self.account.recipients)
        if code is None:
            raise StepSkipped("no new code arrived for the account within a few seconds")
        return code

    async def sign_in(
        self, flow: str, *, wrong_code_first: bool = False, choose_factor: bool = False
    ) -> None:
        """Sign in and answer every challenge; ``choose_factor`` sends the identifier alone,
        which in the choice flow asks how to sign in (the firstFactor challenge)."""
        # An empty password, not a missing one: the form would otherwise keep what was typed before.
        values = {
            "username": self.account.username,
            "password": "" if choose_factor else self.account.password,
        }
        with self.run.step(flow, "signIn"):
            if self.auth.screen.name is not ScreenName.SIGN_IN:
                await self.auth.navigate(ScreenName.SIGN_IN)
            await self.auth.submit(values)
        await sign_in_until_done(
            self.run, self.auth, self.account, self.codes, flow, wrong_code_first=wrong_code_first
        )

    # -- flows --------------------------------------------------------------------------

    async def sign_up(self, field_names: list[str]) -> None:
        """signUp, confirmSignUp with the code, then whatever leads to signed in (R17)."""
        with self.run.step("sign-up", "signUp"):
            await self.auth.navigate(ScreenName.SIGN_UP)
            await self.auth.submit(self.account.sign_up_values(field_names))
            result = self.result_of("signUp")
            self.run.expect(
                not result.get("error")
                and result.get("state") in ("confirmingSignUp", "signedIn", "signedOut"),
                "R17",
                f"signUp led to {result.get('state')!r} ({result.get('errorName') or result.get('error')})",
            )
        if self.auth.screen.name is ScreenName.CONFIRM_SIGN_UP:
            with self.run.step("sign-up", "confirmSignUp"):
                await self.auth.submit({"code": await self.code()})
                result = self.result_of("confirmSignUp")
                names = [a.get("name") for a in result.get("actions", []) if isinstance(a, dict)]
                ends = result.get("state") in ("signedIn", "signedOut") or (
                    result.get("state") == "confirmingSignUp" and names == ["autoSignIn"]
                )
                self.run.expect(
                    ends and not result.get("error"),
                    "R17",
                    f"confirmSignUp led to {result.get('state')!r} with {names} "
                    f"({result.get('errorName') or result.get('error') or 'no error'})",
                )
        if self.auth.screen.name is ScreenName.SIGN_IN:
            await self.sign_in("sign-up")
        else:
            await sign_in_until_done(self.run, self.auth, self.account, self.codes, "sign-up")

    async def stays_signed_in(self) -> None:
        """The cookie is the session: getAuthState with it says signedIn (R19)."""
        with self.run.step("session", "getAuthState with the cookie"):
            screen = await self.auth.refresh()
            last = self.run.journal.last
            result = last.result if last is not None else None
            self.run.expect(
                isinstance(result, dict) and result.get("state") == "signedIn" and screen.user is not None,
                "R19",
                "getAuthState with the session cookie does not say signedIn",
            )

    async def sign_out(self, flow: str = "sign-out") -> None:
        """signOut answers signedOut, expires the cookie, and getAuthState agrees (R19)."""
        with self.run.step(flow, "signOut"):
            if self.auth.screen.form(SIGN_OUT) is None:
                await self.auth.refresh()
            await self.auth.submit(action=SIGN_OUT)
            exchange = self.sent(SIGN_OUT)
            result = self.result_of(SIGN_OUT)
            self.run.expect(result.get("state") == "signedOut", "R19", "signOut did not answer signedOut")
            cleared = any(_clears(line) for line in (exchange.set_cookies if exchange else []))
            self.run.expect(cleared, "R19", "signOut did not expire the session cookie", exchange)
        with self.run.step(flow, "getAuthState after signOut"):
            await self.auth.refresh()
            last = self.run.journal.last
            state = last.result.get("state") if last is not None and isinstance(last.result, dict) else None
            self.run.expect(state == "signedOut", "R19", f"getAuthState after signOut says {state!r}")

    async def wrong_password(self) -> None:
        """A wrong password is an AuthState with an error, and signs nobody in (R15)."""
        with self.run.step("wrong password", "signIn"):
            if self.auth.screen.name is not ScreenName.SIGN_IN:
                await self.auth.navigate(ScreenName.SIGN_IN)
            await self.auth.submit({"username": self.account.username, "password": strong_password()})
            exchange = self.sent("signIn")
            body = exchange.body if exchange is not None else None
            self.run.expect(
                isinstance(body, dict) and "result" in body,
                "R15",
                "a wrong password was answered with a JSON-RPC error",
            )
            result = self.result_of("signIn")
            self.run.expect(
                isinstance(result.get("error"), str) and result.get("state") != "signedIn",
                "R15",
                f"a wrong password led to {result.get('state')!r} without an error",
            )

    async def reset_password(self) -> None:
        """resetPassword for an unknown and the real user, confirm, sign in with the new one (R20)."""
        with self.run.step("reset", "resetPassword (unknown user)"):
            await self.auth.navigate(ScreenName.FORGOT_PASSWORD)
            await self.auth.submit({"username": f"conformance-nobody-{secrets.token_hex(4)}"})
            state = self.result_of(RESET_PASSWORD).get("state")
            self.run.expect(
                state == "confirmingPasswordReset",
                "R20",
                f"resetPassword for an unknown user answered {state!r}: the reply tells who has an account",
            )
            await self.auth.cancel()
        with self.run.step("reset", "resetPassword"):
            await self.auth.navigate(ScreenName.FORGOT_PASSWORD)
            await self.auth.submit({"username": self.account.username})
            state = self.result_of(RESET_PASSWORD).get("state")
            self.run.expect(state == "confirmingPasswordReset", "R20", f"resetPassword answered {state!r}")
        new_password = strong_password()
        with self.run.step("reset", "confirmResetPassword"):
            code = await self.code()
            await self.auth.submit(
                {"code": code, "newPassword": new_password, "confirmPassword": new_password}
            )
            result = self.result_of("confirmResetPassword")
            self.run.expect(
                result.get("state") == "signedOut" and not result.get("error"),
                "R20",
                f"confirmResetPassword answered {result.get('state')!r} "
                f"({result.get('errorName') or result.get('error') or 'no error'})",
            )
        self.account.password = new_password
        await self.sign_in("reset")


def _clears(set_cookie: str) -> bool:
    attributes = [part.strip().lower() for part in set_cookie.split(";")[1:]]
    return "max-age=0" in attributes or any(a.startswith("expires=") and "1970" in a for a in attributes)
