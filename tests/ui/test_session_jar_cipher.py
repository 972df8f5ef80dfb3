"""Cookie jars in NiceGUI's storage are sealed: a copied storage file holds no usable session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from nicegui_authenticator.client import AuthClient
from nicegui_authenticator.ui.session.browser_session import BrowserSessionApi
from nicegui_authenticator.ui.session.jar_cipher import PREVIOUS_SECRETS_ENV, JarCipher, cipher_for
from test_account_menu_support import PASSWORD, account, reference_backend

JAR = {
    "cookies": [{"name": "auth_session", "value": "bearer-token-value", "domain": "localhost", "path": "/"}]
}


def test_a_sealed_jar_opens_only_with_the_secret() -> None:
    sealed = JarCipher("secret-one").seal(JAR)
    assert "bearer-token-value" not in sealed
    assert JarCipher("secret-one").open(sealed) == JAR
    assert JarCipher("another-secret").open(sealed) is None
    assert JarCipher("secret-one").open(sealed[:-4] + "AAAA") is None  # tampered
    assert JarCipher("secret-one").open("not a token") is None


def test_rotation_opens_old_jars_and_seals_new_ones_under_the_new_secret() -> None:
    old_jar = JarCipher("old-secret").seal(JAR)
    rotated = cipher_for("new-secret", {PREVIOUS_SECRETS_ENV: "older-secret, old-secret"})
    assert rotated is not None and rotated.open(old_jar) == JAR
    fresh = rotated.seal(JAR)
    assert JarCipher("new-secret").open(fresh) == JAR
    assert JarCipher("old-secret").open(fresh) is None
    assert cipher_for(None, {}) is None


async def test_a_browser_session_is_stored_sealed_and_survives_only_with_the_key(tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "sealed-sam")
    client = AuthClient(
        "http://127.0.0.1/aws-blocks/api", transport=httpx.ASGITransport(app=backend.asgi_app)
    )
    store: dict[str, Any] = {}
    try:
        api = BrowserSessionApi(client, store, "jar", cipher=JarCipher("storage-secret"))
        state = await api.set_auth_state({"action": "signIn", "username": name, "password": PASSWORD})
        assert state.state == "signedIn"
        (sealed,) = store.values()
        assert isinstance(sealed, str) and "auth_session" not in sealed
        again = BrowserSessionApi(client, store, "jar", cipher=JarCipher("storage-secret"))
        assert (await again.get_auth_state()).state == "signedIn"
        stranger = BrowserSessionApi(client, dict(store), "jar", cipher=JarCipher("someone-elses-secret"))
        assert (await stranger.get_auth_state()).state == "signedOut"
        # A jar written before encryption (plain JSON) is still read, and sealed on the next write.
        plain: dict[str, Any] = {}
        await BrowserSessionApi(client, plain, "jar").set_auth_state(
            {"action": "signIn", "username": name, "password": PASSWORD}
        )
        assert isinstance(plain["jar"], dict)
        upgraded = BrowserSessionApi(client, plain, "jar", cipher=JarCipher("storage-secret"))
        assert (await upgraded.get_auth_state()).state == "signedIn"
        assert isinstance(plain["jar"], str)
    finally:
        await client.aclose()
        backend.close()
