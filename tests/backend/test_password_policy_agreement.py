"""The client and the reference backend agree on every password, for every policy the CLI can express.

Both sides call one checker (``state_machine.password_policy``), but agreement
is proved here end to end rather than by comparing that function with itself:

- the **server** is the real ``AuthService`` built from settings parsed by the
  real command line (``nicegui-authenticator backend --password-min-length N
  --password-require CLASSES [--no-password-reject-common]``), and its
  verdict is whether ``signUp`` answers ``InvalidPasswordException``;
- the **client** is the real ``AuthMachine`` fed that server's signed-out state
  (through JSON, as it travels), on the sign-up screen, and its verdict is
  whether submitting the form produces a ``setAuthState`` call or a field error.

The payload the server judges is the one the client built (sent with
``skip_validation`` when the client refused it), so both see the same string.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from backend_support import CHEAP_COST, ORIGIN
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from nicegui_authenticator.backend.command_line import settings_from_args
from nicegui_authenticator.backend.components import Components
from nicegui_authenticator.backend.context import Request
from nicegui_authenticator.backend.service import AuthService
from nicegui_authenticator.backend.settings import RateLimits
from nicegui_authenticator.state_machine import (
    CONFIRM_PASSWORD_FIELD,
    AuthMachine,
    AuthState,
    CallSetAuthState,
    Navigate,
    ScreenName,
    ServerReplied,
    Start,
    Submit,
)
from nicegui_authenticator.state_machine.common_passwords import common_passwords
from nicegui_authenticator.ui.hosted.cli import build_parser

CLASSES = ("lowercase", "uppercase", "digits", "symbols")
EVERY_CLASS = ",".join(CLASSES)
# Every --password-require the CLI accepts (None: the option left out, the mode's default)...
REQUIRES: tuple[str | None, ...] = (
    None,
    "none",
    *(",".join(c) for n in range(1, 5) for c in itertools.combinations(CLASSES, n)),
)
# ...times lengths at the CLI's floor, around the default, longer, and at the ceiling...
MIN_LENGTHS = (6, 8, 12, 256)
# ...times the common-password list left at its default (on) or turned off.
REJECT_COMMON = (None, False)
Policy = tuple[int, str | None, bool | None]
POLICIES: tuple[Policy, ...] = tuple(itertools.product(MIN_LENGTHS, REQUIRES, REJECT_COMMON))
WEAK = "InvalidPasswordException"
ADDRESS = "127.0.0.1"
NOW = 1_800_000_000.0

# Characters from every corner the definitions have to decide about.
COGNITO_SPECIALS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "
EMOJI = ("😀", "🔐", "👍🏽", "👩‍💻", "🇫🇷")
CHARACTERS = st.one_of(
    st.characters(codec="ascii"),
    st.sampled_from(COGNITO_SPECIALS),
    st.characters(categories=["Lu", "Lt"]),
    st.characters(categories=["Ll"]),
    st.characters(categories=["Lm", "Lo"]),
    st.characters(categories=["Nd"]),
    st.characters(categories=["Nl", "No"]),
    st.characters(categories=["P"]),
    st.characters(categories=["S"]),
    st.characters(categories=["Zs", "Zl", "Zp"]),
    st.characters(categories=["M"]),
    st.characters(categories=["Cc", "Cf", "Co"]),
    st.sampled_from("\t\n\u00a0\u2007\u3000€£ßİǅ٣७²½中"),
)
PIECES = st.one_of(CHARACTERS, st.sampled_from(EMOJI))
COMMON = tuple(sorted(common_passwords()))
SERVERS: dict[Policy, AuthService] = {}
# Every example signs up "ann" from one address at one instant, and a taken name spends the
# send budget like a free one (issue 11, finding 4): a budget no example run can reach.
UNREACHABLE_SENDS = RateLimits(sends_per_username=10**9, sends_per_address=10**9)


def _service(policy: Policy, folder: Path) -> AuthService:
    """One real service per policy, configured through the real command line."""
    if policy not in SERVERS:
        min_length, require, reject_common = policy
        argv = ["backend", "--password-min-length", str(min_length)]
        if require is not None:
            argv += ["--password-require", require]
        if reject_common is False:
            argv.append("--no-password-reject-common")
        parsed = build_parser().parse_args(argv)
        db = folder / f"auth-{len(SERVERS)}.sqlite3"
        chosen = settings_from_args(
            parsed,
            db_path=str(db),
            password_hash_cost=CHEAP_COST,
            origins=(ORIGIN,),
            rate_limits=UNREACHABLE_SENDS,
        )
        SERVERS[policy] = AuthService(Components.build(chosen))
    return SERVERS[policy]


@pytest.fixture(scope="module")
def service_for(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., AuthService]]:
    folder = tmp_path_factory.mktemp("agreement")
    yield lambda policy: _service(policy, folder)
    SERVERS.clear()


def _sign_up_screen(server: AuthService) -> AuthMachine:
    """The client on the sign-up screen, holding the server's state as it arrived over the wire."""
    request = Request(session_token=None, bridge_token=None, address=ADDRESS, now=NOW)
    wire = json.loads(json.dumps(server.get_auth_state(request).state.to_wire()))
    machine, _ = AuthMachine().handle(Start())
    machine, _ = machine.handle(ServerReplied(AuthState.model_validate(wire)))
    machine, _ = machine.handle(Navigate(ScreenName.SIGN_UP))
    return machine


