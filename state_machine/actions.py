"""Everything the core knows about an action, as data: one row per action name.

The server names actions; the client gives a few of them a meaning beyond
"a form to submit": which screen they are the main submit of, what to tell the
person when they succeed, whether a failed one keeps its form. Those facts
live in :data:`ACTIONS` and nowhere else; the side tables the machine and the
presenter read (:data:`LOCAL_SCREENS`, :data:`PRIMARY_OF_SCREEN`, ...) are
derived from it below, so adding an action is adding one row.

The names themselves are constants of :mod:`.protocol` (the backend may import
them too). An action missing from the table is still rendered and submitted as
a plain form: the table adds meaning, it never gates what a server may offer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .labels import CodeVariant
from .protocol import (
    AUTO_SIGN_IN,
    CANCEL_SETUP,
    CHANGE_PASSWORD,
    CHOOSE_REAUTHENTICATION_METHOD,
    COMPLETE_EMAIL_MFA_SETUP,
    COMPLETE_PASSKEY_REGISTRATION,
    COMPLETE_TOTP_SETUP,
    CONFIRM_RESET_PASSWORD,
    CONFIRM_SIGN_IN,
    CONFIRM_SIGN_UP,
    DELETE_PASSKEY,
    DISABLE_MFA,
    REAUTHENTICATE,
    RESEND_EMAIL_MFA_SETUP_CODE,
    RESEND_PASSWORD_RESET_CODE,
    RESEND_REAUTHENTICATION_CODE,
    RESEND_SIGN_IN_CODE,
    RESEND_SIGN_UP_CODE,
    RESET_PASSWORD,
    SET_PREFERRED_MFA,
    SIGN_IN,
    SIGN_IN_WITH_PASSKEY,
    SIGN_OUT,
    SIGN_OUT_EVERYWHERE,
    SIGN_UP,
    START_PASSKEY_REGISTRATION,
    START_TOTP_SETUP,
    USE_ANOTHER_MFA_METHOD,
)
from .screen_names import ScreenName


class ActionRole(StrEnum):
    """What an action is on the screen it belongs to."""

    ENTRY = "entry"  # the submit of a signed-out screen the person picks without a server call
    PRIMARY = "primary"  # the screen's main submit, when the state offers it
    ANSWER = "answer"  # answers the sign-in challenge shown: primary on every challenge screen
    RESEND = "resend"  # asks the server to send the code again
    ITEM = "item"  # one form per item (a passkey), told apart by the server's label
    BACK = "back"  # the server's own way back (cancel a setup)
    ALTERNATIVE = "alternative"  # answers the challenge shown another way: the server sends the next step
    ACCOUNT = "account"  # a form of its own among the signed-in card's account actions


@dataclass(frozen=True)
class ActionRow:
    """One action and what the core does with it."""

    name: str
    role: ActionRole
    screen: ScreenName | None = None  # the screen it belongs to (None: several or none)
    notice: str | None = None  # catalog key shown after it succeeds
    notice_when_signed_out: bool = False  # the notice says "now sign in": only true if signed out
    resubmittable: bool = False  # a failed one keeps its form: its inputs are still valid (rule 6)
    holds_password: bool = False  # the password typed here may be asked again by a confirm step
    ends_visit: bool = False  # success forgets the person: the next one at this browser starts blank
    code_variant: CodeVariant | None = None  # where its code comes from, when its label does not say
    # Signed in by it with no second factor: the signed-in card suggests adding one, once.
    suggests_second_factor: bool = False
    # Destructive: the shell asks this catalog question, and submits only on yes.
    confirm: str | None = None


ACTIONS: Final[tuple[ActionRow, ...]] = (
    ActionRow(SIGN_IN, ActionRole.ENTRY, ScreenName.SIGN_IN, suggests_second_factor=True),
    ActionRow(SIGN_UP, ActionRole.ENTRY, ScreenName.SIGN_UP, holds_password=True),
    ActionRow(RESET_PASSWORD, ActionRole.ENTRY, ScreenName.FORGOT_PASSWORD),
    ActionRow(SIGN_IN_WITH_PASSKEY, ActionRole.ENTRY, ScreenName.PASSKEY_SIGN_IN),
    ActionRow(
        CONFIRM_SIGN_UP,
        ActionRole.PRIMARY,
        ScreenName.CONFIRM_SIGN_UP,
        notice="notice.account_confirmed",
        notice_when_signed_out=True,  # it may also sign in at once, or go on to autoSignIn
        resubmittable=True,
    ),
    ActionRow(
        RESEND_SIGN_UP_CODE,
        ActionRole.RESEND,
        ScreenName.CONFIRM_SIGN_UP,
        notice="notice.code_resent",
        resubmittable=True,
    ),
    # Additive resends (docs/protocol.md, "Code screens"): the reset one is stateless like the sign-up one.
    ActionRow(
        RESEND_PASSWORD_RESET_CODE,
        ActionRole.RESEND,
        ScreenName.CONFIRM_RESET_PASSWORD,
        notice="notice.code_resent",
        resubmittable=True,
    ),
    ActionRow(RESEND_SIGN_IN_CODE, ActionRole.RESEND, ScreenName.CONFIRM_CODE, notice="notice.code_resent"),
    ActionRow(
        RESEND_EMAIL_MFA_SETUP_CODE, ActionRole.RESEND, ScreenName.CONFIRM_CODE, notice="notice.code_resent"
    ),
    ActionRow(USE_ANOTHER_MFA_METHOD, ActionRole.ALTERNATIVE, ScreenName.CONFIRM_CODE),
    ActionRow(AUTO_SIGN_IN, ActionRole.PRIMARY, ScreenName.AUTO_SIGN_IN, suggests_second_factor=True),
    ActionRow(CONFIRM_SIGN_IN, ActionRole.ANSWER),
    ActionRow(
        CONFIRM_RESET_PASSWORD,
        ActionRole.PRIMARY,
        ScreenName.CONFIRM_RESET_PASSWORD,
        notice="notice.password_reset",
        notice_when_signed_out=True,
        resubmittable=True,
    ),
    ActionRow(SIGN_OUT, ActionRole.PRIMARY, ScreenName.SIGNED_IN, ends_visit=True),
    ActionRow(
        SIGN_OUT_EVERYWHERE,
        ActionRole.ACCOUNT,
        ScreenName.SIGNED_IN,
        notice="notice.signed_out_everywhere",
        notice_when_signed_out=True,
        ends_visit=True,
        confirm="confirm.sign_out_everywhere",  # it ends this visit too, and every other
    ),
    # A sensitive action on an old sign-in: a proof of identity (password, code or passkey);
    # the machine then sends the refused change again (rules 15 and 16).
    ActionRow(REAUTHENTICATE, ActionRole.PRIMARY, ScreenName.CONFIRM_IDENTITY, resubmittable=True),
    ActionRow(CHOOSE_REAUTHENTICATION_METHOD, ActionRole.ACCOUNT, ScreenName.CONFIRM_IDENTITY),
    ActionRow(
        RESEND_REAUTHENTICATION_CODE,
        ActionRole.RESEND,
        ScreenName.CONFIRM_IDENTITY,
        notice="notice.code_resent",
        resubmittable=True,
    ),
    ActionRow(START_PASSKEY_REGISTRATION, ActionRole.PRIMARY, ScreenName.PASSKEY_MANAGE),
    ActionRow(
        COMPLETE_PASSKEY_REGISTRATION,
        ActionRole.PRIMARY,
        ScreenName.PASSKEY_REGISTER,
        notice="notice.passkey_registered",
    ),
    ActionRow(
        DELETE_PASSKEY,
        ActionRole.ITEM,
        ScreenName.PASSKEY_MANAGE,
        notice="notice.passkey_deleted",
        confirm="confirm.delete_passkey",
    ),
    # The reference backend's signed-in MFA setup reuses the challenge screens.
    ActionRow(COMPLETE_TOTP_SETUP, ActionRole.PRIMARY, ScreenName.SETUP_TOTP, notice="notice.totp_enabled"),
    ActionRow(
        COMPLETE_EMAIL_MFA_SETUP,
        ActionRole.PRIMARY,
        ScreenName.CONFIRM_CODE,
        notice="notice.email_mfa_enabled",
        code_variant="email",
    ),
    ActionRow(SET_PREFERRED_MFA, ActionRole.ACCOUNT, notice="notice.preferred_mfa_saved"),
    ActionRow(DISABLE_MFA, ActionRole.ACCOUNT, notice="notice.mfa_disabled", confirm="confirm.disable_mfa"),
    ActionRow(CANCEL_SETUP, ActionRole.BACK),
    ActionRow(
        CHANGE_PASSWORD,
        ActionRole.ACCOUNT,
        ScreenName.SIGNED_IN,
        notice="notice.password_changed",
        resubmittable=True,
    ),
)

# The actions of the re-authentication screen itself: a reply to one of them is no new refusal.
REAUTHENTICATION_STEPS: Final = frozenset(
    {REAUTHENTICATE, CHOOSE_REAUTHENTICATION_METHOD, RESEND_REAUTHENTICATION_CODE}
)

# What the signed-in card suggests after a sign-in without a second factor, in this order.
SECOND_FACTOR_SETUPS: Final[tuple[str, ...]] = (START_PASSKEY_REGISTRATION, START_TOTP_SETUP)

ROWS: Final[Mapping[str, ActionRow]] = {row.name: row for row in ACTIONS}

# Derived views of the table, for the questions asked on every transition.
LOCAL_SCREENS: Final[Mapping[ScreenName, str]] = {
    row.screen: row.name for row in ACTIONS if row.role is ActionRole.ENTRY and row.screen is not None
}
SCREEN_OF_ENTRY: Final[Mapping[str, ScreenName]] = {
    action: screen for screen, action in LOCAL_SCREENS.items()
}
PRIMARY_OF_SCREEN: Final[Mapping[ScreenName, str]] = {
    row.screen: row.name for row in ACTIONS if row.role is ActionRole.PRIMARY and row.screen is not None
}


def row_of(action: str | None) -> ActionRow | None:
    """The table's row for ``action`` (None for names the core gives no meaning)."""
    return ROWS.get(action) if action is not None else None


_ITEMS: Final = frozenset(row.name for row in ACTIONS if row.role is ActionRole.ITEM)
_BACKS: Final = frozenset(row.name for row in ACTIONS if row.role is ActionRole.BACK)


def is_item(action: str) -> bool:
    """One form per item, labelled by the server (one ``deletePasskey`` per passkey)."""
    return action in _ITEMS


def leads_back(action: str) -> bool:
    """The server's own way back: a BACK row, or any action named ``cancel...``."""
    return action in _BACKS or action.lower().startswith("cancel")
