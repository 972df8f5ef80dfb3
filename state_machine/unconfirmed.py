"""What the client does for an account whose sign-up was never confirmed.

Both AWS Blocks servers accept ``confirmSignUp`` while signed out: it carries
the username and the code, and needs no server-side flow state
(``basic_signup_confirm_signin_signout.jsonl`` step 5 and
``cognito_opt_signup_no_autosignin.jsonl`` step 3 send it from ``signedOut``;
``cognito_opt_errors.jsonl`` step 2 shows it is checked, not refused). The
Cognito block names the unconfirmed account at sign-in
(``UserNotConfirmedException``, ``cognito_opt_signup_no_autosignin.jsonl``
step 2) and its ``resendSignUpCode`` takes a username only, as does the
reference backend's, which answers it from ``signedOut`` too.

So the client can always open the confirm screen for a known username: it asks
for a new code first, and when a server refuses to send one it still offers
the form that works, built here from the recorded shape.
"""

from __future__ import annotations

from typing import Final

from .protocol import (
    CONFIRM_SIGN_UP,
    CONFIRMING_SIGN_UP,
    RESEND_SIGN_UP_CODE,
    AuthState,
    parse_auth_state,
)

# The error a server sends when the password is right but the account unconfirmed.
NOT_CONFIRMED_ERROR: Final = "UserNotConfirmedException"


def resend_payload(username: str) -> dict[str, str]:
    """The ``resendSignUpCode`` call the client sends on its own, outside ``confirmingSignUp``."""
    return {"action": RESEND_SIGN_UP_CODE, "username": username}


def confirm_sign_up_state(username: str) -> AuthState:
    """A ``confirmingSignUp`` state with the stateless confirm form, as the Cognito block sends it."""
    return parse_auth_state(
        {
            "state": CONFIRMING_SIGN_UP,
            "actions": [
                {
                    "name": CONFIRM_SIGN_UP,
                    "label": "Confirm Account",
                    "fields": [
                        {
                            "name": "username",
                            "label": "Username",
                            "type": "hidden",
                            "required": True,
                            "defaultValue": username,
                        },
                        {"name": "code", "label": "Verification Code", "type": "text", "required": True},
                    ],
                }
            ],
        }
    )
