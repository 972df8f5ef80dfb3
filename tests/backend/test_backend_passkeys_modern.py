"""Username-less passkey sign-in, provider names and dates, renaming (issue 12, item 5).

Every ceremony is verified for real: a software authenticator
(``backend_webauthn_device``) signs what py_webauthn checks.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from backend_support import (
    STRONG,
    FakeClock,
    MakeBackend,
    RpcClient,
    action,
    action_names,
    default,
    enroll_totp,
)
from backend_webauthn_device import SoftAuthenticator, b64url, unb64url
from nicegui_authenticator.backend.errors import AuthError
from nicegui_authenticator.backend.passkey_names import checked_name, provider_name

DISCOVERABLE = "signInWithDiscoverablePasskey"
ICLOUD = uuid.UUID("fbfc3007-154e-4ecc-8c0b-6e020557d7bd")


async def _register(client: RpcClient, device: SoftAuthenticator) -> dict[str, Any]:
    state = await client.set("startPasskeyRegistration")
    options = default(state, "completePasskeyRegistration", "credentialCreationOptions")
    state = await client.set("completePasskeyRegistration", credential=device.create(options))
    assert "error" not in state, state
    return state


async def _account_with_passkey(
    backend: Any, client: RpcClient, username: str, device: SoftAuthenticator
) -> dict[str, Any]:
    backend.add_user(username, STRONG, temporary=False)
    await client.set("signIn", username=username, password=STRONG)
    state = await _register(client, device)
    await client.set("signOut")
    return state


async def _discoverable(client: RpcClient, device: SoftAuthenticator) -> dict[str, Any]:
    """Read the signed-out state, assert with ``device`` over its options, send the assertion."""
    signed_out = await client.get()
    options = default(signed_out, DISCOVERABLE, "credentialRequestOptions")
    return await client.set(DISCOVERABLE, credentialRequestOptions=options, credential=device.get(options))


def _passkey_info(state: dict[str, Any], credential_id: str) -> dict[str, Any]:
    for item in state["actions"]:
        if item["name"] == "deletePasskey" and item["fields"][0]["defaultValue"] == credential_id:
            return dict(item["passkey"])
    raise AssertionError(f"no deletePasskey for {credential_id}")


async def test_signed_out_offers_the_discoverable_sign_in_with_fresh_empty_options(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend()
    async with RpcClient(backend) as client:
        first, second = await client.get(), await client.get()
    assert action_names(first)[-1] == DISCOVERABLE  # after the recorded actions
    offered = action(first, DISCOVERABLE)
    assert offered["capability"] == "webauthn-get"
    assert [f["name"] for f in offered["fields"]] == ["credentialRequestOptions", "credential"]
    options = json.loads(default(first, DISCOVERABLE, "credentialRequestOptions"))
    assert options["allowCredentials"] == []
    assert options["rpId"] == backend.settings.rp_id
    assert (
        options["challenge"]
        != json.loads(default(second, DISCOVERABLE, "credentialRequestOptions"))["challenge"]
    )


async def test_basic_mode_and_passkeys_off_do_not_offer_it(make_backend: MakeBackend) -> None:
    for backend in (make_backend(mode="basic"), make_backend(passkeys=False)):
        async with RpcClient(backend) as client:
            state = await client.get()
            assert DISCOVERABLE not in action_names(state)
            refused = await client.set(DISCOVERABLE, credential="{}")
            assert refused.get("error", "").startswith("Unknown action")


async def test_a_discoverable_passkey_signs_its_owner_in_without_a_username(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend()
    alice, bob = SoftAuthenticator(), SoftAuthenticator()
    async with RpcClient(backend) as client:
        await _account_with_passkey(backend, client, "alice", alice)
        await _account_with_passkey(backend, client, "bob", bob)
        clock.advance(60)
        state = await _discoverable(client, bob)
        assert state["state"] == "signedIn", state
        assert state["user"]["username"] == "bob"
        stored = backend._parts.passkeys.get(bob.id)
        assert stored is not None and stored.sign_count == bob.sign_count == 1
        assert stored.last_used_at == clock()
        assert backend._parts.passkeys.get(alice.id).last_used_at is None  # type: ignore[union-attr]


async def test_an_unknown_passkey_gets_the_generic_answer_and_spends_the_budget(
    make_backend: MakeBackend,
) -> None:
    backend = make_backend()
    stranger = SoftAuthenticator()
    stranger.user_handle = b"some-sub"
    async with RpcClient(backend) as client:
        state = await _discoverable(client, stranger)
        assert state["state"] == "signedOut"
        assert state["errorName"] == "WebAuthnCredentialNotSupportedException"
        assert DISCOVERABLE in action_names(state)  # fresh options to try again with
        assert (await client.get())["state"] == "signedOut"
    with backend._parts.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM failures").fetchone()[0] >= 1


async def test_a_user_handle_naming_another_account_is_refused(make_backend: MakeBackend) -> None:
    backend = make_backend()
    mallory = SoftAuthenticator()
    async with RpcClient(backend) as client:
        await _account_with_passkey(backend, client, "mallory", mallory)
        await _account_with_passkey(backend, client, "victor", SoftAuthenticator())
        victor = backend._parts.users.find("victor", ("username",))
        mallory.user_handle = victor.sub.encode()  # type: ignore[union-attr]
        state = await _discoverable(client, mallory)
        assert state["state"] == "signedOut"
        assert state["errorName"] == "WebAuthnCredentialNotSupportedException"


async def test_a_replayed_or_foreign_challenge_is_refused(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend()
    device = SoftAuthenticator()
    async with RpcClient(backend) as client:
        await _account_with_passkey(backend, client, "rhea", device)
        options = default(await client.get(), DISCOVERABLE, "credentialRequestOptions")
        assertion = device.get(options)
        assert (await client.set(DISCOVERABLE, credential=assertion))["state"] == "signedIn"
        await client.set("signOut")
        replayed = await client.set(DISCOVERABLE, credential=assertion)
        assert replayed["state"] == "signedOut" and replayed["error"], replayed
        made_up = dict(json.loads(options), challenge=b64url(b"x" * 40))
        state = await client.set(DISCOVERABLE, credential=device.get(json.dumps(made_up)))
        assert state["state"] == "signedOut" and state["errorName"] == "NotAuthorizedException"
        clock.advance(11 * 60)  # past the challenge's lifetime
        stale = await client.set(DISCOVERABLE, credential=device.get(options))
        assert stale["state"] == "signedOut" and stale["errorName"] == "NotAuthorizedException"


async def test_a_discoverable_passkey_without_user_verification_does_not_bypass_mfa(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend(mfa="optional")
    backend.add_user("uma", STRONG, temporary=False)
    device = SoftAuthenticator()
    async with RpcClient(backend) as client:
        await client.set("signIn", username="uma", password=STRONG)
        _, state = await enroll_totp(client, clock)
        assert "error" not in state
        await _register(client, device)
        await client.set("signOut")
        clock.advance(60)
        device.user_verification = False  # a stolen security key, no PIN
        state = await _discoverable(client, device)
        assert state["state"] == "confirmingSignIn", state
        assert default(state, "confirmSignIn", "challenge") == "code"  # the second factor is asked for
        assert (await client.get())["state"] == "signedOut"
        device.user_verification = True
        state = await _discoverable(client, device)
        assert state["state"] == "signedIn", state


async def test_mfa_required_asks_the_authenticator_to_verify_the_person(make_backend: MakeBackend) -> None:
    backend = make_backend(mfa="required")
    async with RpcClient(backend) as client:
        options = json.loads(default(await client.get(), DISCOVERABLE, "credentialRequestOptions"))
    assert options["userVerification"] == "required"


async def test_registration_asks_for_a_discoverable_credential(make_backend: MakeBackend) -> None:
    backend = make_backend()
    backend.add_user("dora", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="dora", password=STRONG)
        state = await client.set("startPasskeyRegistration")
    options = json.loads(default(state, "completePasskeyRegistration", "credentialCreationOptions"))
    assert options["authenticatorSelection"]["residentKey"] in ("required", "preferred")
    user = backend._parts.users.find("dora", ("username",))
    assert user is not None and unb64url(options["user"]["id"]) == user.sub.encode()  # the user handle


async def test_a_passkey_is_named_after_its_provider_with_its_dates(
    make_backend: MakeBackend, clock: FakeClock
) -> None:
    backend = make_backend()
    keychain, unknown = SoftAuthenticator(aaguid=ICLOUD.bytes), SoftAuthenticator()
    backend.add_user("nia", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="nia", password=STRONG)
        await _register(client, keychain)
        state = await _register(client, unknown)
        named, unnamed = _passkey_info(state, keychain.id), _passkey_info(state, unknown.id)
        assert named["name"] == "iCloud Keychain"
        assert "name" not in unnamed  # an all-zero AAGUID names nobody
        assert named["createdAt"].startswith("2027-01-15T")  # FakeClock's start, in UTC
        assert "lastUsedAt" not in named
        await client.set("signOut")
        clock.advance(86_400)
        await _discoverable(client, keychain)
        info = _passkey_info(await client.set("listPasskeys"), keychain.id)
        assert info["lastUsedAt"].startswith("2027-01-16T")
    assert backend._parts.passkeys.get(keychain.id).aaguid == str(ICLOUD)  # type: ignore[union-attr]


def test_the_provider_table_knows_the_main_providers_and_nothing_else() -> None:
    assert provider_name("EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4") == "Google Password Manager"
    assert provider_name("08987058-cadc-4b81-b6e1-30de50dcbe96") == "Windows Hello"
    assert provider_name("00000000-0000-0000-0000-000000000000") is None
    assert provider_name(str(uuid.uuid4())) is None
    assert provider_name(None) is None


async def test_a_passkey_can_be_renamed_by_its_owner(make_backend: MakeBackend) -> None:
    backend = make_backend()
    device = SoftAuthenticator(aaguid=ICLOUD.bytes)
    backend.add_user("omar", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="omar", password=STRONG)
        state = await _register(client, device)
        rename = next(a for a in state["actions"] if a["name"] == "renamePasskey")
        assert [f["name"] for f in rename["fields"]] == ["credentialId", "name"]
        assert rename["fields"][1]["defaultValue"] == "iCloud Keychain"
        state = await client.set("renamePasskey", credentialId=device.id, name="  <b>Work laptop</b> ")
        assert "error" not in state, state
        assert _passkey_info(state, device.id)["name"] == "<b>Work laptop</b>"  # plain text, kept as typed


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "evil\u202enaming", "two\nlines", "bell\x07"])
async def test_a_passkey_name_must_be_short_plain_text(make_backend: MakeBackend, name: str) -> None:
    backend = make_backend()
    device = SoftAuthenticator()
    backend.add_user("pia", STRONG, temporary=False)
    async with RpcClient(backend) as client:
        await client.set("signIn", username="pia", password=STRONG)
        await _register(client, device)
        state = await client.set("renamePasskey", credentialId=device.id, name=name)
    assert state["errorName"] == "InvalidParameterException", state
    assert backend._parts.passkeys.get(device.id).name is None  # type: ignore[union-attr]


def test_names_keep_ordinary_text_of_any_script() -> None:
    assert checked_name(" Téléphone de Zoë 📱 ") == "Téléphone de Zoë 📱"
    assert checked_name("مفتاح العمل") == "مفتاح العمل"
    with pytest.raises(AuthError):
        checked_name("zero\u200bwidth")


async def test_renaming_another_accounts_passkey_is_refused(make_backend: MakeBackend) -> None:
    backend = make_backend()
    victim_device = SoftAuthenticator()
    async with RpcClient(backend) as victim, RpcClient(backend, address="203.0.113.66") as attacker:
        await _account_with_passkey(backend, victim, "vera", victim_device)
        backend.add_user("eve", STRONG, temporary=False)
        await attacker.set("signIn", username="eve", password=STRONG)
        state = await attacker.set("renamePasskey", credentialId=victim_device.id, name="pwned")
        assert state.get("errorName"), state
        assert "pwned" not in json.dumps(state)
    async with RpcClient(backend) as nobody:
        signed_out = await nobody.set("renamePasskey", credentialId=victim_device.id, name="pwned")
        assert signed_out["state"] == "signedOut" and signed_out.get("error")
    assert backend._parts.passkeys.get(victim_device.id).name is None  # type: ignore[union-attr]
