"""The classifier: AuthState + what the person chose -> the screen to show.

This is the heart of the library. The server speaks in states and actions
(PROTOCOL.md); people see screens (DESIGN.md). The mapping:

=======================  ==========================================================
server                   screen
=======================  ==========================================================
no reply yet             ``loading``
signedOut                ``sign_in`` / ``sign_up`` / ``forgot_password`` /
                         ``passkey_sign_in``: whichever the person picked, if the
                         state offers its action; else sign-in; else the first
                         offered (a lone ``resetPassword`` -> forgot password)
confirmingSignUp         ``auto_sign_in`` when ``autoSignIn`` is the ONLY action
                         (fixtures ``cognito_*_autosignin*``), else
                         ``confirm_sign_up``
confirmingSignIn/Mfa     by the hidden ``challenge`` of ``confirmSignIn``: code,
                         mfaType (Setup in the label -> select_mfa_setup), totpSetup,
                         email, newPassword, password, firstFactor, webauthn; a
                         ``webauthn-get`` capability is passkey_assert whatever the
                         challenge says
confirmingPasswordReset  ``confirm_reset_password``
signedIn                 ``passkey_register`` (a webauthn-create action),
                         ``setup_totp`` (our ``completeTotpSetup``),
                         ``confirm_code`` (our ``completeEmailMfaSetup``),
                         ``passkey_manage`` (deletePasskey actions), else
                         ``signed_in``
anything else            ``generic``: every action as a plain form
=======================  ==========================================================

A state that names a screen but lacks the action that screen needs is
``generic`` too: the person always gets a form to act on, never a dead end.
"""

from __future__ import annotations

from typing import Final

from .protocol import (
    CONFIRMING_MFA,
    CONFIRMING_PASSWORD_RESET,
    CONFIRMING_SIGN_IN,
    CONFIRMING_SIGN_UP,
    SIGNED_IN,
    SIGNED_OUT,
    WEBAUTHN_CREATE,
    WEBAUTHN_GET,
    AuthAction,
    AuthState,
)
from .screens import LOCAL_SCREENS, ScreenName

_CHALLENGE_SCREENS: Final = {
    "code": ScreenName.CONFIRM_CODE,
    "mfaType": ScreenName.SELECT_MFA,
    "totpSetup": ScreenName.SETUP_TOTP,
    "email": ScreenName.SETUP_EMAIL,
    "newPassword": ScreenName.NEW_PASSWORD,
    "password": ScreenName.ENTER_PASSWORD,
    "firstFactor": ScreenName.SELECT_FIRST_FACTOR,
    "webauthn": ScreenName.PASSKEY_ASSERT,
}

# Signed-in actions of the reference backend beyond the AWS Blocks vocabulary.
COMPLETE_TOTP_SETUP: Final = "completeTotpSetup"
COMPLETE_EMAIL_MFA_SETUP: Final = "completeEmailMfaSetup"


def challenge_action(state: AuthState) -> AuthAction | None:
    """The action that answers the current sign-in challenge.

    Normally ``confirmSignIn``; a server that names it differently is still
    understood if its action carries a hidden ``challenge`` field.
    """
    named = state.action("confirmSignIn")
    if named is not None:
        return named
    return next((a for a in state.actions if a.field("challenge") is not None), None)


def challenge_of(action: AuthAction) -> str | None:
    """The hidden ``challenge`` value (``code``, ``mfaType``, ...)."""
    return action.default_of("challenge")


def _signed_out_screen(state: AuthState, preferred: ScreenName | None) -> ScreenName:
    offered = [screen for screen, action in LOCAL_SCREENS.items() if state.action(action) is not None]
    if preferred in offered:
        return preferred
    if ScreenName.SIGN_IN in offered:
        return ScreenName.SIGN_IN
    return offered[0] if offered else ScreenName.GENERIC


def _challenge_screen(state: AuthState) -> ScreenName:
    action = challenge_action(state)
    if action is None:
        # confirmingMfa without a challenge field: a plain code form still is a code screen.
        code_action = next((a for a in state.actions if a.field("code") is not None), None)
        return ScreenName.CONFIRM_CODE if code_action is not None else ScreenName.GENERIC
    if action.capability == WEBAUTHN_GET:
        return ScreenName.PASSKEY_ASSERT
    challenge = challenge_of(action)
    if challenge is None and action.field("code") is not None:
        return ScreenName.CONFIRM_CODE  # a confirmSignIn that names no challenge but asks for a code
    screen = _CHALLENGE_SCREENS.get(challenge or "", ScreenName.GENERIC)
    if screen is ScreenName.SELECT_MFA and "setup" in action.label.lower().replace(" ", ""):
        return ScreenName.SELECT_MFA_SETUP
    return screen


def _signed_in_screen(state: AuthState) -> ScreenName:
    if any(a.capability == WEBAUTHN_CREATE for a in state.actions):
        return ScreenName.PASSKEY_REGISTER
    if state.action(COMPLETE_TOTP_SETUP) is not None:
        return ScreenName.SETUP_TOTP
    if state.action(COMPLETE_EMAIL_MFA_SETUP) is not None:
        return ScreenName.CONFIRM_CODE
    if state.action("deletePasskey") is not None:
        return ScreenName.PASSKEY_MANAGE
    return ScreenName.SIGNED_IN


def classify_screen(state: AuthState | None, preferred: ScreenName | None = None) -> ScreenName:
    """The screen for ``state``; ``preferred`` is the person's pick among signed-out screens."""
    if state is None:
        return ScreenName.LOADING
    if state.state == SIGNED_OUT:
        return _signed_out_screen(state, preferred)
    if state.state == CONFIRMING_SIGN_UP:
        if state.action_names() == ("autoSignIn",):
            return ScreenName.AUTO_SIGN_IN
        return ScreenName.CONFIRM_SIGN_UP if state.action("confirmSignUp") else ScreenName.GENERIC
    if state.state in (CONFIRMING_SIGN_IN, CONFIRMING_MFA):
        return _challenge_screen(state)
    if state.state == CONFIRMING_PASSWORD_RESET:
        return (
            ScreenName.CONFIRM_RESET_PASSWORD if state.action("confirmResetPassword") else ScreenName.GENERIC
        )
    if state.state == SIGNED_IN:
        return _signed_in_screen(state)
    return ScreenName.GENERIC
