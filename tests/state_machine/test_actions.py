"""The action table: one row per action, names spelled only in the protocol module."""

from __future__ import annotations

import re
from pathlib import Path

from nicegui_authenticator.state_machine import Phase, ScreenName, Submit, protocol
from nicegui_authenticator.state_machine.actions import (
    ACTIONS,
    LOCAL_SCREENS,
    PRIMARY_OF_SCREEN,
    ActionRole,
    is_item,
    leads_back,
)
from nicegui_authenticator.state_machine.classify import classify
from sm_support import action, field, hidden, started, state

CORE = Path(protocol.__file__).resolve().parent
MANAGED = state(
    "signedIn",
    action("startPasskeyRegistration", "Add passkey"),
    action("deletePasskey", "Delete passkey A", hidden("credentialId", "A")),
    action("deletePasskey", "Delete passkey B", hidden("credentialId", "B")),
    user={"userId": "u", "username": "carol"},
)


def test_one_row_per_action_and_every_name_is_a_protocol_constant() -> None:
    names = [row.name for row in ACTIONS]
    assert len(names) == len(set(names))
    constants = {v for k, v in vars(protocol).items() if k.isupper() and isinstance(v, str)}
    assert set(names) <= constants


def test_no_core_module_but_protocol_spells_an_action_name() -> None:
    names = "|".join(re.escape(row.name) for row in ACTIONS)
    quoted = re.compile(rf"""["']({names})["']""")
    offenders = {
        path.name: quoted.findall(path.read_text())
        for path in CORE.glob("*.py")
        if path.name != "protocol.py"
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_side_tables_are_derived_from_the_rows() -> None:
    assert dict(LOCAL_SCREENS) == {
        ScreenName.SIGN_IN: "signIn",
        ScreenName.SIGN_UP: "signUp",
        ScreenName.FORGOT_PASSWORD: "resetPassword",
        ScreenName.PASSKEY_SIGN_IN: "signInWithPasskey",
    }
    assert PRIMARY_OF_SCREEN[ScreenName.PASSKEY_MANAGE] == "startPasskeyRegistration"
    assert PRIMARY_OF_SCREEN[ScreenName.SIGNED_IN] == "signOut"
    # A screen has at most one primary row (a dict would silently keep the last).
    primaries = [row.screen for row in ACTIONS if row.role is ActionRole.PRIMARY]
    assert len(primaries) == len(set(primaries))


def test_items_and_ways_back() -> None:
    assert is_item("deletePasskey") and not is_item("signOut")
    assert leads_back("cancelSetup") and leads_back("cancelSomethingNew") and not leads_back("signOut")


def test_classify_names_the_primary_action_with_the_screen() -> None:
    classified = classify(MANAGED)
    assert classified.screen is ScreenName.PASSKEY_MANAGE
    assert classified.primary is MANAGED.actions[0]
    signed_out = state("signedOut", action("signIn", "Sign In", field("username")))
    assert classify(signed_out).primary is signed_out.actions[0]
    assert classify(None).screen is ScreenName.LOADING and classify(None).primary is None
    unknown = state("somethingNew", action("doIt", "Do it"))
    assert classify(unknown).screen is ScreenName.GENERIC
    assert classify(unknown).primary is unknown.actions[0]


def test_the_screen_marks_per_item_forms_and_the_servers_way_back() -> None:
    screen = started(MANAGED).screen
    assert screen.name is ScreenName.PASSKEY_MANAGE
    assert [f.server_label for f in screen.items] == ["Delete passkey A", "Delete passkey B"]
    assert screen.primary is not None and not screen.primary.per_item
    assert not screen.offers_way_back
    setup = state(
        "signedIn",
        action("completeTotpSetup", "Verify", field("code")),
        action("cancelSetup", "Cancel"),
        user={"userId": "u", "username": "carol"},
    )
    machine = started(setup)
    assert machine.screen.offers_way_back
    after, _ = machine.handle(Submit({"code": "123456"}))
    assert after.phase is Phase.CALLING
