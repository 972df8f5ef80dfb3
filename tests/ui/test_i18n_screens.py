"""Every screen in every language: no English left, no key missing, right-to-left where it should be.

Each language gets the Authenticator through the browser's ``Accept-Language``
(so negotiation is exercised too) and walks every screen the canned states and
local navigation reach. Two nets catch a missing translation: every catalog
lookup is recorded and must hit the language's own catalog (a miss would fall
back to English silently), and no text on the page may be an English sentence
that the language words differently.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement
from nicegui.testing import User
from nicegui_authenticator.client import InProcessApi
from nicegui_authenticator.state_machine import ENGLISH
from nicegui_authenticator.state_machine import catalogs as catalogs_module
from nicegui_authenticator.state_machine.languages import SUPPORTED_TAGS, language_for
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import (
    CANNED,
    CannedBackend,
    confirming_sign_up,
    root,
    signed_out,
    wait_for_screen,
)

PASSKEY_SIGN_IN = {
    "name": "signInWithPasskey",
    "label": "Sign in with passkey",
    "fields": [{"name": "username", "label": "Username", "type": "text", "required": True}],
}
SIGNED_OUT = signed_out(PASSKEY_SIGN_IN)
# (screen, server state, test hook to click first)
WALK: list[tuple[str, Mapping[str, Any], str | None]] = [
    ("sign_in", SIGNED_OUT, None),
    ("sign_up", SIGNED_OUT, "authenticator-tab-signUp"),
    ("forgot_password", SIGNED_OUT, "authenticator-link-forgotPassword"),
    ("passkey_sign_in", SIGNED_OUT, "authenticator-link-passkeySignIn"),
    (
        "sign_in",
        signed_out(error="Incorrect username or password.", error_name="NotAuthorizedException"),
        None,
    ),
    ("confirm_sign_up", confirming_sign_up("ada"), None),
    *(
        (name, CANNED[name], None)
        for name in (
            "confirm_code",
            "select_mfa",
            "select_mfa_setup",
            "select_first_factor",
            "setup_totp",
            "setup_email",
            "new_password",
            "enter_password",
            "passkey_assert",
            "passkey_register",
            "passkey_manage",
            "signed_in",
        )
    ),
]
TEXT_PROPS = ("label", "hint", "aria-label", "placeholder", "alt", "title", "error-message")


class RecordingMessages(Mapping[str, Any]):
    """A language's messages that remember every key asked for and not found."""

    def __init__(self, messages: Mapping[str, Any]) -> None:
        self._messages = messages
        self.missing: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        # Optional keys (``subform.<action>.title``) are asked for and absent in English too.
        if key not in self._messages and key in ENGLISH:
            self.missing.add(key)
        return self._messages[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)


def _shown_texts(user: User) -> set[str]:
    """Every string the page shows or announces: element text, labels, hints, options."""
    texts: set[str] = set()
    for element in user.client.elements.values():
        if isinstance(element, TextElement) and element.text:
            texts.add(str(element.text))
        texts.update(str(element.props[name]) for name in TEXT_PROPS if element.props.get(name))
        options = getattr(element, "options", None)
        if isinstance(options, Mapping):
            texts.update(str(label) for label in options.values())
    return texts


def _english_only_patterns(tag: str) -> list[re.Pattern[str]]:
    """English sentences that ``tag`` words differently, placeholders matching anything."""
    translated = catalogs_module.MESSAGES_BY_LANGUAGE[tag]
    patterns = []
    for key, english in ENGLISH.items():
        forms = [english] if isinstance(english, str) else list(english.values())
        theirs = translated.get(key, "")
        their_forms = {theirs} if isinstance(theirs, str) else set(theirs.values())
        for form in forms:
            if form in their_forms:
                continue
            parts = [
                re.escape(literal) + ("(.+?)" if name is not None else "")
                for literal, name, _, _ in string.Formatter().parse(form)
            ]
            patterns.append(re.compile("".join(parts)))
    return patterns


def english_left(texts: set[str], tag: str) -> list[str]:
    """Texts that are English sentences ``tag`` words differently.

    Server words the screens recognise (labels such as "Password", action names)
    are translated too, so nothing on these screens may be left in English.
    """
    patterns = _english_only_patterns(tag)
    return sorted(t for t in texts if any(p.fullmatch(t) for p in patterns))


async def walk_every_screen(user: User, tag: str) -> tuple[set[str], list[str]]:
    """Show every screen of WALK in ``tag``; the keys that missed and the English left on screen."""
    recording = RecordingMessages(catalogs_module.MESSAGES_BY_LANGUAGE[tag])
    backend = CannedBackend(SIGNED_OUT)

    @ui.page("/")
    def page() -> None:
        Authenticator(InProcessApi(backend))

    user.http_client.headers["Accept-Language"] = f"{tag};q=0.9, en;q=0.1"
    left: list[str] = []
    patched = {**catalogs_module.MESSAGES_BY_LANGUAGE, tag: recording}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalogs_module, "MESSAGES_BY_LANGUAGE", patched)
        for screen, state, click in WALK:
            backend.state = dict(state)
            await user.open("/")
            await wait_for_screen(user, screen if click is None else "sign_in")
            if click is not None:
                user.find(marker=click).click()
                await wait_for_screen(user, screen)
            assert root(user).props["lang"] == tag
            assert root(user).props["dir"] == language_for(tag).direction.value
            left += [f"{screen}: {text}" for text in english_left(_shown_texts(user), tag)]
    return recording.missing, left


@pytest.mark.parametrize("tag", SUPPORTED_TAGS)
async def test_every_screen_in_every_language(user: User, tag: str) -> None:
    missing, english = await walk_every_screen(user, tag)
    assert missing == set()
    if tag != "en":
        assert english == []


async def test_the_walk_catches_a_missing_key(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """The nets above can fail: German without two of its keys is caught by both."""
    german = dict(catalogs_module.MESSAGES_BY_LANGUAGE["de"])
    del german["tab.sign_up"], german["field.password"]
    monkeypatch.setattr(
        catalogs_module, "MESSAGES_BY_LANGUAGE", {**catalogs_module.MESSAGES_BY_LANGUAGE, "de": german}
    )
    missing, english = await walk_every_screen(user, "de")
    assert {"tab.sign_up", "field.password"} <= missing
    assert any(line.endswith(": Create Account") for line in english)
    assert any(line.endswith(": Password") for line in english)
