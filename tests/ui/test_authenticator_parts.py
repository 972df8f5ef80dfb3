"""Unit tests of the Authenticator's building blocks (no page needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nicegui_authenticator.client import CookieSession
from nicegui_authenticator.state_machine import FieldKind, Form, FormField, Raw
from nicegui_authenticator.ui.components.qr import qr_data_url, qr_svg
from nicegui_authenticator.ui.components.screens.passkey_manage import passkey_name, short_credential_id
from nicegui_authenticator.ui.components.screens.setup_totp import compact_secret, grouped_secret
from nicegui_authenticator.ui.session.browser_calls import _ceremony_timeout, module_call, safe_external_url
from nicegui_authenticator.ui.session.browser_session import BrowserSessionApi, storage_key
from test_authenticator_support import cheap_backend, in_process_client


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://accounts.google.com/o/oauth2/auth", True),
        ("http://localhost:9000/login", True),
        ("/auth/start", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example.com/x", False),
        ("https:///nohost", False),
    ],
)
def test_only_http_urls_become_form_actions(url: str, ok: bool) -> None:
    assert safe_external_url(url) is ok


def test_ceremony_timeout_follows_the_options() -> None:
    assert _ceremony_timeout('{"timeout": 60000}') == 90.0
    assert _ceremony_timeout('{"publicKey": {"timeout": 120000}}') == 150.0
    assert _ceremony_timeout("not json") == 300.0
    assert _ceremony_timeout('{"timeout": true}') == 300.0


def test_module_call_arguments_are_json_literals() -> None:
    hostile = '"); alert(1); ("</script>'
    code = module_call("copyText", hostile)
    argument = code.split("m.copyText(", 1)[1].rsplit(");", 1)[0]
    assert json.loads(argument) == hostile


def test_qr_is_our_own_svg() -> None:
    svg = qr_svg("otpauth://totp/App:alice?secret=JBSWY3DPEHPK3PXP&issuer=App")
    assert svg.startswith("<svg") and "<script" not in svg and "otpauth" not in svg
    assert qr_data_url("x").startswith("data:image/svg+xml;base64,")


def _delete_form(server_label: str, credential_id: str | None) -> Form:
    fields = ()
    if credential_id is not None:
        spec = FormField(
            "credentialId", FieldKind.HIDDEN, Raw("Credential ID"), True, credential_id, visible=False
        )
        fields = (spec,)
    return Form("deletePasskey", Raw(server_label), fields, server_label=server_label)


LONG_ID = "EdPqFAIxk2Lm9TzQw8RrYb7vNc3Q9"
SHORT_ID = "EdPqFAIx…c3Q9"


@pytest.mark.parametrize(
    ("server_label", "credential_id", "name"),
    [
        ("Delete passkey gKsUuAe…", LONG_ID, "gKsUuAe…"),  # the reference backend's label
        ("delete passkey  MacBook Touch ID ", LONG_ID, "MacBook Touch ID"),
        ("Remove passkey YubiKey 5", LONG_ID, "YubiKey 5"),
        ("Delete passkey", LONG_ID, SHORT_ID),  # nothing after the prefix
        ("", LONG_ID, SHORT_ID),
        ("Passkey löschen", LONG_ID, SHORT_ID),  # no leading "Delete passkey": the id
        ("", "cred-1", "cred-1"),  # short ids stay whole
        ("Delete passkey", None, ""),  # the screen then says "Passkey"
        ("Delete", None, ""),
        ("Deleted keys", None, "Deleted keys"),
        ("Office key", None, "Office key"),
    ],
)
def test_passkey_name(server_label: str, credential_id: str | None, name: str) -> None:
    assert passkey_name(_delete_form(server_label, credential_id)) == name


def test_short_credential_id_keeps_head_and_tail() -> None:
    assert short_credential_id(LONG_ID) == SHORT_ID
    assert short_credential_id("abcdefghijklmnop") == "abcdefghijklmnop"


@pytest.mark.parametrize(
    ("secret", "grouped"),
    [
        ("64A4CJN2COYXRPR3BVNQWS6EM4R2HN7W", "64A4 CJN2 COYX RPR3 BVNQ WS6E M4R2 HN7W"),
        ("JBSWY3DPEHPK3PXP", "JBSW Y3DP EHPK 3PXP"),
        ("jbsw y3dp ehpk 3pxp", "jbsw y3dp ehpk 3pxp"),  # already grouped by the server
        ("ABCDEFGHIJ", "ABCD EFGH IJ"),
        (" AB\tCD\nEF ", "ABCD EF"),
        ("", ""),
    ],
)
def test_totp_secret_in_blocks_of_four(secret: str, grouped: str) -> None:
    assert grouped_secret(secret) == grouped
    assert compact_secret(grouped) == compact_secret(secret) == grouped.replace(" ", "")


async def test_browser_session_keeps_one_jar_per_browser(tmp_path: Path) -> None:
    backend = cheap_backend(str(tmp_path / "auth.sqlite3"), mfa="off")
    backend.add_user("alice", "Tangerine-Kite-7", temporary=False)
    client = in_process_client(backend)
    try:
        first: dict[str, object] = {}
        second: dict[str, object] = {}
        key = storage_key(client)
        api = BrowserSessionApi(client, first, key)
        state = await api.set_auth_state(
            {"action": "signIn", "username": "alice", "password": "Tangerine-Kite-7"}
        )
        assert state.state == "signedIn"
        assert CookieSession.from_json(first[key]).names()  # type: ignore[arg-type]
        # A reload builds a new api around the same stored jar: still signed in.
        assert (await BrowserSessionApi(client, first, key).get_auth_state()).state == "signedIn"
        # Another browser has its own (empty) jar.
        assert (await BrowserSessionApi(client, second, key).get_auth_state()).state == "signedOut"
        await api.set_auth_state({"action": "signOut"})
        assert (await BrowserSessionApi(client, first, key).get_auth_state()).state == "signedOut"
    finally:
        await client.aclose()
        backend.close()
