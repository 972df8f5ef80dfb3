"""The screen vocabulary, on its own so the action table can name screens.

:mod:`.screens` re-exports it; this module imports nothing of ours.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class ScreenName(StrEnum):
    """The screen vocabulary shared by code, tests, translations and test hooks."""

    LOADING = "loading"  # before the first reply (or when it failed): no form yet
    SIGN_IN = "sign_in"
    SIGN_UP = "sign_up"
    FORGOT_PASSWORD = "forgot_password"
    PASSKEY_SIGN_IN = "passkey_sign_in"
    CONFIRM_SIGN_UP = "confirm_sign_up"
    AUTO_SIGN_IN = "auto_sign_in"
    CONFIRM_CODE = "confirm_code"
    SELECT_MFA = "select_mfa"
    SELECT_MFA_SETUP = "select_mfa_setup"
    SETUP_TOTP = "setup_totp"
    SETUP_EMAIL = "setup_email"
    NEW_PASSWORD = "new_password"
    ENTER_PASSWORD = "enter_password"
    SELECT_FIRST_FACTOR = "select_first_factor"
    PASSKEY_ASSERT = "passkey_assert"
    CONFIRM_RESET_PASSWORD = "confirm_reset_password"
    SIGNED_IN = "signed_in"
    PASSKEY_REGISTER = "passkey_register"
    PASSKEY_MANAGE = "passkey_manage"
    CONFIRM_IDENTITY = "confirm_identity"  # a sensitive action asked for the password again
    GENERIC = "generic"


# Screens that belong to a sign-in/up flow in progress; "Back to Sign In"
# leaves them by re-reading the server state.
CHALLENGE_SCREENS: Final[frozenset[ScreenName]] = frozenset(
    {
        ScreenName.CONFIRM_SIGN_UP,
        ScreenName.AUTO_SIGN_IN,
        ScreenName.CONFIRM_CODE,
        ScreenName.SELECT_MFA,
        ScreenName.SELECT_MFA_SETUP,
        ScreenName.SETUP_TOTP,
        ScreenName.SETUP_EMAIL,
        ScreenName.NEW_PASSWORD,
        ScreenName.ENTER_PASSWORD,
        ScreenName.SELECT_FIRST_FACTOR,
        ScreenName.PASSKEY_ASSERT,
        ScreenName.CONFIRM_RESET_PASSWORD,
    }
)
