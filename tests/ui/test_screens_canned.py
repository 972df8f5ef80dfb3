"""Screens and shell behaviour that need a staged server: canned states and fake APIs.

Hostile strings, unknown states, federated buttons, failing and blocking
transports cannot be produced by the reference backend on demand, so these
tests give the Authenticator an ``InProcessApi`` around a small fake.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from nicegui_authenticator.client import InProcessApi, TransportError
from nicegui_authenticator.state_machine import Retry
from nicegui_authenticator.ui.components import browser_port as browser_port_module
from nicegui_authenticator.ui.components.authenticator import Authenticator
from test_authenticator_support import (
    CANNED,
    HOSTILE,
    TOTP_SECRET,
    BlockingApi,
    CannedBackend,
    FailingApi,
    FakeBackend,
    element_in,
    eventually,
    fill,
    find_in,
    root,
    signed_in,
    signed_out,
    submit,
    text_of,
    wait_for_screen,
)


def page_with(api: Any, **options: Any) -> None:
    @ui.page("/")
    def page() -> None:
        Authenticator(api, **options)


async def test_every_canned_screen_renders_with_its_hooks(user: User) -> None:
    expected = {
        "confirm_code": "confirm_code",
        "select_mfa": "select_mfa",
        "select_mfa_setup": "select_mfa_setup",
        "select_first_factor": "select_first_factor",
        "setup_totp": "setup_totp",
        "setup_email": "setup_email",
        "new_password": "new_password",
        "enter_password": "enter_password",
        "passkey_assert": "passkey_assert",
        "passkey_register": "passkey_register",
        "passkey_manage": "passkey_manage",
        "signed_in": "signed_in",
        "generic": "generic",
    }
    for key, screen in expected.items():
        page_with(InProcessApi(CannedBackend(CANNED[key])))
        await user.open("/")
        await wait_for_screen(user, screen)
        await user.should_see(marker="authenticator-heading")
        await user.should_not_see(marker="authenticator-error")
        for action in {a["name"] for a in CANNED[key]["actions"]}:
            await user.should_see(marker=f"authenticator-action-{action}")


async def test_hidden_fields_are_real_hidden_inputs_with_hooks(user: User) -> None:
    page_with(InProcessApi(CannedBackend(CANNED["confirm_code"])))
    await user.open("/")
    await wait_for_screen(user, "confirm_code")
    session = element_in(user, "confirmSignIn", "authenticator-session")
    assert (session.tag, session.props["type"], session.props["value"]) == ("input", "hidden", "S3ss")
    code = element_in(user, "confirmSignIn", "authenticator-code")
    assert code.props["inputmode"] == "numeric"
    assert code.props["autocomplete"] == "one-time-code"
    assert code.props["autofocus"] is True
    await user.should_see("We sent a code to a***@e***.com.")


async def test_first_factor_choice_names_and_submit(user: User) -> None:
    backend = CannedBackend(CANNED["select_first_factor"])
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "select_first_factor")
    labels = [
        element_in(user, "confirmSignIn", f"authenticator-firstFactor-{v}").props["label"]
        for v in ("PASSWORD", "EMAIL_OTP", "WEB_AUTHN")
    ]
    assert labels == ["Password", "Email code", "Passkey"]
    user.find(marker="authenticator-firstFactor-WEB_AUTHN").click()
    await submit(user, "confirmSignIn")
    await eventually(lambda: bool(backend.calls))
    assert backend.calls[-1] == {
        "action": "confirmSignIn",
        "session": "S3ss",
        "challenge": "firstFactor",
        "firstFactor": "WEB_AUTHN",
    }


async def test_hostile_server_strings_are_text(user: User) -> None:
    page_with(InProcessApi(CannedBackend(CANNED["hostile"])))
    await user.open("/")
    await wait_for_screen(user, "generic")
    assert text_of(user, "authenticator-error") == HOSTILE
    button = element_in(user, "evil", "authenticator-submit")
    field = element_in(user, "evil", "authenticator-x")
    assert button.props["label"] == HOSTILE  # a prop Vue renders as text
    assert field.props["label"] == HOSTILE
    assert field.value == HOSTILE
    assert not [e for e in user.current_layout.descendants() if isinstance(e, ui.html | ui.markdown)]


async def test_federated_button_submits_a_real_form(user: User) -> None:
    posted: list[str] = []
    user.javascript_rules[
        re.compile(r'(?s).*m\.submitForm\("https://accounts\.example\.com/o/auth", "GET"')
    ] = lambda m: posted.append(m.group(0)) or True
    page_with(InProcessApi(CannedBackend(CANNED["federated"])))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    button = element_in(user, "signIn:google", "authenticator-submit")
    assert button.props["label"] == "Sign in with Google"
    await submit(user, "signIn:google")
    await eventually(lambda: bool(posted))


async def test_federated_javascript_url_is_refused(user: User) -> None:
    state = dict(CANNED["federated"])
    state["actions"] = [
        *state["actions"][:-1],
        {"name": "signIn:evil", "label": "Evil", "url": "javascript:alert(1)"},
    ]
    sent: list[str] = []
    user.javascript_rules[re.compile(r"(?s).*submitForm")] = lambda m: sent.append(m.group(0))
    page_with(InProcessApi(CannedBackend(state)))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    await submit(user, "signIn:evil")
    await user.should_see("This sign-in option is not available.")
    assert not sent


async def test_transport_failure_keeps_values_and_offers_retry(user: User) -> None:
    api = FailingApi(FakeBackend())
    page_with(api)
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    await fill(user, "signIn", {"username": "alice", "password": "Passw0rd!"})
    await submit(user, "signIn")
    await user.should_see(marker="authenticator-retry")
    assert text_of(user, "authenticator-error").startswith("We could not reach the sign-in service.")
    assert element_in(user, "signIn", "authenticator-username").value == "alice"
    assert element_in(user, "signIn", "authenticator-password").value == "Passw0rd!"
    api.failing = False
    user.find(marker="authenticator-retry").click()
    await wait_for_screen(user, "signed_in")


async def test_retriable_wrong_code_keeps_the_form(user: User) -> None:
    backend = FakeBackend()
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    user.find(marker="authenticator-tab-signUp").click()
    await wait_for_screen(user, "sign_up")
    values = {"username": "zoe", "password": "Passw0rd!", "confirmPassword": "Passw0rd!", "email": "z@x.io"}
    await fill(user, "signUp", values)
    await submit(user, "signUp")
    await wait_for_screen(user, "confirm_sign_up")
    await fill(user, "confirmSignUp", {"code": "000000"})
    await submit(user, "confirmSignUp")
    await user.should_see(marker="authenticator-error")
    await wait_for_screen(user, "confirm_sign_up")
    code = element_in(user, "confirmSignUp", "authenticator-code")
    assert code.value == "000000"
    assert code.error == "The code is not correct. Try again."


async def test_pending_disables_the_form_and_blocks_double_submit(user: User) -> None:
    backend = FakeBackend()
    api = BlockingApi(backend)
    page_with(api)
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    await fill(user, "signIn", {"username": "alice", "password": "Passw0rd!"})
    await submit(user, "signIn")
    await asyncio.wait_for(api.entered.wait(), 2)
    button = element_in(user, "signIn", "authenticator-submit")
    username = element_in(user, "signIn", "authenticator-username")
    assert button.props.get("loading") is True
    assert not username.enabled
    find_in(user, "signIn", "authenticator-submit").trigger("click")  # a second click while in flight
    username.props.pop("disable", None)
    find_in(user, "signIn", "authenticator-password").trigger("keydown.enter")
    api.release.set()
    await wait_for_screen(user, "signed_in")
    assert [c["action"] for c in backend.calls] == ["signIn"]


async def test_enter_submits(user: User) -> None:
    backend = FakeBackend()
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    await fill(user, "signIn", {"username": "alice", "password": "Passw0rd!"})
    find_in(user, "signIn", "authenticator-password").trigger("keydown.enter")
    await wait_for_screen(user, "signed_in")


async def test_client_side_validation_shows_field_errors(user: User) -> None:
    backend = FakeBackend()
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    user.find(marker="authenticator-tab-signUp").click()
    await wait_for_screen(user, "sign_up")
    await user.should_see(marker="authenticator-password-rules")
    await fill(user, "signUp", {"username": "zoe", "password": "short", "email": "not-an-email"})
    await submit(user, "signUp")
    await asyncio.sleep(0.05)
    assert element_in(user, "signUp", "authenticator-password").error == "At least 8 characters"
    assert element_in(user, "signUp", "authenticator-email").error == "Enter a valid email address."
    assert element_in(user, "signUp", "authenticator-username").value == "zoe"
    assert backend.calls == []


async def test_passkey_manage_deletes_the_chosen_passkey(user: User) -> None:
    backend = CannedBackend(CANNED["passkey_manage"])
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "passkey_manage")
    await user.should_see("cred-77…")
    await user.should_see(marker="authenticator-action-startPasskeyRegistration")
    wrappers = sorted(user.find(marker="authenticator-action-deletePasskey").elements, key=lambda e: e.id)
    assert len(wrappers) == 2
    buttons = [next(e for e in w.descendants() if isinstance(e, ui.button)) for w in wrappers]
    # Each row: the passkey's name as text, a compact "Delete" (not the server's whole label).
    labels = sorted(user.find(ui.label).elements, key=lambda e: e.id)
    names = [label.text for label in labels if "na-passkey-name" in label.classes]
    assert names == ["cred-2e…", "cred-77…"]
    assert [b.text for b in buttons] == ["Delete", "Delete"]
    assert [b.props["aria-label"] for b in buttons] == ["Delete passkey cred-2e…", "Delete passkey cred-77…"]
    second = buttons[1]
    UserInteraction(user, {second}, None).click()
    # Removing a passkey asks first (issue 12, item 8); nothing is sent before the yes.
    await user.should_see(marker="authenticator-confirm-yes")
    assert not any(call.get("action") == "deletePasskey" for call in backend.calls)
    user.find(marker="authenticator-confirm-yes").click()
    await eventually(lambda: bool(backend.calls))
    assert backend.calls[-1] == {"action": "deletePasskey", "credentialId": "cred-77aa01b2c3d4"}


_KEYCHAIN = {"credentialId": "cred-2e33eab406ef"}
_NAMED_PASSKEYS = signed_in(
    "alice",
    {
        "name": "deletePasskey",
        "label": "Delete passkey cred-2e…",
        "fields": [{"name": "credentialId", "type": "hidden", "defaultValue": _KEYCHAIN["credentialId"]}],
        "passkey": {
            "name": "iCloud Keychain",
            "createdAt": "2026-11-29T22:30:00.000Z",
            "lastUsedAt": "2026-12-01T08:00:00.000Z",
        },
    },
    {
        "name": "renamePasskey",
        "label": "Rename passkey cred-2e…",
        "fields": [
            {"name": "credentialId", "type": "hidden", "defaultValue": _KEYCHAIN["credentialId"]},
            {
                "name": "name",
                "label": "Name",
                "type": "text",
                "required": True,
                "defaultValue": "iCloud Keychain",
            },
        ],
    },
)


async def test_passkey_manage_names_dates_and_renames_a_passkey(user: User) -> None:
    backend = CannedBackend(_NAMED_PASSKEYS)
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "passkey_manage")
    await user.should_see("iCloud Keychain")
    await user.should_see("Created Nov 29, 2026 · Last used Dec 1, 2026")
    opener = user.find(marker="authenticator-passkey-rename")
    (button,) = opener.elements
    assert button.props["aria-label"] == "Rename passkey iCloud Keychain"
    await user.should_not_see(marker="authenticator-action-renamePasskey")  # it opens on demand
    opener.click()
    await user.should_see(marker="authenticator-action-renamePasskey")
    (save,) = find_in(user, "renamePasskey", "authenticator-submit").elements
    assert save.text == "Save name"
    assert button.props["aria-expanded"] == "true"
    await fill(user, "renamePasskey", {"name": "Work laptop"})
    await submit(user, "renamePasskey")
    await eventually(lambda: bool(backend.calls))
    assert backend.calls[-1] == {"action": "renamePasskey", **_KEYCHAIN, "name": "Work laptop"}


class DownApi:
    """Every call fails to connect until ``up`` is set."""

    def __init__(self, backend: object) -> None:
        self.inner = InProcessApi(backend)
        self.up = False

    async def get_auth_state(self) -> Any:
        if not self.up:
            raise TransportError("connection refused", kind="connect")
        return await self.inner.get_auth_state()

    async def set_auth_state(self, payload: Any) -> Any:
        return await self.inner.set_auth_state(payload)


async def test_unreachable_server_on_load_offers_retry(user: User) -> None:
    api = DownApi(FakeBackend())
    page_with(api)
    await user.open("/")
    await user.should_see(marker="authenticator-retry")
    await wait_for_screen(user, "loading")
    assert text_of(user, "authenticator-error").startswith("We could not reach the sign-in service.")
    api.up = True
    user.find(marker="authenticator-retry").click()
    await wait_for_screen(user, "sign_in")
    await user.should_not_see(marker="authenticator-error")


async def test_sign_in_hooks_tabs_and_links(user: User) -> None:
    state = signed_out(
        {
            "name": "signInWithPasskey",
            "label": "Sign in with passkey",
            "fields": [{"name": "username", "label": "Username", "type": "text", "required": True}],
        }
    )
    page_with(InProcessApi(CannedBackend(state)))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    for hook in (
        "authenticator",
        "authenticator-heading",
        "authenticator-tab-signIn",
        "authenticator-tab-signUp",
        "authenticator-link-forgotPassword",
        "authenticator-link-passkeySignIn",
        "authenticator-action-signIn",
    ):
        await user.should_see(marker=hook)
    assert find_in(user, "signIn", "authenticator-password").elements
    user.find(marker="authenticator-link-passkeySignIn").click()
    await wait_for_screen(user, "passkey_sign_in")
    user.find(marker="authenticator-link-backToSignIn").click()
    await wait_for_screen(user, "sign_in")


async def test_setup_totp_secret_in_blocks_copied_without_spaces(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []

    async def fake_copy(_client: object, text: str) -> bool:
        copied.append(text)
        return True

    monkeypatch.setattr(browser_port_module, "copy_to_clipboard", fake_copy)
    page_with(InProcessApi(CannedBackend(CANNED["setup_totp"])))
    await user.open("/")
    await wait_for_screen(user, "setup_totp")
    shown = text_of(user, "authenticator-totp-secret")
    blocks = shown.split(" ")
    assert all(len(b) == 4 for b in blocks[:-1]) and 1 <= len(blocks[-1]) <= 4, shown
    assert "".join(blocks) == TOTP_SECRET
    user.find(marker="authenticator-totp-copy").click()
    await eventually(lambda: bool(copied))
    assert copied == [TOTP_SECRET]


async def test_account_actions_with_inputs_are_captioned_sub_forms(user: User) -> None:
    page_with(InProcessApi(CannedBackend(CANNED["signed_in"])))
    await user.open("/")
    await wait_for_screen(user, "signed_in")
    # Field-less actions stay plain buttons, outside any sub-form.
    for action in ("startPasskeyRegistration", "listPasskeys"):
        await user.should_not_see(marker=f"authenticator-subform-{action}")
        await user.should_see(marker=f"authenticator-action-{action}")
    # The action with an input sits in a section titled by its label, with its button.
    (section,) = user.find(marker="authenticator-subform-changeNickname").elements
    titles = [e for e in section.descendants() if "na-subform-title" in e.classes]
    assert [getattr(t, "text", "") for t in titles] == ["Change nickname"]
    assert section.props["aria-labelledby"] == titles[0].props["id"]
    (form,) = user.find(marker="authenticator-action-changeNickname").elements
    assert form in section.descendants()
    assert any(e.props.get("data-testid") == "authenticator-nickname" for e in form.descendants())


async def test_account_sub_form_shows_its_own_field_errors(user: User) -> None:
    backend = CannedBackend(CANNED["signed_in"])
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "signed_in")
    await submit(user, "changeNickname")  # the nickname is required and empty
    await eventually(lambda: element_in(user, "changeNickname", "authenticator-nickname").error is not None)
    assert element_in(user, "changeNickname", "authenticator-nickname").error == "This field is required."
    assert all(call["action"] != "changeNickname" for call in backend.calls)


async def test_retry_sits_in_the_error_banner_unwrapped(user: User) -> None:
    page_with(DownApi(FakeBackend()))
    await user.open("/")
    await user.should_see(marker="authenticator-retry")
    (retry,) = user.find(marker="authenticator-retry").elements
    assert "na-retry" in retry.classes  # the stylesheet keeps it on one line (white-space: nowrap)


async def test_a_stale_widget_event_is_dropped_and_logged_as_the_runner_rule_says(
    user: User, caplog: pytest.LogCaptureFixture
) -> None:
    """The element offers its events to the shared runner (client/driver.py): one the
    machine refuses (a Retry button from an error screen that is gone) is logged and
    changes nothing, where the headless shell raises it to its caller."""
    backend = FakeBackend()
    page_with(InProcessApi(backend))
    await user.open("/")
    await wait_for_screen(user, "sign_in")
    element = root(user)
    assert isinstance(element, Authenticator)
    before = element.machine
    with caplog.at_level(logging.DEBUG, logger="nicegui_authenticator.client.driver"):
        await element._dispatch(Retry())
    assert element.machine is before and element.props["data-screen"] == "sign_in"
    assert any(
        "dropped Retry" in r.getMessage() and "nothing to retry" in r.getMessage() for r in caplog.records
    )
    assert backend.calls == []