def _verdicts(server: AuthService, password: str) -> tuple[bool, bool]:
    """(client accepts, server accepts) for ``password`` typed into the sign-up form."""
    machine = _sign_up_screen(server)
    values = {
        "username": "ann",
        "email": "ann@example.com",
        "password": password,
        CONFIRM_PASSWORD_FIELD: password,
    }
    after, effects = machine.handle(Submit(values=values))
    calls = [e for e in effects if isinstance(e, CallSetAuthState)]
    client_accepts = bool(calls)
    if not client_accepts:
        # The client refused: only the password (and so its confirmation) may be the reason.
        errors = set(after.ctx.field_errors)
        assert "password" in errors and errors <= {"password", CONFIRM_PASSWORD_FIELD}, errors
        _, effects = machine.handle(Submit(values=values, skip_validation=True))
        calls = [e for e in effects if isinstance(e, CallSetAuthState)]
    (call,) = calls
    payload = dict(call.payload)
    assert payload["password"] == password  # the server judges exactly what was typed
    action = str(payload.pop("action"))
    request = Request(session_token=None, bridge_token=None, address=ADDRESS, now=NOW)
    reply = server.set_auth_state(request, action, payload).state
    # Accepted: signed up, or (for later examples) refused only because "ann" exists by now.
    assert reply.error_name in (None, WEAK, "UsernameExistsException"), reply.error_name
    return client_accepts, reply.error_name != WEAK


@st.composite
def policy_and_password(draw: st.DrawFn) -> tuple[Policy, str]:
    policy = draw(st.sampled_from(POLICIES))
    min_length = policy[0]
    if draw(st.integers(0, 3)) == 0:  # a common password, as typed, recased or decorated
        base = draw(st.sampled_from(COMMON))
        base = draw(st.sampled_from((base, base.upper(), base.capitalize(), base.swapcase())))
        ends = st.text(st.sampled_from(COGNITO_SPECIALS + "0123456789xé€😀"), max_size=3)
        return policy, draw(ends) + base + draw(ends)
    # Mostly within two characters of the minimum, where the length rule flips.
    size = draw(st.integers(min_length - 2, min_length + 2) | st.integers(1, min_length + 8))
    if draw(st.integers(0, 19)) == 0:  # now and then nothing but spaces
        return policy, draw(st.sampled_from(" \t\u00a0\u3000")) * size
    # Exactly ``size`` code points: up to 24 drawn pieces, then one drawn filler
    # (long passwords stay cheap to generate, and to shrink).
    head = "".join(draw(st.lists(PIECES, min_size=min(size, 24), max_size=24)))
    return policy, (head + draw(CHARACTERS) * size)[:size]


@pytest.mark.slow
@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=policy_and_password())
@example(case=((8, EVERY_CLASS, False), "Abcdefg1 x"))  # issue 8: the old server refused it
@example(case=((8, EVERY_CLASS, False), "Abcdefg1€"))  # issue 8: the old client refused it
@example(case=((8, "none", False), " " * 8))  # blank: the old client refused it, the old server did not
@example(case=((6, "none", False), "x" * 257))  # over the length limit: only the old server refused it
@example(case=((8, None, None), "Password1!"))  # issue 11: common, decorated
@example(case=((8, None, None), "Qwerty123!"))
def test_client_and_server_give_the_same_verdict(
    service_for: Callable[..., AuthService], case: tuple[Policy, str]
) -> None:
    policy, password = case
    client_accepts, server_accepts = _verdicts(service_for(policy), password)
    assert client_accepts == server_accepts, (policy, password)


def test_the_issue_examples_now_have_one_verdict(service_for: Callable[..., AuthService]) -> None:
    """Issue 8's two passwords hold a symbol under the one definition (space, euro sign);
    issue 11's common passwords are refused by both sides under the default policy."""
    every_class = (8, EVERY_CLASS, False)
    assert _verdicts(service_for(every_class), "Abcdefg1 x") == (True, True)
    assert _verdicts(service_for(every_class), "Abcdefg1€") == (True, True)
    assert _verdicts(service_for(every_class), "Abcdefgh1") == (False, False)
    default = (8, None, None)
    for common in ("Password1!", "P@ssw0rd", "Qwerty123!", "Abcdefg1€"):
        assert _verdicts(service_for(default), common) == (False, False), common
    assert _verdicts(service_for(default), "Tangerine-Kite-7") == (True, True)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: f"{p[0]}-{p[1]}-{p[2]}")
def test_every_cli_policy_agrees_at_its_boundaries(
    service_for: Callable[..., AuthService], policy: Policy
) -> None:
    """Each policy the CLI can express, at least once, whatever hypothesis happens to draw."""
    min_length = policy[0]
    fitting = ("Tangerine-Kite-7" * 16)[:min_length]
    candidates = (fitting, fitting[:-1], "Password1!", "tangerine kite", "ÉCLAIR-٣-été"[:min_length])
    for password in candidates:
        client_accepts, server_accepts = _verdicts(service_for(policy), password)
        assert client_accepts == server_accepts, (policy, password)
