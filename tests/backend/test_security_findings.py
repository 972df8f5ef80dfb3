"""One regression test (at least) per finding of issue 11, each named after its finding.

Each test attacks the backend the way the issue's hostile client did (a copied
cookie from a second address, strangers' wrong passwords, cross-site posts)
and asserts the attack now fails while the owner's way still works.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
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
    result_of,
    session_of,
    totp_now,
)
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.backend.codes import CodeBook
from nicegui_authenticator.backend.delivery import OUTBOX_RETENTION_SECONDS
from nicegui_authenticator.backend.known_devices import KnownDevices
from nicegui_authenticator.backend.passwords import PasswordHasher
from nicegui_authenticator.backend.settings import RateLimits
from nicegui_authenticator.backend.users import Users
from nicegui_authenticator.state_machine.classify import classify
from nicegui_authenticator.state_machine.protocol import parse_auth_state
from nicegui_authenticator.state_machine.screen_names import ScreenName
from smtp_server import code_in, running_smtp

ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"
MAIL = {"mail_from": "Example <no-reply@example.com>"}


def _steal(backend: Any, victim: RpcClient) -> RpcClient:
    """A second browser, elsewhere, holding a copy of the victim's session cookie."""
    thief = RpcClient(backend, address=ATTACKER)
    name = backend.settings.cookie_name
    thief.http.cookies.set(name, victim.cookie() or "")
    return thief


async def _register_passkey(client: RpcClient, device: SoftAuthenticator) -> dict[str, Any]:
    state = await client.set("startPasskeyRegistration")
    options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
    return await client.set("completePasskeyRegistration", credential=device.create(options))


# -- finding 1: a stolen cookie must not become a permanent takeover ---------------------------


