"""Run the whole matrix against one endpoint and return the :class:`Report`.

Order of play: read the signed-out state and learn what the server offers
(sign-up, passkeys, the choice flow, the identifier); send the envelope
probes; then, with one generated account, sign up, stay signed in, set up
MFA, manage passkeys, sign out, mistype the password, sign in (a wrong TOTP
code first, when there is one), reset the password, and clean up. What the
server does not offer, or what needs a code source that was not given, is
skipped and listed as such; it never counts as a deviation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import httpx

from ..client.cookies import CookieSession
from ..client.headless import HeadlessAuthenticator
from ..client.transport import AuthClient
from ..state_machine.protocol import RESET_PASSWORD, SIGN_IN_WITH_PASSKEY, SIGN_UP, START_PASSKEY_REGISTRATION
from .account import Account
from .codes import CodeBook, CodeSource
from .flows import Flows
from .journal import Journal, RecordingTransport
from .probes import Probes
from .report import Report
from .run_state import FlowStopped, RunState
from .signed_in_flows import START_TOTP_SETUP, clean_up, offered, passkeys, set_up_totp
from .wire_rules import WireRules


class EndpointUnreachable(Exception):
    """Not one reply came back: nothing to judge (the command exits 2, not 1)."""


@dataclass(frozen=True)
class CheckOptions:
    """What ``nicegui-authenticator check`` was told.

    :param origin: the web origin the software passkey claims (the server must trust it);
        defaults to the endpoint's own origin.
    :param transport: an httpx transport under the recorder (tests; default: real HTTP).
    """

    endpoint: str
    namespace: str = "authApi"
    codes: CodeSource | None = None
    origin: str | None = None
    timeout: float = 15.0
    transport: httpx.AsyncBaseTransport | None = None


async def check(options: CheckOptions) -> Report:
    """Drive every flow the server offers; the report lists each step and deviation."""
    url = httpx.URL(options.endpoint)
    report = Report(options.endpoint, options.namespace)
    journal = Journal()
    run = RunState(report, journal, WireRules(url.host))
    transport = RecordingTransport(journal, options.transport)
    origin = options.origin or f"{url.scheme}://{url.netloc.decode()}"
    async with (
        AuthClient(
            options.endpoint, options.namespace, transport=transport, timeout=options.timeout
        ) as client,
        httpx.AsyncClient(transport=RecordingTransport(journal, options.transport), timeout=60) as raw,
    ):
        account: Account | None = None

        async def webauthn(kind: Literal["create", "get"], options_json: str) -> str:
            if account is None or account.passkey is None:
                raise RuntimeError("this run has registered no passkey")
            return await account.passkey(kind, options_json)

        auth = HeadlessAuthenticator(client.for_session(CookieSession()), webauthn=webauthn)
        signed_out = await _discover(run, auth)
        if signed_out is None:
            return report
        report.offers = _offers(signed_out)
        await Probes(run, raw, options.endpoint, options.namespace).run_all()
        account = Account.generate(report.offers["identifier"])
        flows = Flows(run, auth, account, CodeBook(options.codes))
        await _account_flows(run, flows, signed_out, origin)
    return report


async def _discover(run: RunState, auth: HeadlessAuthenticator) -> dict[str, Any] | None:
    try:
        with run.step("discover", "getAuthState"):
            screen = await auth.start()
            last = run.journal.last
            if last is None:
                raise EndpointUnreachable(
                    f"no reply from the endpoint ({screen.error_name or 'network error'})"
                )
            result = last.result
            state = result.get("state") if isinstance(result, dict) else None
            run.expect(state == "signedOut", "R19", f"without a cookie getAuthState says {state!r}")
    except FlowStopped:
        return None
    return result if isinstance(result, dict) else None


def _offers(state: dict[str, Any]) -> dict[str, Any]:
    """What the signed-out state says the server can do."""
    actions = {a.get("name"): a for a in state.get("actions", []) if isinstance(a, dict)}
    sign_in = actions.get("signIn") or {}
    sign_in_fields = {f.get("name"): f for f in sign_in.get("fields", []) if isinstance(f, dict)}
    password = sign_in_fields.get("password")
    sign_up = actions.get(SIGN_UP) or {}
    return {
        "sign-up": SIGN_UP in actions,
        "sign-up fields": [f.get("name") for f in sign_up.get("fields", []) if isinstance(f, dict)],
        "passkeys": SIGN_IN_WITH_PASSKEY in actions,
        "reset": RESET_PASSWORD in actions,
        "flow": "choice" if password is None or not password.get("required") else "password",
        "identifier": (sign_in_fields.get("username") or {}).get("type", "text"),
    }


async def _account_flows(run: RunState, flows: Flows, signed_out: dict[str, Any], origin: str) -> None:
    offers = run.report.offers
    if not offers["sign-up"]:
        run.skip("sign-up", "signUp", "the server offers no signUp; the account flows need an account")
        return
    try:
        await flows.sign_up(list(offers["sign-up fields"]))
    except FlowStopped:
        return
    await _try(flows.stays_signed_in())
    if flows.account.totp_secret is None and START_TOTP_SETUP in offered(flows):
        await _try(set_up_totp(flows))
    else:
        run.skip(
            "mfa", START_TOTP_SETUP, "enrolled during sign-up" if flows.account.totp_secret else "not offered"
        )
    offers["mfa"] = "TOTP enrolled" if flows.account.totp_secret else "none exercised"
    if START_PASSKEY_REGISTRATION in offered(flows):
        await _try(passkeys(flows, origin))
    else:
        run.skip("passkeys", "register", "not offered while signed in")
    if not await _try(flows.sign_out()):
        return
    await _try(flows.wrong_password())
    choice = offers["flow"] == "choice"
    if not await _try(flows.sign_in("sign-in", wrong_code_first=True, choose_factor=choice)):
        return
    if offers["reset"] and flows.codes.available:
        await _try(flows.sign_out("reset"))
        await _try(flows.reset_password())
    else:
        run.skip("reset", RESET_PASSWORD, "not offered" if not offers["reset"] else "no code source")
    if flows.auth.screen.user is None and not await _try(flows.sign_in("cleanup")):
        return
    try:
        with run.step("cleanup", "undo") as step:
            step.note = await clean_up(flows)
    except FlowStopped:
        return
    await _try(flows.sign_out("cleanup"))


async def _try(flow: Any) -> bool:
    """Run one flow; False when it stopped (its deviation is already in the report)."""
    try:
        await flow
    except FlowStopped:
        return False
    return True
