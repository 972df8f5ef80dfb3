"""Every WebAuthn error name gets a readable message (issue 12, item 5)."""

from __future__ import annotations

import pytest
from nicegui_authenticator.state_machine import Msg, Submit, WebAuthnFailed
from nicegui_authenticator.state_machine.messages import ENGLISH, WEBAUTHN_ERROR_KEYS
from sm_support import action, hidden, started, state

REGISTER = state(
    "signedIn",
    action(
        "completePasskeyRegistration",
        "Register passkey",
        hidden("credentialCreationOptions", "{}"),
        hidden("credential", ""),
        capability="webauthn-create",
    ),
    user={"userId": "a-1", "username": "ann"},
)


def failed(reason: str, detail: str) -> Msg | object:
    machine, _ = started(REGISTER).handle(Submit({}))
    machine, _ = machine.handle(WebAuthnFailed(reason, detail))  # type: ignore[arg-type]
    return machine.screen.error


def test_a_second_passkey_on_the_same_device_says_so() -> None:
    assert failed("failed", "InvalidStateError: The authenticator was previously registered") == Msg(
        "error.webauthn.InvalidStateError"
    )
    assert (
        ENGLISH["error.webauthn.InvalidStateError"] == "This device already has a passkey for this account."
    )


@pytest.mark.parametrize("name", sorted(WEBAUTHN_ERROR_KEYS))
def test_every_named_error_has_english_words(name: str) -> None:
    assert WEBAUTHN_ERROR_KEYS[name] in ENGLISH
    reason = "unavailable" if name in ("NotSupportedError", "SecurityError") else "failed"
    assert failed(reason, f"{name}: detail") == Msg(WEBAUTHN_ERROR_KEYS[name])


def test_a_cancelled_ceremony_and_an_unknown_name_keep_their_messages() -> None:
    assert failed("cancelled", "NotAllowedError: timed out or not allowed") == Msg("error.passkey_cancelled")
    error = failed("failed", "WeirdError: something")
    assert isinstance(error, Msg) and error.key == "error.passkey_failed"
