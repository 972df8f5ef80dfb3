"""Conformance: every recorded AWS Blocks flow we can reproduce, replayed against our backend.

Every difference between a recorded reply and ours must be listed in
``DIVERGENCES`` below (mirrored, with the same ids, in ``backend/DIVERGENCES.md``);
an unlisted difference fails the test, and so does a listed one that no step
shows any more (the table must not rot). The per-flow summary is printed and
written to ``test-artifacts/backend-conformance.txt``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from backend_conformance import Replay, StepResult, load_flows
from backend_support import CHEAP_COST, FakeClock
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.settings import BackendSettings
from nicegui_authenticator.state_machine import PasswordPolicy

ORIGIN = "http://localhost:3000"

# The recorded servers' password rules: Cognito's default (every character class)
# and AuthBasic's 8 characters. Neither checks a common-password list (the
# recordings sign up with ``Passw0rd!``), which our backend does by default.
AUTH_BASIC_PASSWORDS = PasswordPolicy()
COGNITO_PASSWORDS = PasswordPolicy(
    require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
)

# How each recorded server was configured (fixtures/README.md), in our settings.
SERVERS: dict[str, dict[str, Any]] = {
    "basic": {"mode": "basic", "password_policy": AUTH_BASIC_PASSWORDS},
    "cognito-optional": {
        "password_policy": COGNITO_PASSWORDS,
        "sign_in_with": ("username", "email"),
        "mfa": "optional",
        "mfa_types": ("TOTP", "EMAIL"),
        "passkeys": False,
        "email_mfa_on_sign_up": True,  # the recorded mock enrols sign-ups in email MFA
    },
    "cognito-required": {
        "password_policy": COGNITO_PASSWORDS,
        "sign_in_with": ("username",),
        "mfa": "required",
        "mfa_types": ("TOTP", "EMAIL"),
        "passkeys": True,
    },
    "cognito-userauth": {
        "password_policy": COGNITO_PASSWORDS,
        "sign_in_with": ("email",),
        "flow": "choice",
        "mfa": "off",
        "passkeys": True,
    },
}

# Steps whose code must not simply be "the valid one" to keep the step's meaning.
CODE_OVERRIDES = {
    ("cognito_opt_signup_autosignin_email_mfa", 5): "previous",  # "OLD code after resend"
    ("cognito_opt_totp_enroll_and_signin", 11): "literal",  # "arbitrary 6 digits"
}


@dataclass(frozen=True)
class Divergence:
    id: str
    pattern: str  # regex over one difference string
    where: tuple[tuple[str, int | None], ...]  # (flow or "*", step or None for any)
    why: str

    def covers(self, flow: str, step: int, diff: str) -> bool:
        located = any(f in ("*", flow) and s in (None, step) for f, s in self.where)
        return located and re.search(self.pattern, diff) is not None


ANY = (("*", None),)

DIVERGENCES: tuple[Divergence, ...] = (
    Divergence(
        "D1",
        r"field (signUp\.password|confirmResetPassword\.newPassword): ours adds keys \['passwordPolicy'\]",
        ANY,
        "Additive: password fields carry the policy so clients can validate before sending (project decision).",
    ),
    Divergence(
        "D2",
        r"actions\+: ours adds \[('(startTotpSetup|startEmailMfaSetup|setPreferredMfa|disableMfa|changePassword|signOutEverywhere)'(, )?)+\]",
        ANY,
        "Additive: MFA self-service, changePassword and sign-out-everywhere after the recorded "
        "signed-in actions (issues 4 and 11).",
    ),
    Divergence(
        "D3",
        r"rpc error: .*Available: authApi, testApi.*ours .*Available: authApi[\"']\}",
        (("basic_errors_and_protocol_edges", 5),),
        "The recorded servers also export a test-only 'testApi' namespace; ours has no RPC test hooks.",
    ),
    Divergence(
        "D4",
        r"cookie auth: recorded None, ours \('clear', False\)",
        (("basic_errors_and_protocol_edges", 9),),
        "A forged or stale session cookie is cleared on getAuthState in both modes (AuthBasic leaves it).",
    ),
    Divergence(
        "D5",
        r"status: recorded 200, ours 404|body: recorded '', ours \{'error': 'The AWS Blocks JSON-RPC API expects POST, not OPTIONS",
        (("basic_errors_and_protocol_edges", 14),),
        "No CORS: the backend is served same-origin (mounted in the NiceGUI app or behind its host).",
    ),
    Divergence(
        "D6",
        r"state: recorded 'signedIn', ours 'signedOut'|user: recorded True, ours False|actions: recorded \['signOut'\]"
        r"|cookie auth: recorded None, ours \('clear', False\)",
        (("basic_signout_does_not_revoke_jwt", 3),),
        "Security: sign-out deletes the server-side session, so a replayed cookie is dead (the mock's JWT is not).",
    ),
    Divergence(
        "D7",
        r"state: recorded 'signedIn', ours 'signedOut'|error: recorded None, ours 'Invalid code'"
        r"|errorName: recorded None, ours 'CodeMismatchException'|retriable: recorded None, ours True"
        r"|user: recorded True, ours False|actions: recorded \['signOut'\], ours \[\]|cookie auth: recorded \('set', False\), ours None",
        (("cognito_opt_totp_enroll_and_signin", 11),),
        "Security: TOTP codes are verified (RFC 6238, one step of drift, no reuse); the mock takes any 6 digits.",
    ),
    Divergence(
        "D8",
        r".",
        (
            ("cognito_opt_signup_no_autosignin", 1),
            ("cognito_opt_signup_no_autosignin", 2),
            ("cognito_opt_signup_no_autosignin", 3),
            ("cognito_opt_signup_no_autosignin", 4),
            ("cognito_opt_signup_autosignin_bool_false", 1),
        ),
        "The sign-up form marks email required and we enforce it (the mock accepts its absence); these steps sign "
        "up without email, so the account is never created and the steps that use it differ as a consequence.",
    ),
    Divergence(
        "D9",
        r"error: recorded 'User not found', ours 'Invalid code'|errorName: recorded 'UserNotFoundException', ours 'CodeMismatchException'",
        (("cognito_opt_errors", 2),),
        "No account enumeration: confirming an unknown account answers like a wrong code.",
    ),
    Divergence(
        "D10",
        r"state: recorded 'signedOut', ours 'confirmingSignIn'|error: recorded 'Incorrect username or password', ours None"
        r"|errorName: recorded 'NotAuthorizedException', ours None|actions: recorded \['signIn', 'signInWithPasskey', 'signUp', 'resetPassword'\], ours \['confirmSignIn'\]",
        (("cognito_req_passkey_register_list_delete", 6),),
        "Passkey sign-in works in the password flow too: offering signInWithPasskey that always fails is a dead end.",
    ),
    Divergence(
        "D11",
        r"cookie bridge: recorded None, ours \('clear', False\)|state: recorded 'signedIn', ours 'signedOut'"
        r"|error: recorded None, ours 'No autoSignIn flow in progress|errorName: recorded None, ours 'NotAuthenticatedException'"
        r"|user: recorded True, ours False|actions: recorded \['signOut', 'startPasskeyRegistration', 'listPasskeys'\], ours \['signIn'"
        r"|cookie auth: recorded \('set', False\), ours None",
        (("cognito_ua_signup_autosignin", 4), ("cognito_ua_signup_autosignin", 5)),
        "Security: the auto sign-in bridge is single use and short-lived; the recorded one can be replayed.",
    ),
    Divergence(
        "D13",
        r"field (signIn|resetPassword)\.username: ours adds keys \['signInWith'\]",
        ANY,
        "Additive: the identifier field says which identifiers it accepts, so a client can label it "
        '"Username or email" (the recorded label stays "Username").',
    ),
    Divergence(
        "D18",
        r"actions\+: ours adds \[('(resendPasswordResetCode|resendSignInCode|useAnotherMfaMethod)'(, )?)+\]",
        ANY,
        "Additive: code screens offer a resend (reset, email or SMS sign-in codes) and a second-factor step "
        "offers the account's other enrolled methods (issue 12, item 7).",
    ),
    Divergence(
        "D12",
        r"field signIn\.password\.required: recorded True, ours False",
        (
            ("cognito_ua_signup_autosignin", 1),
            ("cognito_ua_passkey_register_and_signin", 4),
            ("cognito_ua_passkey_register_and_signin", 6),
            ("cognito_ua_passkey_register_and_signin", 8),
        ),
        "Choice flow: the signIn password is optional so that a sign-in with the identifier alone reaches the "
        "firstFactor choice; a form that requires it makes the choice unreachable.",
    ),
)


def _settings(server: str, tmp_path: Path, clock: FakeClock) -> BackendSettings:
    return BackendSettings(
        db_path=str(tmp_path / f"{server}.sqlite3"),
        password_hash_cost=CHEAP_COST,
        clock=clock,
        rp_id="localhost",
        origins=(ORIGIN,),
        **SERVERS[server],
    )


ADDITIVE = frozenset(
    {"D1", "D2", "D13", "D18"}
)  # extra keys or actions only: an AWS Blocks client sees the recorded reply


def classify(result: StepResult) -> tuple[str, list[str], list[str]]:
    """``(status, listed divergence ids, unlisted diffs)``; status is one of
    matched, additive (only D1/D2 extras), divergent (listed), UNLISTED, skipped."""
    if result.skipped:
        return "skipped", [], []
    listed: list[str] = []
    unlisted: list[str] = []
    for diff in result.diffs:
        ids = [d.id for d in DIVERGENCES if d.covers(result.flow, result.step, diff)]
        if ids:
            listed.extend(i for i in ids if i not in listed)
        else:
            unlisted.append(diff)
    if unlisted:
        return "UNLISTED", listed, unlisted
    if not result.diffs:
        return "matched", listed, unlisted
    return ("additive" if set(listed) <= ADDITIVE else "divergent"), listed, unlisted


async def _replay_all(tmp_path: Path) -> list[StepResult]:
    results: list[StepResult] = []
    for server, flows in load_flows().items():
        clock = FakeClock(time.time())
        with ReferenceBackend(_settings(server, tmp_path, clock)) as backend:
            replay = Replay(backend, clock, ORIGIN, CODE_OVERRIDES)
            try:
                for flow in flows:
                    results.extend(await replay.run(flow))
            finally:
                await replay.close()
    return results


def _summary(results: list[StepResult]) -> str:
    columns = ("steps", "compared", "matched", "additive", "divergent", "skipped")
    rows: dict[str, dict[str, Any]] = {}
    for result in results:
        status, ids, _ = classify(result)
        row = rows.setdefault(result.flow, {**dict.fromkeys(columns, 0), "ids": []})
        row["steps"] += 1
        row["compared"] += status != "skipped"
        row["divergent" if status == "UNLISTED" else status] += 1
        row["ids"].extend(i for i in ids if i not in row["ids"])
    header = f"{'flow':44}" + "".join(f"{c:>10}" for c in columns) + "  divergences"
    lines = [header]
    totals = dict.fromkeys(columns, 0)
    for flow, row in rows.items():
        for c in columns:
            totals[c] += row[c]
        lines.append(
            f"{flow:44}"
            + "".join(f"{row[c]:>10}" for c in columns)
            + "  "
            + " ".join(sorted(row["ids"], key=lambda i: int(i[1:])))
        )
    lines.append(f"{'total':44}" + "".join(f"{totals[c]:>10}" for c in columns))
    return "\n".join(lines)


async def test_recorded_flows_conform(tmp_path: Path) -> None:
    results = await _replay_all(tmp_path)
    summary = _summary(results)
    print("\n" + summary)
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    details = [
        f"{r.flow} step {r.step} [{r.note}] {classify(r)[0]}{' via ' + r.mapped if r.mapped else ''}"
        + (f" skipped: {r.skipped}" if r.skipped else "")
        + "".join(f"\n    {d}" for d in r.diffs)
        for r in results
    ]
    (artifacts / "backend-conformance.txt").write_text(summary + "\n\n" + "\n".join(details) + "\n")
    unlisted = [(r.flow, r.step, classify(r)[2]) for r in results if classify(r)[0] == "UNLISTED"]
    assert not unlisted, "differences not in the divergence table:\n" + "\n".join(map(str, unlisted))
    used = {i for r in results for i in classify(r)[1]}
    assert used == {d.id for d in DIVERGENCES}, (
        f"listed divergences no step shows: {sorted({d.id for d in DIVERGENCES} - used)}"
    )
    # Every recorded server configuration is reproduced, and most steps match outright.
    assert {r.flow.split("_")[0] for r in results} == {"basic", "cognito"}
    assert len(results) == sum(len(f) for flows in load_flows().values() for f in flows)


def test_divergence_table_is_mirrored_in_the_docs() -> None:
    text = (Path(__file__).resolve().parents[2] / "backend" / "DIVERGENCES.md").read_text()
    for divergence in DIVERGENCES:
        assert f"| {divergence.id} |" in text, divergence.id


def _recorded_state(flow: str, step: int) -> dict[str, Any]:
    for server_flows in load_flows().values():
        for steps in server_flows:
            for s in steps:
                if (s.flow, s.step) == (flow, step):
                    state: dict[str, Any] = s.response["body"]["result"]
                    return state
    raise LookupError((flow, step))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s.update(state="confirmingMfa"),
        lambda s: s.update(errorName="SomethingElse"),
        lambda s: s.update(retriable=True),
        lambda s: s["actions"].reverse(),
        lambda s: s["actions"][0].update(label="Log In"),
        lambda s: s["actions"][0]["fields"][1].update(type="text"),
        lambda s: s["actions"][0]["fields"][0].update(required=False),
        lambda s: s["actions"][0]["fields"][0].update(type="hidden"),
        lambda s: s["actions"][0]["fields"].pop(),
        lambda s: s["actions"].append({"name": "signIn:google", "label": "Google", "fields": []}),
        lambda s: s["actions"][1]["fields"][0].update(defaultValue="x"),
    ],
)
def test_the_comparison_catches_differences(mutate: Any) -> None:
    """The replay would notice if our reply changed in any compared respect."""
    import copy

    from backend_conformance import compare_state

    recorded = _recorded_state("cognito_opt_signup_autosignin_email_mfa", 1)
    ours = copy.deepcopy(recorded)
    assert compare_state(recorded, ours) == []
    mutate(ours)
    diffs = compare_state(recorded, ours)
    assert diffs
    status, _, _ = classify(StepResult("some_flow", 1, "mutation", diffs))
    assert status == "UNLISTED"
