"""The classifier: AuthState + what the person chose -> the screen to show.

This is the heart of the library. The server speaks in states and actions
(docs/protocol.md); people see screens (DESIGN.md). The mapping:

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
signedIn                 ``confirm_identity`` (our ``reauthenticate``: a sensitive
                         action needs the password again),
                         ``passkey_register`` (a webauthn-create action),
                         ``setup_totp`` (our ``completeTotpSetup``),
                         ``confirm_code`` (our ``completeEmailMfaSetup``),
                         ``passkey_manage`` (deletePasskey actions), else
                         ``signed_in``
anything else            ``generic``: every action as a plain form
=======================  ==========================================================

A state that names a screen but lacks the action that screen needs is
``generic`` too: the person always gets a form to act on, never a dead end.

:func:`classify` also names the screen's primary action (the main submit), so
that one place decides it: the screen's own action from the action table when
the state offers it; on a challenge screen otherwise the action answering the
challenge; on ``generic`` the first non-external action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .actions import LOCAL_SCREENS, PRIMARY_OF_SCREEN
from .protocol import (
    AUTO_SIGN_IN,
    COMPLETE_EMAIL_MFA_SETUP,
    COMPLETE_TOTP_SETUP,
    CONFIRM_RESET_PASSWORD,
    CONFIRM_SIGN_IN,
    CONFIRM_SIGN_UP,
    CONFIRMING_MFA,
    CONFIRMING_PASSWORD_RESET,
    CONFIRMING_SIGN_IN,
    CONFIRMING_SIGN_UP,
    DELETE_PASSKEY,
    REAUTHENTICATE,
    SIGNED_IN,
    SIGNED_OUT,
    WEBAUTHN_CREATE,
    WEBAUTHN_GET,
    AuthAction,
    AuthState,
)
from .screen_names import CHALLENGE_SCREENS, ScreenName

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

# Screens whose primary, when their own action is not offered, is the action
# answering the challenge (or, on ``generic``, the first one offered).
_FALLS_BACK: Final = CHALLENGE_SCREENS | {ScreenName.GENERIC}


@dataclass(frozen=True)
class Classified:
    """The screen for a state and the action that is its main submit (if any)."""

    screen: ScreenName
    primary: AuthAction | None = None


def challenge_action(state: AuthState) -> AuthAction | None:
    """The action that answers the current sign-in challenge.

    Normally ``confirmSignIn``; a server that names it differently is still
    understood if its action carries a hidden ``challenge`` field.
    """
    named = state.action(CONFIRM_SIGN_IN)
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
    if state.action(REAUTHENTICATE) is not None:
        return ScreenName.CONFIRM_IDENTITY
    if any(a.capability == WEBAUTHN_CREATE for a in state.actions):
        return ScreenName.PASSKEY_REGISTER
    if state.action(COMPLETE_TOTP_SETUP) is not None:
        return ScreenName.SETUP_TOTP
    if state.action(COMPLETE_EMAIL_MFA_SETUP) is not None:
        return ScreenName.CONFIRM_CODE
    if state.action(DELETE_PASSKEY) is not None:
        return ScreenName.PASSKEY_MANAGE
    return ScreenName.SIGNED_IN


def _primary(state: AuthState, screen: ScreenName) -> AuthAction | None:
    """Which of the state's actions is ``screen``'s main submit."""
    own = LOCAL_SCREENS.get(screen) or PRIMARY_OF_SCREEN.get(screen)
    offered = state.action(own) if own is not None else None
    if offered is not None or screen not in _FALLS_BACK:
        return offered
    answer = challenge_action(state) if screen is not ScreenName.GENERIC else None
    return answer or next((a for a in state.actions if not a.is_external), None)


def classify(state: AuthState | None, preferred: ScreenName | None = None) -> Classified:
    """The screen for ``state`` and its primary action.

    ``preferred`` is the person's pick among signed-out screens.
    """
    if state is None:
        return Classified(ScreenName.LOADING)
    screen = classify_screen(state, preferred)
    return Classified(screen, _primary(state, screen))


def classify_screen(state: AuthState | None, preferred: ScreenName | None = None) -> ScreenName:
    """The screen for ``state``; ``preferred`` is the person's pick among signed-out screens."""
    if state is None:
        return ScreenName.LOADING
    if state.state == SIGNED_OUT:
        return _signed_out_screen(state, preferred)
    if state.state == CONFIRMING_SIGN_UP:
        if state.action_names() == (AUTO_SIGN_IN,):
            return ScreenName.AUTO_SIGN_IN
        return ScreenName.CONFIRM_SIGN_UP if state.action(CONFIRM_SIGN_UP) else ScreenName.GENERIC
    if state.state in (CONFIRMING_SIGN_IN, CONFIRMING_MFA):
        return _challenge_screen(state)
    if state.state == CONFIRMING_PASSWORD_RESET:
        return (
            ScreenName.CONFIRM_RESET_PASSWORD if state.action(CONFIRM_RESET_PASSWORD) else ScreenName.GENERIC
        )
    if state.state == SIGNED_IN:
        return _signed_in_screen(state)
    return ScreenName.GENERIC