async def test_finding_1_stolen_cookie_cannot_change_email_without_recent_auth(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("vic", STRONG, temporary=False, email="vic@example.com")
    async with RpcClient(backend, address=VICTIM) as victim:
        await victim.set("signIn", username="vic", password=STRONG)
        clock.advance(10 * 60)  # the victim signed in a while ago; the cookie is copied now
        async with _steal(backend, victim) as thief:
            assert (await thief.get())["state"] == "signedIn"
            refused = await thief.set("startEmailMfaSetup", email="evil@example.net")
            assert "reauthenticate" in action_names(refused), refused
            assert backend.latest_code("evil@example.net") is None  # nothing sent to the thief
            for sensitive in ("disableMfa", "startPasskeyRegistration", "startTotpSetup"):
                state = await thief.set(sensitive)
                assert "reauthenticate" in action_names(state), (sensitive, state)
            wrong = await thief.set("reauthenticate", password="guess-" + STRONG)
            assert wrong["retriable"] is True and wrong["error"], wrong
            assert backend._parts.users.by_username("vic").email == "vic@example.com"  # type: ignore[union-attr]
        # The owner, who knows the password, re-authenticates and goes on.
        state = await victim.set("startEmailMfaSetup", email="new@example.com")
        assert "reauthenticate" in action_names(state)
        shown = classify(parse_auth_state(state))  # the client renders it as a screen of its own
        assert shown.screen is ScreenName.CONFIRM_IDENTITY and shown.primary is not None
        assert shown.primary.name == "reauthenticate"
        state = await victim.set("reauthenticate", password=STRONG)
        assert "error" not in state and state["state"] == "signedIn", state
        state = await victim.set("startEmailMfaSetup", email="new@example.com")
        assert "completeEmailMfaSetup" in action_names(state), state


async def test_finding_1_old_address_is_told_of_every_security_change(make_backend: MakeBackend) -> None:
    with running_smtp() as smtp:
        backend = make_backend(mfa="optional", smtp_url=smtp.url(), **MAIL)
        backend.add_user("olga", STRONG, temporary=False, email="olga@example.com")
        async with RpcClient(backend) as client:
            await client.set("signIn", username="olga", password=STRONG)
            await client.set("startEmailMfaSetup", email="olga.new@example.com")
            (mail,) = smtp.mailbox.wait_for("olga.new@example.com")  # the set-up code
            code = code_in(mail)
            state = await client.set("completeEmailMfaSetup", code=code)
            assert "error" not in state, state
            notices = smtp.mailbox.wait_for("olga@example.com")
            assert "email" in str(notices[-1]["Subject"]).lower()
            # Later changes go to the address the account has now (the set-up code came first).
            await _register_passkey(client, SoftAuthenticator())
            mails = smtp.mailbox.wait_for("olga.new@example.com", count=2)
            assert "passkey" in str(mails[-1]["Subject"]).lower()
            await client.set("disableMfa")
            mails = smtp.mailbox.wait_for("olga.new@example.com", count=3)
            assert "turned off" in str(mails[-1]["Subject"]).lower()
            async with RpcClient(backend) as rescue:
                await rescue.set("resetPassword", username="olga")
                (*_, reset_mail) = smtp.mailbox.wait_for("olga.new@example.com", count=4)
                await rescue.set(
                    "confirmResetPassword", username="olga", code=code_in(reset_mail), newPassword=STRONGER
                )
            mails = smtp.mailbox.wait_for("olga.new@example.com", count=5)
            assert "password" in str(mails[-1]["Subject"]).lower()


async def test_finding_1_reset_revokes_every_session_and_recent_passkeys(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("rita", STRONG, temporary=False, email="rita@example.com")
    old_device, thief_device = SoftAuthenticator(), SoftAuthenticator()
    async with RpcClient(backend, address=VICTIM) as victim:
        await victim.set("signIn", username="rita", password=STRONG)
        await _register_passkey(victim, old_device)
        clock.advance(3 * 24 * 3600)
        await victim.set("signIn", username="rita", password=STRONG)
        async with _steal(backend, victim) as thief:
            await _register_passkey(thief, thief_device)  # within the victim's fresh sign-in
            assert len(backend._parts.passkeys.for_user(1)) == 2
            async with RpcClient(backend, address=VICTIM) as rescue:
                await rescue.set("resetPassword", username="rita")
                code = backend.latest_code("rita", "password-reset")
                state = await rescue.set(
                    "confirmResetPassword", username="rita", code=code, newPassword=STRONGER
                )
                assert "error" not in state, state
            assert (await thief.get())["state"] == "signedOut"
            kept = [p.credential_id for p in backend._parts.passkeys.for_user(1)]
            assert kept == [old_device.id]  # the passkey added in the last 24 h is gone


async def test_finding_1_passkey_without_user_verification_does_not_bypass_mfa(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("uma", STRONG, temporary=False)
    device = SoftAuthenticator()
    async with RpcClient(backend) as client:
        await client.set("signIn", username="uma", password=STRONG)
        _, state = await enroll_totp(client, clock)
        assert "error" not in state, state
        await _register_passkey(client, device)
        await client.set("signOut")
        clock.advance(60)
        device.user_verification = False  # a stolen security key, no PIN
        state = await client.set("signInWithPasskey", username="uma")
        options = default(state, "confirmSignIn", "credentialRequestOptions")
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="webauthn", credential=device.get(options)
        )
        assert state["state"] != "signedIn", state
        assert action(state, "confirmSignIn")  # the second factor is asked for
        assert (await client.get())["state"] == "signedOut"


async def test_finding_1_concurrent_thieves_cannot_race_past_recent_auth(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("ray", STRONG, temporary=False, email="ray@example.com")
    async with RpcClient(backend, address=VICTIM) as victim:
        await victim.set("signIn", username="ray", password=STRONG)
        clock.advance(10 * 60)
        thieves = [_steal(backend, victim) for _ in range(10)]
        try:
            states = await asyncio.gather(
                *(t.set("startEmailMfaSetup", email=f"evil{i}@example.net") for i, t in enumerate(thieves))
            )
        finally:
            for thief in thieves:
                await thief.http.aclose()
        assert all("reauthenticate" in action_names(s) for s in states)
        assert not [m for m in backend.list_outbox() if m["to"].startswith("evil")]


# -- finding 10: sessions end when idle, and everywhere on request -----------------------------


async def test_finding_10_idle_session_ends_and_sign_out_everywhere(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="off", session_idle_timeout=3600)
    backend.add_user("ida", STRONG, temporary=False)
    async with RpcClient(backend) as laptop, RpcClient(backend, address=VICTIM) as phone:
        await laptop.set("signIn", username="ida", password=STRONG)
        await phone.set("signIn", username="ida", password=STRONG)
        clock.advance(50 * 60)
        assert (await phone.get())["state"] == "signedIn"  # used: its idle clock restarts
        clock.advance(50 * 60)
        assert (await laptop.get())["state"] == "signedOut"  # 100 minutes unused
        assert (await phone.get())["state"] == "signedIn"
        await laptop.set("signIn", username="ida", password=STRONG)
        state = await laptop.set("signOutEverywhere")
        assert state["state"] == "signedOut"
        assert (await phone.get())["state"] == "signedOut"
        assert backend.settings.session_idle_timeout == 3600
    default_settings = make_backend().settings
    assert (default_settings.session_idle_timeout, default_settings.session_lifetime) == (
        12 * 3600,
        30 * 86400,
    )


# -- finding 3: no cross-site request acts with the person's cookie ----------------------------


async def test_finding_3_cross_site_requests_are_refused_and_own_page_works(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("cy", STRONG, temporary=False, email="cy@example.com")
    backend.add_user("mallory", STRONG, temporary=False)
    path, api = backend.settings.path, backend.settings.namespace

    def call(action: str, **fields: str) -> str:
        params = [{"action": action, **fields}]
        return json.dumps({"jsonrpc": "2.0", "method": f"{api}.setAuthState", "params": params, "id": 1})

    async with RpcClient(backend) as victim:
        await victim.set("signIn", username="cy", password=STRONG)
        await victim.set("startEmailMfaSetup", email="cy@example.com")
        await victim.set("completeEmailMfaSetup", code=backend.latest_code("cy@example.com"))
        assert backend.mfa_preference("cy")["enabled"] == ["EMAIL"]
        forged = [
            # A sibling subdomain's script (same-site), JSON and all.
            {"content-type": "application/json", "origin": "http://evil.localhost:8080"},
            {"content-type": "application/json", "sec-fetch-site": "same-site"},
            # A cross-site HTML form: text/plain carries a JSON body without a preflight.
            {"content-type": "text/plain", "origin": "https://attacker.example"},
            {"content-type": "application/x-www-form-urlencoded"},
            {"content-type": "application/json", "origin": "null"},  # a sandboxed frame
        ]
        answers = [
            await victim.http.post(path, content=call("disableMfa"), headers=headers) for headers in forged
        ]
        assert [a.status_code for a in answers] == [403] * len(forged)
        assert backend.mfa_preference("cy")["enabled"] == ["EMAIL"]
    async with RpcClient(backend) as visitor:  # login CSRF: signing the victim in as mallory
        response = await visitor.http.post(
            path,
            content=call("signIn", username="mallory", password=STRONG),
            headers={"content-type": "text/plain", "origin": "https://attacker.example"},
        )
        assert response.status_code == 403 and visitor.cookie() is None
        # The app's own page (listed origin), the endpoint's own origin and non-browser clients work.
        for headers in (
            {"content-type": "application/json", "origin": "http://localhost:8080"},
            {"content-type": "application/json; charset=utf-8", "origin": "http://127.0.0.1"},
            {"content-type": "application/json", "sec-fetch-site": "same-origin"},
            {"content-type": "application/json"},
        ):
            response = await visitor.http.post(
                path, content=call("signIn", username="mallory", password=STRONG), headers=headers
            )
            assert result_of(response)["state"] == "signedIn", headers


async def test_finding_3_cors_allowed_origins_pass_the_forgery_guard_and_no_others(
    make_backend: MakeBackend,
) -> None:
    """One allow-list: a web app ``--cors-origin`` lets call across origins may act with the
    cookie; an origin in neither that list nor ``origins`` may not, even with JSON."""
    app, stranger = "https://app.example.com", "https://attacker.example"
    backend = make_backend(cors_origins=(app,))
    assert app not in backend.settings.origins  # allowed by the CORS list alone
    assert backend.settings.trusted_origins == (*backend.settings.origins, app)
    backend.add_user("cy", STRONG, temporary=False)
    path, api = backend.settings.path, backend.settings.namespace
    sign_in = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": f"{api}.setAuthState",
            "params": [{"action": "signIn", "username": "cy", "password": STRONG}],
            "id": 1,
        }
    )
    async with RpcClient(backend) as browser:
        refused = await browser.http.post(
            path, content=sign_in, headers={"content-type": "application/json", "origin": stranger}
        )
        assert refused.status_code == 403 and browser.cookie() is None
        assert "access-control-allow-origin" not in refused.headers
        # Listed for CORS, but a form's text/plain still needs no preflight: refused as well.
        formed = await browser.http.post(
            path, content=sign_in, headers={"content-type": "text/plain", "origin": app}
        )
        assert formed.status_code == 403 and browser.cookie() is None
        allowed = await browser.http.post(
            path, content=sign_in, headers={"content-type": "application/json", "origin": app}
        )
        assert result_of(allowed)["state"] == "signedIn" and browser.cookie() is not None
        assert allowed.headers["access-control-allow-origin"] == app


# -- finding 2: strangers cannot lock the owner out ---------------------------------------------


async def test_finding_2_strangers_wrong_passwords_do_not_lock_the_owner_out(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("lou", STRONG, temporary=False, email="lou@example.com")
    async with RpcClient(backend, address=ATTACKER) as stranger:
        answers = [await stranger.set("signIn", username="lou", password=f"wrong-{i}") for i in range(30)]
        assert answers[-1]["errorName"] == "LimitExceededException"  # the stranger is throttled
    async with RpcClient(backend, address=VICTIM) as owner:
        state = await owner.set("signIn", username="lou", password=STRONG)
        assert state["state"] == "signedIn", state


async def test_finding_2_known_device_and_reset_code_work_under_a_distributed_attack(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mfa="off", rate_limits=RateLimits(failures_per_account=30))
    backend.add_user("kim", STRONG, temporary=False, email="kim@example.com")
    async with RpcClient(backend, address=VICTIM) as laptop:
        await laptop.set("signIn", username="kim", password=STRONG)  # this browser becomes known
        assert laptop.cookie(backend.settings.known_device_cookie_name)
        await laptop.set("signOut")
        bots = [RpcClient(backend, address=f"192.0.2.{i}") for i in range(1, 11)]
        try:
            # 10 addresses x 5 wrong passwords, in parallel: 50 > the account-wide 30.
            await asyncio.gather(
                *(b.set("signIn", username="kim", password=f"x{i}") for b in bots for i in range(5))
            )
        finally:
            for bot in bots:
                await bot.http.aclose()
        async with RpcClient(backend, address=VICTIM) as new_browser:
            refused = await new_browser.set("signIn", username="kim", password=STRONG)
            assert refused["errorName"] == "LimitExceededException"  # an unknown browser waits
            # The right reset code works whatever the budgets say.
            await new_browser.set("resetPassword", username="kim")
            code = backend.latest_code("kim", "password-reset")
            state = await new_browser.set(
                "confirmResetPassword", username="kim", code=code, newPassword=STRONGER
            )
            assert "error" not in state, state
        state = await laptop.set("signIn", username="kim", password=STRONGER)
        assert state["state"] == "signedIn", state


async def test_finding_2_parallel_wrong_passwords_stay_within_the_pair_budget(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mfa="off", rate_limits=RateLimits(delay_base_seconds=0))  # the budget alone
    backend.add_user("pat", STRONG, temporary=False)
    async with RpcClient(backend, address=ATTACKER) as stranger:
        answers = await asyncio.gather(
            *(stranger.set("signIn", username="pat", password=f"p{i}") for i in range(20))
        )
    checked = sum(1 for a in answers if a.get("errorName") == "NotAuthorizedException")
    assert checked == 10, [a.get("errorName") for a in answers]


async def test_finding_2_parallel_wrong_passwords_from_one_address_see_increasing_waits(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="off")  # a delay after 3 failures: 1 s, doubling
    backend.add_user("pia", STRONG, temporary=False)
    waits: list[int] = []
    async with RpcClient(backend, address=ATTACKER) as stranger:
        for burst in range(4):
            answers = await asyncio.gather(
                *(stranger.set("signIn", username="pia", password=f"b{burst}-{i}") for i in range(6))
            )
            checked = [a for a in answers if a.get("errorName") == "NotAuthorizedException"]
            early = [a for a in answers if a.get("retryAfter")]
            # The delay is checked with the budget, atomically: parallel guesses cannot slip past it.
            assert len(checked) == (3 if burst == 0 else 1), answers
            assert len(early) == len(answers) - len(checked)
            assert all(a["retriable"] is True and a["errorName"] == "LimitExceededException" for a in early)
            assert len({a["retryAfter"] for a in early}) == 1
            waits.append(early[0]["retryAfter"])
            clock.advance(waits[-1])  # waiting exactly as told is enough
    assert waits == [1, 2, 4, 8]


async def test_finding_2_the_owners_known_device_is_not_delayed_by_strangers(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ola", STRONG, temporary=False)
    # The owner's laptop sits behind the same address as the stranger (a shared NAT).
    async with RpcClient(backend, address=ATTACKER) as laptop:
        await laptop.set("signIn", username="ola", password=STRONG)  # the laptop becomes known
        await laptop.set("signOut")
        async with RpcClient(backend, address=ATTACKER) as stranger:
            for i in range(3):
                await stranger.set("signIn", username="ola", password=f"s{i}")
            assert (await stranger.set("signIn", username="ola", password="s3")).get("retryAfter") == 1
        # Guessers spread over more addresses than one may fail from: the account is delayed too.
        for i in range(12):
            async with RpcClient(backend, address=f"192.0.2.{i}") as bot:
                await bot.set("signIn", username="ola", password=f"bot{i}")
        async with RpcClient(backend, address=VICTIM) as new_browser:
            refused = await new_browser.set("signIn", username="ola", password=STRONG)
            assert refused["errorName"] == "LimitExceededException" and refused["retryAfter"] >= 1, refused
        state = await laptop.set("signIn", username="ola", password=STRONG)
        assert state["state"] == "signedIn", state  # its own budget, its own delay


async def test_finding_2_a_cookie_thief_guessing_at_reauthentication_is_delayed_too(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("ros", STRONG, temporary=False, email="ros@example.com")
    async with RpcClient(backend, address=VICTIM) as victim:
        await victim.set("signIn", username="ros", password=STRONG)
        clock.advance(10 * 60)
        async with _steal(backend, victim) as thief:
            for guess in ("g1", "g2", "g3"):
                assert (await thief.set("reauthenticate", password=guess)).get("retryAfter") is None
            early = await thief.set("reauthenticate", password="g4")
            assert early["retryAfter"] == 1 and early["retriable"] is True, early
        # The owner, elsewhere, is not slowed by the thief's guesses.
        state = await victim.set("reauthenticate", password=STRONG)
        assert "error" not in state, state


async def test_finding_2_the_delay_ends_with_a_successful_sign_in(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("eve", STRONG, temporary=False)
    async with RpcClient(backend, address=VICTIM) as owner:
        for i in range(3):
            await owner.set("signIn", username="eve", password=f"typo{i}")
        early = await owner.set("signIn", username="eve", password=STRONG)
        assert early["retryAfter"] == 1, early  # even the right password waits its turn
        clock.advance(1)
        assert (await owner.set("signIn", username="eve", password=STRONG))["state"] == "signedIn"
        await owner.set("signOut")
        for i in range(3):  # the count starts again: three free mistakes, no wait
            answer = await owner.set("signIn", username="eve", password=f"again{i}")
            assert answer["errorName"] == "NotAuthorizedException", answer


# -- finding 11: smaller ones --------------------------------------------------------------------


async def test_finding_11_username_and_email_alias_share_one_budget(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off", rate_limits=RateLimits(delay_base_seconds=0))  # the budget alone
    backend.add_user("ann", STRONG, temporary=False, email="ann@example.com")
    async with RpcClient(backend, address=ATTACKER) as stranger:
        answers = [
            await stranger.set("signIn", username=name, password=f"guess{i}")
            for i in range(12)
            for name in ("ann", "ann@example.com")
        ]
    checked = sum(1 for a in answers if a.get("errorName") == "NotAuthorizedException")
    assert checked == 10, checked


async def _cookies_for(backend: Any, peer: str, headers: dict[str, str]) -> list[str]:
    """The Set-Cookie lines of a sign-in sent from ``peer`` with ``headers`` (Host included)."""
    transport = httpx.ASGITransport(app=backend.asgi_app, client=(peer, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        body = {"jsonrpc": "2.0", "method": "authApi.setAuthState", "id": 1}
        body["params"] = [{"action": "signIn", "username": "sam", "password": STRONG}]
        reply = await http.post(backend.settings.path, json=body, headers=headers)
        assert result_of(reply)["state"] == "signedIn"
        return reply.headers.get_list("set-cookie")


async def test_finding_11_secure_flag_comes_from_the_public_url_not_from_request_headers(
    make_backend: MakeBackend,
) -> None:
    def secure(lines: list[str]) -> set[bool]:
        return {"secure" in [a.strip().lower() for a in line.split(";")[1:]] for line in lines}

    public = make_backend(
        mfa="off", public_url="https://auth.example.com", forwarded_allow_ips=("127.0.0.1",)
    )
    local = make_backend(mfa="off", public_url="http://localhost:8080")
    unset = make_backend(mfa="off", forwarded_allow_ips=("127.0.0.1",))
    for backend in (public, local, unset):
        backend.add_user("sam", STRONG, temporary=False)
    downgrade = {"host": "127.0.0.1", "x-forwarded-proto": "http"}
    upgrade = {"host": "auth.example.com", "x-forwarded-proto": "https"}
    # A configured public URL decides, whoever sends which Host or X-Forwarded-Proto.
    assert secure(await _cookies_for(public, ATTACKER, downgrade)) == {True}
    assert secure(await _cookies_for(public, "127.0.0.1", downgrade)) == {True}  # even a trusted proxy
    assert secure(await _cookies_for(local, ATTACKER, upgrade)) == {False}
    # Without one, X-Forwarded-Proto counts from a trusted proxy only.
    assert secure(await _cookies_for(unset, "127.0.0.1", {"x-forwarded-proto": "https"})) == {True}
    assert secure(await _cookies_for(unset, ATTACKER, {"x-forwarded-proto": "https"})) == {False}
    assert secure(await _cookies_for(unset, "127.0.0.1", upgrade | {"x-forwarded-proto": "http"})) == {False}


# -- finding 4: no enumeration through answers or budgets ---------------------------------------


async def test_finding_4_known_and_unknown_accounts_get_the_same_answers(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ann", STRONG, temporary=False, email="ann@example.com")

    async def probe(name: str, address: str) -> list[tuple[str | None, str | None]]:
        async with RpcClient(backend, address=address) as client:
            seen = [await client.set("resetPassword", username=name)]
            seen += [
                await client.set(
                    "confirmResetPassword", username=name, code=f"00000{i}x", newPassword=STRONGER
                )
                for i in range(6)
            ]
            seen.append(await client.set("resendSignUpCode", username=name))
            seen += [await client.set("confirmSignUp", username=name, code=f"1{i}") for i in range(6)]
        return [(s.get("errorName"), s.get("error")) for s in seen]

    real, ghost = await probe("ann", "192.0.2.10"), await probe("nobody", "192.0.2.11")
    assert real == ghost
    assert ("LimitExceededException", "Attempt limit exceeded, please start again") in real


async def test_finding_4_sign_up_probes_of_taken_names_are_rate_limited(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")  # 10 sends per account, 50 per address, per 15 minutes
    backend.add_user("taken", STRONG, temporary=False)
    async with RpcClient(backend, address=ATTACKER) as prober:
        answers = [
            (await prober.set("signUp", username="taken", password=STRONG, email="x@example.com")).get(
                "errorName"
            )
            for _ in range(30)
        ]
    assert answers.count("UsernameExistsException") == 10
    assert answers[-1] == "LimitExceededException"


class WorkCounter:
    """Counts scrypt derivations and account lookups, wherever in the backend they happen."""

    COUNTED = (
        (PasswordHasher, "_derive"),
        (Users, "by_username"),
        (Users, "find"),
        (CodeBook, "has_live_code"),
        (KnownDevices, "holder"),
    )

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        for owner, name in self.COUNTED:
            original = getattr(owner, name)
            monkeypatch.setattr(owner, name, self._counting(name, original))

    def _counting(self, name: str, original: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return original(*args, **kwargs)

        return staticmethod(counted) if name == "_derive" else counted

    def take(self) -> dict[str, int]:
        taken, self.calls = dict(self.calls), Counter()
        return taken


async def test_finding_4_sign_up_does_the_same_work_for_new_taken_and_pending_names(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = make_backend(mfa="off", sign_in_with=("username",))
    backend.add_user("taken", STRONG, temporary=False)
    async with RpcClient(backend, address=VICTIM) as owner:
        await owner.set("signUp", username="pending", password=STRONG, email="p@example.com")
    counter = WorkCounter(monkeypatch)
    work: dict[str, dict[str, int]] = {}
    answers: dict[str, str | None] = {}
    async with RpcClient(backend, address=ATTACKER) as prober:
        prober.http.cookies.set(backend.settings.known_device_cookie_name, "a-device-of-my-own")
        for name in ("newcomer", "taken", "pending"):
            state = await prober.set("signUp", username=name, password=STRONGER, email="x@example.com")
            answers[name], work[name] = state.get("errorName"), counter.take()
    assert answers == {
        "newcomer": None,
        "taken": "UsernameExistsException",
        "pending": "UsernameExistsException",
    }
    assert work["newcomer"]["_derive"] == 1, work
    assert work["newcomer"] == work["taken"] == work["pending"], work


async def test_finding_11_email_check_refuses_nul_and_control_characters(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("eve", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="eve", password=STRONG)
        for bad in ("a\x00@example.com", "a@example.com\r\nBcc: x@evil.net", "a\u202e@example.com"):
            state = await client.set("startEmailMfaSetup", email=bad)
            assert state.get("errorName") == "InvalidParameterException", (bad, state)
        assert backend.list_outbox() == []


async def _totp_user_at_challenge(
    backend: Any, clock: FakeClock, sessions: int
) -> tuple[str, list[tuple[RpcClient, str]]]:
    backend.add_user("tom", STRONG, temporary=False)
    async with RpcClient(backend) as setup:
        await setup.set("signIn", username="tom", password=STRONG)
        secret = default(await setup.set("startTotpSetup"), "completeTotpSetup", "sharedSecret")
        await setup.set("completeTotpSetup", code=totp_now(secret, clock))
    clock.advance(60)
    challenged = []
    for i in range(sessions):
        client = RpcClient(backend, address=f"192.0.2.{100 + i}")
        state = await client.set("signIn", username="tom", password=STRONG)
        challenged.append((client, session_of(state)))
    return secret, challenged


async def test_finding_11_concurrent_right_totp_codes_leave_exactly_one_winner(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    secret, challenged = await _totp_user_at_challenge(backend, clock, sessions=2)
    code = totp_now(secret, clock)
    try:
        answers = await asyncio.gather(
            *(
                client.set("confirmSignIn", session=session, challenge="code", code=code)
                for client, session in challenged
                for _ in range(10)
            )
        )
        winners = [a for a in answers if a["state"] == "signedIn"]
        assert len(winners) == 1, [a.get("errorName") or a["state"] for a in answers]
        signed_in = [await client.get() for client, _ in challenged]
        assert sorted(s["state"] for s in signed_in) == ["signedIn", "signedOut"]
        # The loser's challenge survived: the next code gets it in.
        clock.advance(30)
        loser, session = next(
            (c, s) for (c, s), st in zip(challenged, signed_in, strict=True) if st["state"] != "signedIn"
        )
        state = await loser.set(
            "confirmSignIn", session=session, challenge="code", code=totp_now(secret, clock)
        )
        assert state["state"] == "signedIn", state
    finally:
        for client, _ in challenged:
            await client.http.aclose()


# -- finding 9: secrets at rest -------------------------------------------------------------------


async def test_finding_9_database_holds_no_usable_secret_and_files_are_private(
    make_backend: MakeBackend, clock: FakeClock, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # a data directory left open by an earlier version
    database = data / "auth.sqlite3"
    backend = make_backend(mfa="optional", db_path=str(database), key_path=str(tmp_path / "auth.key"))
    backend.add_user("sam", STRONG, temporary=False, email="sam@example.com")
    async with RpcClient(backend) as client:
        await client.set("signIn", username="sam", password=STRONG)
        secret = default(await client.set("startTotpSetup"), "completeTotpSetup", "sharedSecret")
        await client.set("completeTotpSetup", code=totp_now(secret, clock))
        await client.set("resetPassword", username="sam")
    with sqlite3.connect(database) as db:
        stored_secret = db.execute("SELECT totp_secret FROM users").fetchone()[0]
        digests = [row[0] for row in db.execute("SELECT code_hash FROM codes")]
    assert secret not in stored_secret and stored_secret.startswith("v1:")
    code = backend.latest_code("sam", "password-reset")
    assert digests and hashlib.sha256(str(code).encode()).hexdigest() not in digests
    for file in (database, Path(f"{database}-wal"), tmp_path / "auth.key"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert OUTBOX_RETENTION_SECONDS == 3600
