"""One test (at least) per security rule of issue 4, point 3.

Where the AWS Blocks mock is lax (any 6-digit TOTP, MFA type not checked,
sign-out not revoking, codes burnt before validation) a test named
``test_mock_lax_*`` shows that this backend does the correct thing.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from backend_support import (
    STRONG,
    STRONGER,
    FakeClock,
    MakeBackend,
    RpcClient,
    action,
    default,
    enroll_totp,
    session_of,
    totp_now,
)
from backend_webauthn_device import SoftAuthenticator
from nicegui_authenticator.backend import codes, passwords
from nicegui_authenticator.backend.passwords import PasswordHasher
from nicegui_authenticator.backend.settings import RateLimits, ScryptCost
from nicegui_authenticator.state_machine import PasswordPolicy

# -- passwords ---------------------------------------------------------------------------------


def test_passwords_are_salted_scrypt_with_their_parameters() -> None:
    hasher = PasswordHasher(ScryptCost(n=2**4))
    first, second = hasher.hash(STRONG), hasher.hash(STRONG)
    assert first != second  # salted
    scheme, n, r, p, _salt, _digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16", "8", "1")
    assert hasher.verify(STRONG, first) and not hasher.verify("Passw0rd?", first)
    # The cost can change: old hashes still verify, and are flagged for rehashing.
    stronger = PasswordHasher(ScryptCost(n=2**5))
    assert stronger.verify(STRONG, first)
    assert stronger.needs_rehash(first) and not hasher.needs_rehash(first)
    assert not hasher.verify(STRONG, "md5$abc") and not hasher.verify(STRONG, "garbage")


def test_password_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = passwords.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    hasher = PasswordHasher(ScryptCost(n=2**4))
    encoded = hasher.hash(STRONG)
    assert hasher.verify(STRONG, encoded)
    assert not hasher.verify("wrong", encoded)
    assert len(calls) == 2


async def test_database_holds_no_plain_password_and_cost_upgrades_on_sign_in(
    make_backend: MakeBackend, tmp_path: Path
) -> None:
    backend = make_backend(mfa="off", db_path=str(tmp_path / "up.sqlite3"))
    backend.add_user("ann", STRONG, temporary=False)
    backend.close()
    upgraded = make_backend(
        mfa="off", db_path=str(tmp_path / "up.sqlite3"), password_hash_cost=ScryptCost(n=2**5)
    )
    async with RpcClient(upgraded) as client:
        assert (await client.set("signIn", username="ann", password=STRONG))["state"] == "signedIn"
    with sqlite3.connect(tmp_path / "up.sqlite3") as db:
        (stored,) = db.execute("SELECT password_hash FROM users").fetchone()
    assert STRONG not in stored and stored.startswith("scrypt$32$")


async def test_unknown_users_cost_a_hash_too(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ann", STRONG, temporary=False)
    derived: list[int] = []
    real = PasswordHasher._derive
    monkeypatch.setattr(PasswordHasher, "_derive", staticmethod(lambda *a: derived.append(1) or real(*a)))
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ann", password="wrong")
        known = len(derived)
        await client.set("signIn", username="nobody", password="wrong")
        assert len(derived) - known == known == 1


async def test_hashing_runs_off_the_event_loop(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = make_backend(mfa="off")
    loop_thread = threading.current_thread()
    threads: list[threading.Thread] = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def hash_spy(self: PasswordHasher, password: str) -> str:
        threads.append(threading.current_thread())
        return real_hash(self, password)

    def verify_spy(self: PasswordHasher, password: str, encoded: str | None) -> bool:
        threads.append(threading.current_thread())
        return real_verify(self, password, encoded)

    monkeypatch.setattr(PasswordHasher, "hash", hash_spy)
    monkeypatch.setattr(PasswordHasher, "verify", verify_spy)
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG, email="ann@example.com")
        await client.set("signIn", username="ann", password=STRONG)
    assert threads and all(t is not loop_thread for t in threads)


def test_password_policy_wording() -> None:
    # Every class required: the backend's default until the common-password list replaced it.
    policy = PasswordPolicy(
        require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
    )
    assert passwords.policy_message(passwords.policy_violations("password", policy)) == (
        "Password must contain an uppercase letter, a digit, a symbol"
    )
    assert passwords.policy_violations(STRONG, policy) == []
    assert "at most 256 characters" in passwords.policy_violations("Aa1!" * 100, policy)


# -- one-time codes ------------------------------------------------------------------------------


async def test_codes_are_six_digits_from_secrets(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []
    real = codes.secrets.randbelow
    monkeypatch.setattr(codes.secrets, "randbelow", lambda n: drawn.append(n) or real(n))
    backend = make_backend(sign_in_with=("username",))
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG)
    code = backend.latest_code("ann")
    assert drawn == [1_000_000]
    assert code is not None and len(code) == 6 and code.isdigit()


async def test_codes_expire_after_ten_minutes(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend(sign_in_with=("username",))
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG)
        clock.advance(599)
        state = await client.set("confirmSignUp", username="ann", code=backend.latest_code("ann"))
        assert "error" not in state
        await client.set("signUp", username="bob", password=STRONG)
        clock.advance(601)
        state = await client.set("confirmSignUp", username="bob", code=backend.latest_code("bob"))
        assert state["errorName"] == "CodeMismatchException"


async def test_codes_are_single_use(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("resetPassword", username="ann")
        code = backend.latest_code("ann", "password-reset")
        assert (
            await client.set("confirmResetPassword", username="ann", code=code, newPassword=STRONGER)
        ).get("error") is None
        state = await client.set(
            "confirmResetPassword", username="ann", code=code, newPassword="An0ther-Pass!"
        )
        assert state["errorName"] == "CodeMismatchException"
        assert (await client.set("signIn", username="ann", password=STRONGER))["state"] == "signedIn"


async def test_codes_allow_five_attempts(make_backend: MakeBackend) -> None:
    backend = make_backend(sign_in_with=("username",))
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG)
        code = backend.latest_code("ann")
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(4):
            assert (await client.set("confirmSignUp", username="ann", code=wrong))[
                "errorName"
            ] == "CodeMismatchException"
        assert "error" not in await client.set("confirmSignUp", username="ann", code=code)
        await client.set("signUp", username="bob", password=STRONG)
        code = backend.latest_code("bob")
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(4):
            await client.set("confirmSignUp", username="bob", code=wrong)
        assert (await client.set("confirmSignUp", username="bob", code=wrong))[
            "errorName"
        ] == "LimitExceededException"
        assert (await client.set("confirmSignUp", username="bob", code=code))[
            "errorName"
        ] == "CodeMismatchException"


async def test_mock_lax_codes_are_not_burnt_before_validation(make_backend: MakeBackend) -> None:
    """The mock spends the reset code on a weak new password (basic_reset_password.jsonl steps 3-4)."""
    backend = make_backend(mode="basic")
    backend.add_user("ann", "lemon-tree", temporary=False)
    async with RpcClient(backend) as client:
        await client.set("resetPassword", username="ann")
        code = backend.latest_code("ann", "password-reset")
        state = await client.set("confirmResetPassword", username="ann", code=code, newPassword="short")
        assert state["errorName"] == "InvalidPasswordException"
        state = await client.set("confirmResetPassword", username="ann", code=code, newPassword="long-enough")
        assert state["state"] == "signedOut" and "error" not in state
        assert (await client.set("signIn", username="ann", password="long-enough"))["state"] == "signedIn"


async def test_email_otp_reaches_the_address_and_is_verified(make_backend: MakeBackend) -> None:
    backend = make_backend()
    backend.add_user("ann", STRONG, temporary=False, email="ann@example.com")
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ann", password=STRONG)
        await client.set("signOut")
        assert (await client.set("startEmailMfaSetup")).get("errorName") == "NotAuthenticatedException"
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ann", password=STRONG)
        await client.set("startEmailMfaSetup")
        assert backend.list_outbox()[0]["to"] == "ann@example.com"
        state = await client.set(
            "completeEmailMfaSetup", code="999999" if backend.latest_code("ann") != "999999" else "0"
        )
        assert state["retriable"] is True
        await client.set("completeEmailMfaSetup", code=backend.latest_code("ann", "mfa-setup"))
        await client.set("signOut")
        state = await client.set("signIn", username="ann", password=STRONG)
        sent = backend.list_outbox()[0]
        assert sent["to"] == "ann@example.com" and sent["purpose"] == "sign-in"
        retry = await client.set("confirmSignIn", session=session_of(state), challenge="code", code="12345")
        assert retry["retriable"] is True
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="code", code=sent["code"]
        )
        assert state["state"] == "signedIn"


# -- challenge sessions --------------------------------------------------------------------------


async def _email_challenge(client: RpcClient, username: str = "ann") -> dict[str, Any]:
    state = await client.set("signIn", username=username, password=STRONG)
    assert state["state"] == "confirmingSignIn", state
    return state


@pytest.fixture
def email_mfa_backend(make_backend: MakeBackend) -> Any:
    backend = make_backend(sign_in_with=("username",))
    backend.add_user("ann", STRONG, temporary=False, email="ann@example.com")
    backend.confirm_user("ann")
    with backend._parts.store.transaction() as db:  # enrol email MFA as a verified address would
        db.execute("UPDATE users SET email_mfa = 1")
    return backend


async def test_challenge_sessions_are_random_and_single_use(email_mfa_backend: Any) -> None:
    backend = email_mfa_backend
    async with RpcClient(backend) as client:
        first = session_of(await _email_challenge(client))
        second_state = await _email_challenge(client)
        second = session_of(second_state)
        assert first != second and len(second) >= 22
        code = backend.latest_code("ann", "sign-in")
        assert (await client.set("confirmSignIn", session=second, challenge="code", code=code))[
            "state"
        ] == "signedIn"
        state = await client.set("confirmSignIn", session=second, challenge="code", code=code)
        assert state["errorName"] == "ExpiredCodeException" and state["error"] == "Challenge session expired"
        assert state["actions"]  # full signed-out state, not the thin one


async def test_challenge_sessions_expire_after_three_minutes(
    email_mfa_backend: Any, clock: FakeClock
) -> None:
    backend = email_mfa_backend
    async with RpcClient(backend) as client:
        state = await _email_challenge(client)
        clock.advance(179)
        retry = await client.set("confirmSignIn", session=session_of(state), challenge="code", code="abc")
        assert retry["retriable"] is True
        clock.advance(2)
        code = backend.latest_code("ann", "sign-in")
        state = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert state["errorName"] == "ExpiredCodeException"


async def test_challenge_sessions_die_after_five_wrong_answers(email_mfa_backend: Any) -> None:
    backend = email_mfa_backend
    async with RpcClient(backend) as client:
        state = await _email_challenge(client)
        code = backend.latest_code("ann", "sign-in")
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(4):
            retry = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=wrong)
            assert retry["retriable"] is True
        final = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=wrong)
        assert final["errorName"] == "LimitExceededException" and "retriable" not in final
        again = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        assert again["errorName"] == "ExpiredCodeException"


async def test_challenge_kind_must_match_the_session(email_mfa_backend: Any) -> None:
    async with RpcClient(email_mfa_backend) as client:
        state = await _email_challenge(client)
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="totpSetup", code="123456"
        )
        assert state["errorName"] == "InvalidParameterException"


# -- TOTP ----------------------------------------------------------------------------------------


async def _totp_user(backend: Any, client: RpcClient, clock: FakeClock) -> str:
    backend.add_user("tom", STRONG, temporary=False)
    await client.set("signIn", username="tom", password=STRONG)
    secret, state = await enroll_totp(client, clock)
    assert state["state"] == "signedIn"
    await client.set("signOut")
    return secret


async def test_mock_lax_totp_accepts_only_the_right_code_once(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    """The mock accepts any six digits (cognito_opt_totp_enroll_and_signin.jsonl step 11)."""
    import pyotp

    backend = make_backend()
    async with RpcClient(backend) as client:
        secret = await _totp_user(backend, client, clock)
        totp = pyotp.TOTP(secret)
        # The set-up code cannot be replayed for sign-in.
        state = await client.set("signIn", username="tom", password=STRONG)
        retry = await client.set(
            "confirmSignIn", session=session_of(state), challenge="code", code=totp.at(clock())
        )
        assert retry["errorName"] == "CodeMismatchException"
        clock.advance(60)
        state = await client.set("signIn", username="tom", password=STRONG)
        for wrong in ("999999", "123456", totp.at(clock() - 90), totp.at(clock() + 90)):
            if wrong == totp.at(clock()) or wrong in (totp.at(clock() - 30), totp.at(clock() + 30)):
                continue  # a one-in-a-million collision with a valid code is not a wrong code
            retry = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=wrong)
            assert retry["retriable"] is True
        # One step of drift either way is accepted...
        ok = await client.set(
            "confirmSignIn", session=session_of(state), challenge="code", code=totp.at(clock() - 30)
        )
        assert ok["state"] == "signedIn"
        await client.set("signOut")
        # ...but a code (or an older one) is never accepted twice.
        state = await client.set("signIn", username="tom", password=STRONG)
        for used in (totp.at(clock() - 30), totp.at(clock() - 60)):
            retry = await client.set("confirmSignIn", session=session_of(state), challenge="code", code=used)
            assert retry["errorName"] == "CodeMismatchException"
        ok = await client.set(
            "confirmSignIn", session=session_of(state), challenge="code", code=totp.at(clock() + 30)
        )
        assert ok["state"] == "signedIn"


async def test_mock_lax_mfa_type_is_checked_against_the_offer(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    """The mock takes any mfaType; here only an offered one moves the flow on."""
    backend = make_backend(mfa="required", sign_in_with=("username",))
    backend.add_user("meg", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="meg", password=STRONG)
        for bogus in ("SMS", "NONE", "", "TOTP,EMAIL"):
            retry = await client.set(
                "confirmSignIn", session=session_of(state), challenge="mfaType", mfaType=bogus
            )
            assert retry["retriable"] is True and retry["errorName"] == "InvalidParameterException"
            assert retry["error"] == "Invalid MFA type. Pick one of: TOTP, EMAIL"
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="mfaType", mfaType="totp"
        )
        assert default(state, "confirmSignIn", "challenge") == "totpSetup"


async def test_totp_setup_verifies_the_servers_secret_not_the_echo(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    import pyotp

    backend = make_backend(mfa="required", mfa_types=("TOTP",), sign_in_with=("username",))
    backend.add_user("vic", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="vic", password=STRONG)
        forged = pyotp.random_base32()
        retry = await client.set(
            "confirmSignIn",
            session=session_of(state),
            challenge="totpSetup",
            sharedSecret=forged,
            code=pyotp.TOTP(forged).at(clock()),
        )
        assert retry["retriable"] is True


# -- WebAuthn ------------------------------------------------------------------------------------


async def _passkey_user(
    backend: Any, client: RpcClient, device: SoftAuthenticator, name: str = "pia"
) -> None:
    backend.add_user(name, STRONG, temporary=False)
    await client.set("signIn", username=name, password=STRONG)
    state = await client.set("startPasskeyRegistration")
    options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
    state = await client.set("completePasskeyRegistration", credential=device.create(options))
    assert action(state, "deletePasskey")
    await client.set("signOut")


async def _assert_with(
    client: RpcClient, device: SoftAuthenticator, username: str = "pia", **kwargs: Any
) -> dict[str, Any]:
    state = await client.set("signInWithPasskey", username=username)
    options = default(state, "confirmSignIn", "credentialRequestOptions")
    return await client.set(
        "confirmSignIn",
        session=session_of(state),
        challenge="webauthn",
        credential=device.get(options, **kwargs),
    )


async def test_webauthn_registration_is_verified(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("pia", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="pia", password=STRONG)
        # No ceremony started: refused.
        state = await client.set(
            "completePasskeyRegistration",
            credential=SoftAuthenticator().create(
                '{"challenge":"AAAA","rp":{"id":"localhost"},"user":{"id":"AAAA"}}'
            ),
        )
        assert state["error"] == "No passkey registration in progress"
        for bad in ({"origin": "http://evil.example"}, {"rp_id": "evil.example"}):
            state = await client.set("startPasskeyRegistration")
            options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
            state = await client.set(
                "completePasskeyRegistration", credential=SoftAuthenticator().create(options, **bad)
            )
            assert state["errorName"] == "NotAuthorizedException", bad
        # A challenge of our own making (not the server's) is refused.
        state = await client.set("startPasskeyRegistration")
        options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
        forged = options.replace(options.split('"challenge": "')[1].split('"')[0], "Zm9yZ2Vk")
        state = await client.set("completePasskeyRegistration", credential=SoftAuthenticator().create(forged))
        assert state["errorName"] == "NotAuthorizedException"
        state = await client.set("completePasskeyRegistration", credential="not-json")
        assert state["error"] == "credential must be JSON"
        assert backend._parts.passkeys.for_user(1) == []


async def test_webauthn_assertion_checks_challenge_origin_rp_signature_counter(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend(mfa="off")
    device = SoftAuthenticator()
    async with RpcClient(backend) as client:
        await _passkey_user(backend, client, device)
        assert (await _assert_with(client, device, origin="http://evil.example"))[
            "errorName"
        ] == "NotAuthorizedException"
        assert (await _assert_with(client, device, rp_id="evil.example"))[
            "errorName"
        ] == "NotAuthorizedException"
        # Signed for another challenge (a replayed assertion).
        state = await client.set("signInWithPasskey", username="pia")
        stale = device.get(default(state, "confirmSignIn", "credentialRequestOptions"))
        state = await client.set("signInWithPasskey", username="pia")
        state = await client.set(
            "confirmSignIn", session=session_of(state), challenge="webauthn", credential=stale
        )
        assert state["errorName"] == "NotAuthorizedException"
        # A signature by another key under this credential id.
        impostor = SoftAuthenticator(credential_id=device.credential_id, sign_count=100)
        assert (await _assert_with(client, impostor))["errorName"] == "NotAuthorizedException"
        assert (await _assert_with(client, device))["state"] == "signedIn"
        await client.set("signOut")
        # A cloned authenticator whose counter went backwards.
        device.sign_count -= 2
        assert (await _assert_with(client, device))["errorName"] == "NotAuthorizedException"


async def test_webauthn_credential_must_belong_to_the_named_account(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    pia, quin = SoftAuthenticator(), SoftAuthenticator()
    async with RpcClient(backend) as client:
        await _passkey_user(backend, client, pia, "pia")
        await _passkey_user(backend, client, quin, "quin")
        state = await _assert_with(client, quin, username="pia")
        assert state["errorName"] == "WebAuthnCredentialNotSupportedException"
        assert state["error"] == "Unknown passkey credential"


async def test_webauthn_user_verification_required_when_mfa_is(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="required", mfa_types=("TOTP",), sign_in_with=("username",))
    device = SoftAuthenticator(user_verification=False)
    backend.add_user("uma", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        state = await client.set("signIn", username="uma", password=STRONG)
        secret = default(state, "confirmSignIn", "sharedSecret")
        await client.set(
            "confirmSignIn", session=session_of(state), challenge="totpSetup", code=totp_now(secret, clock)
        )
        state = await client.set("startPasskeyRegistration")
        options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
        await client.set("completePasskeyRegistration", credential=device.create(options))
        await client.set("signOut")
        state = await client.set("signInWithPasskey", username="uma")
        assert '"userVerification": "required"' in default(state, "confirmSignIn", "credentialRequestOptions")
        assert (await _assert_with(client, device, username="uma"))["errorName"] == "NotAuthorizedException"
        device.user_verification = True
        assert (await _assert_with(client, device, username="uma"))["state"] == "signedIn"


# -- the session cookie --------------------------------------------------------------------------


async def test_session_cookie_is_opaque_http_only_lax_and_bound_to_a_row(
    make_backend: MakeBackend, tmp_path: Path
) -> None:
    backend = make_backend(mfa="off", db_path=str(tmp_path / "c.sqlite3"))
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        response = await client.envelope(
            "setAuthState", [{"action": "signIn", "username": "ann", "password": STRONG}]
        )
        # The known-device cookie comes along (issue 11, finding 2); this test is about the session's.
        (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith("auth_session=")]
        value = header.split(";")[0].split("=", 1)[1]
        assert header == f"auth_session={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age=2592000"
        assert len(value) >= 43 and "ann" not in value
        with sqlite3.connect(tmp_path / "c.sqlite3") as db:
            rows = db.execute("SELECT token_hash FROM web_sessions").fetchall()
        assert rows == [(hashlib.sha256(value.encode()).hexdigest(),)]  # only a hash is stored
        with sqlite3.connect(tmp_path / "c.sqlite3") as db:
            db.execute("DELETE FROM web_sessions")
        response = await client.envelope("getAuthState")
        assert response.json()["result"]["state"] == "signedOut"
        assert (
            response.headers["set-cookie"].startswith("auth_session=; ")
            and "Max-Age=0" in response.headers["set-cookie"]
        )


async def test_session_cookie_is_secure_off_loopback(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ann", STRONG, temporary=False)
    for base_url, secure in (
        ("http://app.example.com", True),
        ("https://127.0.0.1", True),
        ("http://localhost:8080", False),
        ("http://[::1]:8080", False),
    ):
        async with RpcClient(backend, base_url=base_url) as client:
            response = await client.envelope(
                "setAuthState", [{"action": "signIn", "username": "ann", "password": STRONG}]
            )
            assert response.headers["set-cookie"].endswith("; Secure") is secure, base_url


async def test_mock_lax_sign_out_revokes_the_session(make_backend: MakeBackend) -> None:
    """The mock's JWT cookie still works after sign-out (basic_signout_does_not_revoke_jwt.jsonl)."""
    backend = make_backend(mode="basic")
    backend.add_user("ann", "lemon-tree", temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ann", password="lemon-tree")
        stolen = client.cookie()
        await client.set("signOut")
    async with RpcClient(backend) as thief:
        thief.http.cookies.set("auth_session", stolen or "")
        assert (await thief.get())["state"] == "signedOut"
        assert (await thief.set("signIn", username="ann", password="wrong"))["state"] == "signedOut"


async def test_sign_in_rotates_the_session(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ann", password=STRONG)
        first = client.cookie()
        await client.set("signIn", username="ann", password=STRONG)
        assert client.cookie() != first
    async with RpcClient(backend) as other:
        other.http.cookies.set("auth_session", first or "")
        assert (await other.get())["state"] == "signedOut"


async def test_session_lifetime_is_enforced(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend(mfa="off", session_lifetime=3600)
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ann", password=STRONG)
        clock.advance(3599)
        assert (await client.get())["state"] == "signedIn"
        clock.advance(2)
        assert (await client.get())["state"] == "signedOut"


async def test_password_reset_signs_out_everywhere(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off")
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend) as laptop, RpcClient(backend) as phone:
        await laptop.set("signIn", username="ann", password=STRONG)
        await phone.set("resetPassword", username="ann")
        code = backend.latest_code("ann", "password-reset")
        await phone.set("confirmResetPassword", username="ann", code=code, newPassword=STRONGER)
        assert (await laptop.get())["state"] == "signedOut"


async def test_mock_lax_auto_sign_in_bridge_is_single_use(make_backend: MakeBackend) -> None:
    """The recorded bridge cookie can be replayed (cognito_ua_signup_autosignin.jsonl step 5)."""
    backend = make_backend(sign_in_with=("username",), mfa="off")
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG)
        bridge = client.cookie("autosignin_session")
        await client.set("confirmSignUp", username="ann", code=backend.latest_code("ann"))
        assert (await client.set("autoSignIn", username="ann"))["state"] == "signedIn"
    async with RpcClient(backend) as replay:
        replay.http.cookies.set("autosignin_session", bridge or "")
        state = await replay.set("autoSignIn", username="ann")
        assert state["errorName"] == "NotAuthenticatedException"


async def test_auto_sign_in_bridge_needs_confirmation_the_user_and_time(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(sign_in_with=("username",), mfa="off")
    async with RpcClient(backend) as client:
        await client.set("signUp", username="ann", password=STRONG)
        # Before confirmation the bridge is no sign-in (and is spent by trying).
        assert (await client.set("autoSignIn", username="ann"))["errorName"] == "NotAuthenticatedException"
    async with RpcClient(backend) as client:
        await client.set("signUp", username="bob", password=STRONG)
        await client.set("confirmSignUp", username="bob", code=backend.latest_code("bob"))
        assert (await client.set("autoSignIn", username="ann"))["errorName"] == "NotAuthenticatedException"
    async with RpcClient(backend) as client:
        await client.set("signUp", username="cat", password=STRONG)
        await client.set("confirmSignUp", username="cat", code=backend.latest_code("cat"))
        clock.advance(181)
        assert (await client.set("autoSignIn", username="cat"))["errorName"] == "NotAuthenticatedException"
    # Confirmed from another browser (no bridge cookie): sign in yourself.
    async with RpcClient(backend) as signer, RpcClient(backend) as other:
        await signer.set("signUp", username="dan", password=STRONG)
        state = await other.set("confirmSignUp", username="dan", code=backend.latest_code("dan"))
        assert state["state"] == "signedOut" and "error" not in state


# -- rate limits ---------------------------------------------------------------------------------

LIMITS = RateLimits(
    window_seconds=600,
    failures_per_username=3,
    failures_per_account=3,  # spread over addresses, the account-wide budget is the one that binds
    failures_per_address=5,
    sends_per_username=2,
    sends_per_address=4,
)


async def test_failures_are_limited_per_username(make_backend: MakeBackend, clock: FakeClock) -> None:
    backend = make_backend(mfa="off", rate_limits=LIMITS)
    backend.add_user("ann", STRONG, temporary=False)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        async with RpcClient(backend, address=address) as client:
            assert (await client.set("signIn", username="ann", password="wrong"))[
                "errorName"
            ] == "NotAuthorizedException"
    async with RpcClient(backend, address="10.0.0.4") as client:
        state = await client.set("signIn", username="ANN", password=STRONG)
        assert state["errorName"] == "LimitExceededException"
        # The same answer for an account that does not exist.
        for _ in range(3):
            await client.set("signIn", username="ghost", password="wrong")
    async with RpcClient(backend, address="10.0.0.5") as client:
        assert (await client.set("signIn", username="ghost", password="wrong"))[
            "errorName"
        ] == "LimitExceededException"
        clock.advance(601)
        assert (await client.set("signIn", username="ann", password=STRONG))["state"] == "signedIn"


async def test_failures_are_limited_per_address(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off", rate_limits=LIMITS)
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend, address="10.9.9.9") as attacker:
        for i in range(5):
            await attacker.set("signIn", username=f"user{i}", password="wrong")
        state = await attacker.set("signIn", username="ann", password=STRONG)
        assert state["errorName"] == "TooManyRequestsException"
    async with RpcClient(backend, address="10.1.1.1") as someone_else:
        assert (await someone_else.set("signIn", username="ann", password=STRONG))["state"] == "signedIn"


async def test_code_checks_and_resets_are_limited(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="off", rate_limits=LIMITS)
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend, address="10.0.0.1") as client:
        for _ in range(2):
            assert (await client.set("resetPassword", username="ann"))["state"] == "confirmingPasswordReset"
        assert (await client.set("resetPassword", username="ann"))["errorName"] == "LimitExceededException"
        code = backend.latest_code("ann", "password-reset")
        for _ in range(3):
            await client.set(
                "confirmResetPassword",
                username="ann",
                code="000000" if code != "000000" else "1",
                newPassword=STRONGER,
            )
        wrong = await client.set("confirmResetPassword", username="ann", code="999999x", newPassword=STRONGER)
        assert wrong["errorName"] == "LimitExceededException"
        # Issue 11, finding 2: over budget, the right code still resets (it allows only a few tries).
        state = await client.set("confirmResetPassword", username="ann", code=code, newPassword=STRONGER)
        assert "error" not in state, state


async def test_basic_mode_rate_limit_wording(make_backend: MakeBackend) -> None:
    backend = make_backend(mode="basic", rate_limits=LIMITS)
    async with RpcClient(backend) as client:
        for _ in range(3):
            await client.set("signIn", username="ann", password="wrong")
        state = await client.set("signIn", username="ann", password="wrong")
        assert state["errorName"] == "TooManyRequestsException"


# -- no account enumeration ----------------------------------------------------------------------


def _same(a: dict[str, Any], b: dict[str, Any], *ignore: str) -> None:
    def scrub(state: dict[str, Any]) -> str:
        # Every signedOut reply carries fresh username-less passkey options: the challenge is random.
        text = re.sub(r'"challenge":"[A-Za-z0-9_-]+"', '"challenge":"…"', repr(state))
        for word in ignore:
            text = text.replace(word, "X")
        return text

    assert scrub(a) == scrub(b)


async def test_answers_do_not_reveal_accounts(make_backend: MakeBackend) -> None:
    backend = make_backend(sign_in_with=("username",))
    backend.add_user("ann", STRONG, temporary=False)
    await_pairs: list[tuple[str, dict[str, Any]]] = [
        ("signIn", {"password": "wrong"}),
        ("resetPassword", {}),
        ("confirmResetPassword", {"code": "123456", "newPassword": STRONGER}),
        ("confirmSignUp", {"code": "123456"}),
        ("resendSignUpCode", {}),
        ("resendPasswordResetCode", {}),
    ]
    async with RpcClient(backend, address="10.0.0.1") as a, RpcClient(backend, address="10.0.0.2") as b:
        for name, fields in await_pairs:
            known = await a.set(name, username="ann", **fields)
            unknown = await b.set(name, username="zed", **fields)
            _same(known, unknown, "ann", "zed")
        known = await a.set("signInWithPasskey", username="ann")
        unknown = await b.set("signInWithPasskey", username="zed")
        assert action(known, "confirmSignIn")["label"] == action(unknown, "confirmSignIn")["label"]
        for state in (known, unknown):
            assert '"allowCredentials": []' in default(state, "confirmSignIn", "credentialRequestOptions")


async def test_choice_flow_does_not_reveal_accounts(make_backend: MakeBackend) -> None:
    backend = make_backend(flow="choice", sign_in_with=("email",), mfa="off")
    backend.add_user("ann@example.com", STRONG, temporary=False)
    async with RpcClient(backend) as a, RpcClient(backend) as b:
        states = []
        for client, name in ((a, "ann@example.com"), (b, "zed@example.com")):
            state = await client.set("signIn", username=name)
            states.append(
                await client.set(
                    "confirmSignIn",
                    session=session_of(state),
                    challenge="firstFactor",
                    firstFactor="EMAIL_OTP",
                )
            )
        labels = [action(s, "confirmSignIn")["label"] for s in states]
        assert labels == [
            "Enter Email Code (sent to a***@e***.com)",
            "Enter Email Code (sent to z***@e***.com)",
        ]
        assert [m["to"] for m in backend.list_outbox()] == ["ann@example.com"]


# -- logs ----------------------------------------------------------------------------------------


async def test_no_secret_in_any_log_line(
    make_backend: MakeBackend, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    backend = make_backend(email_mfa_on_sign_up=True)  # walks the email MFA code too
    device = SoftAuthenticator()
    secrets_seen: list[str] = [STRONG, STRONGER, "Wrong-Passw0rd!"]
    async with RpcClient(backend) as client:
        await client.set("signUp", username="lou", password=STRONG, email="lou@example.com")
        secrets_seen.append(client.cookie("autosignin_session") or "")
        code = backend.latest_code("lou") or ""
        secrets_seen.append(code)
        await client.set("confirmSignUp", username="lou", code=code)
        state = await client.set("autoSignIn", username="lou")
        secrets_seen.append(session_of(state))
        await client.set("confirmSignIn", session=session_of(state), challenge="code", code="000000")
        code = backend.latest_code("lou", "sign-in") or ""
        secrets_seen.append(code)
        await client.set("confirmSignIn", session=session_of(state), challenge="code", code=code)
        secrets_seen.append(client.cookie() or "")
        secret = default(await client.set("startTotpSetup"), "completeTotpSetup", "sharedSecret")
        secrets_seen.append(secret)
        await client.set("completeTotpSetup", code=totp_now(secret, clock))
        options = default(
            await client.set("startPasskeyRegistration"),
            "completePasskeyRegistration",
            "credentialCreationOptions",
        )
        credential = device.create(options)
        secrets_seen.extend([credential, device.id])
        await client.set("completePasskeyRegistration", credential=credential)
        await client.set("signOut")
        await client.set("signIn", username="lou", password="Wrong-Passw0rd!")
        await client.set("resetPassword", username="lou")
        code = backend.latest_code("lou", "password-reset") or ""
        secrets_seen.append(code)
        await client.set("confirmResetPassword", username="lou", code=code, newPassword=STRONGER)
    assert any("lou" in r.getMessage() for r in caplog.records)  # the audit trail is there...
    for record in caplog.records:
        message = record.getMessage()
        for secret_value in filter(None, secrets_seen):
            assert secret_value not in message, (record.name, message)  # ...without secrets


async def test_mfa_self_service_codes_allow_five_attempts(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend()
    backend.add_user("ann", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="ann", password=STRONG)
        secret = default(await client.set("startTotpSetup"), "completeTotpSetup", "sharedSecret")
        for _ in range(4):
            assert (await client.set("completeTotpSetup", code="12345x"))["retriable"] is True
        state = await client.set("completeTotpSetup", code="12345x")
        assert state["errorName"] == "LimitExceededException"
        state = await client.set("completeTotpSetup", code=totp_now(secret, clock))
        assert state["error"] == "No authenticator set-up in progress"
        await client.set("startEmailMfaSetup", email="ann@example.com")
        code = backend.latest_code("ann", "mfa-setup")
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(4):
            assert (await client.set("completeEmailMfaSetup", code=wrong))["retriable"] is True
        assert (await client.set("completeEmailMfaSetup", code=wrong))[
            "errorName"
        ] == "LimitExceededException"
        assert (await client.set("completeEmailMfaSetup", code=code))[
            "error"
        ] == "No email set-up in progress"
        assert backend.mfa_preference("ann") == {"enabled": []}
