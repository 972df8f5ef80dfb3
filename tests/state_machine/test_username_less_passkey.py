"""The username-less passkey sign-in and the named passkey list, in the pure core (issue 12, item 5)."""

from __future__ import annotations

from datetime import UTC, datetime

from nicegui_authenticator.state_machine import (
    CallSetAuthState,
    FormRole,
    PasskeyAutofilled,
    RunWebAuthn,
    ScreenName,
    ServerReplied,
    Submit,
    WebAuthnResult,
    format_day,
    translate,
)
from nicegui_authenticator.state_machine.catalogs import catalog_for
from nicegui_authenticator.state_machine.messages import msg
from nicegui_authenticator.state_machine.passkey_info import passkey_info
from nicegui_authenticator.state_machine.protocol import AuthAction
from sm_support import action, field, hidden, started, state

OPTIONS = '{"challenge":"Y2hhbGxlbmdl","rpId":"localhost","allowCredentials":[]}'
SIGN_IN = action("signIn", "Sign In", field("username", "Username"), field("password", type="password"))
BY_USERNAME = action("signInWithPasskey", "Sign in with passkey", field("username", "Username"))
USERNAME_LESS = action(
    "signInWithDiscoverablePasskey",
    "Sign in with a passkey",
    hidden("credentialRequestOptions", OPTIONS),
    hidden("credential", None),
    capability="webauthn-get",
)
OFFERED = state("signedOut", SIGN_IN, BY_USERNAME, USERNAME_LESS)
RECORDED = state("signedOut", SIGN_IN, BY_USERNAME)
SIGNED_IN = state("signedIn", action("signOut", "Sign Out"), user={"userId": "k", "username": "kim"})


def test_sign_in_offers_the_button_and_autofill_only_when_the_server_does() -> None:
    screen = started(OFFERED).screen
    form = screen.username_less_passkey
    assert screen.name is ScreenName.SIGN_IN and form is not None
    assert form.role is FormRole.SECONDARY and translate(form.label) == "Sign in with a passkey"
    username = screen.primary.field("username") if screen.primary else None
    assert username is not None and username.autocomplete == "username webauthn"
    link = next(link for link in screen.links if link.hook == "passkeySignIn")
    assert translate(link.label) == "Use a passkey with your username"  # the username flow stays

    recorded = started(RECORDED).screen
    assert recorded.username_less_passkey is None
    username = recorded.primary.field("username") if recorded.primary else None
    assert username is not None and username.autocomplete == "username"
    assert translate(next(link.label for link in recorded.links if link.hook == "passkeySignIn")) == (
        "Sign in with a passkey"
    )


def test_the_button_runs_the_modal_ceremony_with_the_servers_options() -> None:
    machine, effects = started(OFFERED).handle(Submit(action="signInWithDiscoverablePasskey"))
    assert effects == (RunWebAuthn("get", OPTIONS, "signInWithDiscoverablePasskey"),)
    machine, effects = machine.handle(WebAuthnResult('{"id":"abc"}'))
    assert effects == (
        CallSetAuthState(
            {
                "action": "signInWithDiscoverablePasskey",
                "credentialRequestOptions": OPTIONS,
                "credential": '{"id":"abc"}',
            }
        ),
    )
    machine, _ = machine.handle(ServerReplied(SIGNED_IN))
    assert machine.user is not None and machine.user.username == "kim"


def test_a_passkey_picked_from_the_autofill_is_sent_at_once() -> None:
    machine, effects = started(OFFERED).handle(PasskeyAutofilled('{"id":"abc"}'))
    assert effects == (
        CallSetAuthState(
            {
                "action": "signInWithDiscoverablePasskey",
                "credentialRequestOptions": OPTIONS,
                "credential": '{"id":"abc"}',
            }
        ),
    )
    # A second pick while the first is in flight changes nothing.
    again, more = machine.handle(PasskeyAutofilled('{"id":"def"}'))
    assert more == () and again == machine


def test_a_refused_passkey_stays_on_sign_in_with_what_was_typed() -> None:
    machine, _ = started(OFFERED).handle(Submit(action="signInWithDiscoverablePasskey"))
    machine, _ = machine.handle(WebAuthnResult('{"id":"abc"}'))
    refused = state(
        "signedOut",
        SIGN_IN,
        BY_USERNAME,
        USERNAME_LESS,
        error="Unknown passkey credential",
        errorName="WebAuthnCredentialNotSupportedException",
    )
    machine, _ = machine.handle(ServerReplied(refused))
    assert machine.screen.name is ScreenName.SIGN_IN
    assert machine.screen.error is not None
    assert machine.screen.username_less_passkey is not None  # the fresh options, ready again


def test_the_passkey_key_gives_name_and_dates_leniently() -> None:
    item = AuthAction.model_validate(
        {
            "name": "deletePasskey",
            "label": "Delete passkey abc…",
            "passkey": {
                "name": " iCloud Keychain ",
                "createdAt": "2026-11-29T22:30:00.000Z",
                "lastUsedAt": 7,
            },
        }
    )
    info = passkey_info(item)
    assert info is not None and info.name == "iCloud Keychain"
    assert info.created_at == datetime(2026, 11, 29, 22, 30, tzinfo=UTC)
    assert info.last_used_at is None  # not an instant: unknown
    assert passkey_info(AuthAction.model_validate({"name": "deletePasskey", "passkey": "x"})) is None


def test_dates_are_worded_for_the_language() -> None:
    moment = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)
    assert format_day(moment, "en") == "Nov 29, 2026"
    assert format_day(moment, "de") == "29.11.2026"
    assert format_day(moment, "ja") == "2026/11/29"
    created = translate(msg("passkey.created", date=format_day(moment, "fr")), catalog_for("fr"))
    assert created == "Créée le 29 nov. 2026"
