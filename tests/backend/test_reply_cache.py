"""Replies put together from cached bytes (issue 15) are exactly the replies built the slow way.

The cache may never show a revoked session as signed in or an account as it
was before a change, in this process or any other sharing the database.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from backend_support import STRONG, FakeClock, MakeBackend, RpcClient, settings
from nicegui_authenticator.backend import rpc
from nicegui_authenticator.backend.app import ReferenceBackend
from nicegui_authenticator.backend.auth_state_reads import REPLY_COLUMNS
from nicegui_authenticator.backend.components import Components
from nicegui_authenticator.backend.reply_cache import SignedOutReplies
from nicegui_authenticator.backend.states import Replies
from nicegui_authenticator.backend.users import User
from nicegui_authenticator.backend.wire_json import encode, result_body

# Account fields a signed-in reply must not depend on (so they are left out of the cache key),
# each with another value to try.
NOT_IN_REPLY = {
    "password_hash": "scrypt$another",
    "status": "FORCE_CHANGE_PASSWORD",
    "temporary_password_expires_at": 1_900_000_000.0,
    "totp_last_step": 99,
    "preferred_mfa": "EMAIL",
    "totp_secret": "ANOTHERSECRETVALUE",  # only whether there is one counts (the key holds that)
}


@pytest.mark.parametrize("mfa", ["optional", "required"])
def test_signed_out_with_a_passkey_is_the_reply_built_field_by_field(tmp_path: Path, mfa: str) -> None:
    parts = Components.build(settings(tmp_path, mfa=mfa, passkeys=True))
    try:
        required = parts.settings.mfa_mode == "required"
        composed = SignedOutReplies(parts.replies, parts.passkeys, require_user_verification=required)
        for _ in range(3):
            challenge = parts.passkey_challenges.issue(parts.settings.clock())
            options = parts.passkeys.discoverable_options(challenge, require_user_verification=required)
            built = parts.replies.with_discoverable_passkey(parts.replies.signed_out, options)
            reply = composed.with_passkey(challenge)
            assert reply.state == built
            assert reply.json == encode(built.to_wire())
        assert composed.base.json == encode(parts.replies.signed_out.to_wire())
    finally:
        parts.store.close()


@pytest.mark.parametrize("call_id", [1, 0, -7, 2.5, "abc", 'quote " and é \ud800', None])
def test_result_body_is_the_encoded_envelope(call_id: rpc.JsonId) -> None:
    result = {"state": "signedOut", "actions": [], "error": "naïve"}
    assert result_body(encode(result), call_id) == encode(rpc.result_envelope(result, call_id))


@pytest.mark.parametrize("mode", ["basic", "cognito"])
def test_a_signed_in_reply_depends_on_the_key_columns_only(tmp_path: Path, mode: str) -> None:
    mfa = {"mfa": "optional", "mfa_types": ("TOTP", "EMAIL", "SMS")} if mode == "cognito" else {}
    replies = Replies(settings(tmp_path, mode=mode, **mfa))
    user = User(
        id=1,
        sub="sub-1",
        username="ann",
        email="ann@example.com",
        email_verified=True,
        phone="+15555550100",
        phone_verified=True,
        attributes={"name": "Ann"},
        password_hash="scrypt$one",
        status="CONFIRMED",
        temporary_password_expires_at=None,
        created_at=1_800_000_000.0,
        totp_secret="JBSWY3DPEHPK3PXP",
        totp_last_step=1,
        email_mfa=True,
        sms_mfa=False,
        preferred_mfa="TOTP",
        groups=("staff",),
    )
    every_field = {f.name for f in dataclasses.fields(User)}
    # A new account field must be put in the key or shown not to change the reply here.
    assert every_field == set(REPLY_COLUMNS) | set(NOT_IN_REPLY) | {"groups"}
    expected = replies.signed_in(user).to_wire()
    for name, other in NOT_IN_REPLY.items():
        assert replies.signed_in(dataclasses.replace(user, **{name: other})).to_wire() == expected, name


async def test_another_process_revoking_or_changing_the_account_shows_on_the_next_request(
    tmp_path: Path, database: str, clock: FakeClock
) -> None:
    """Two backends on one database (two processes of one deployment): neither answers from stale data."""
    first = ReferenceBackend(settings(tmp_path, db_path=database, clock=clock))
    second = ReferenceBackend(settings(tmp_path, db_path=database, clock=clock))
    try:
        first.add_user("ann", STRONG, temporary=False)
        async with RpcClient(first) as client:
            assert (await client.set("signIn", username="ann", password=STRONG))["state"] == "signedIn"
            for _ in range(2):  # the second answer comes from the cache
                assert (await client.get())["user"]["groups"] == []
            second.add_to_group("ann", "staff")
            assert (await client.get())["user"]["groups"] == ["staff"]
            second.sign_out_everywhere("ann")
            assert (await client.get())["state"] == "signedOut"
            assert client.cookie() is None  # the dead session's cookie is cleared
    finally:
        first.close()
        second.close()


async def test_signed_out_replies_carry_a_fresh_challenge_each(make_backend: MakeBackend) -> None:
    backend = make_backend(passkeys=True)
    async with RpcClient(backend) as client:
        seen = set()
        for _ in range(3):
            reply = await client.get()
            passkey = next(a for a in reply["actions"] if a["name"] == "signInWithDiscoverablePasskey")
            options = json.loads(passkey["fields"][0]["defaultValue"])
            seen.add(options["challenge"])
        assert len(seen) == 3


def test_a_relying_party_id_holding_the_stand_in_gets_replies_built_in_full(tmp_path: Path) -> None:
    """The parts are split around a stand-in challenge; should other text hold it, nothing is split."""
    stand_in = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw"  # base64url of bytes 0..39
    host = f"{stand_in}.example"
    parts = Components.build(settings(tmp_path, passkeys=True, rp_id=host, origins=(f"https://{host}",)))
    try:
        composed = SignedOutReplies(parts.replies, parts.passkeys, require_user_verification=False)
        challenge = parts.passkey_challenges.issue(parts.settings.clock())
        options = parts.passkeys.discoverable_options(challenge, require_user_verification=False)
        built = parts.replies.with_discoverable_passkey(parts.replies.signed_out, options)
        reply = composed.with_passkey(challenge)
        assert reply.state == built
        assert reply.json == encode(built.to_wire())
    finally:
        parts.store.close()
