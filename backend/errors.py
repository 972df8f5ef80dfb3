"""What can go wrong in an action, and how each mode names it on the wire.

Handlers raise :class:`AuthError` with a mode-neutral :class:`Problem`; the
service turns it into the reply. The catalog below gives, per mode, the
``errorName`` and ``error`` message the recorded servers use (AuthBasic in
``basic_*.jsonl``, AuthCognito in ``cognito_*.jsonl``). Where a recording has
no example, the name follows the real service (Cognito's exception names,
AuthBasic's naming style).

Answers never say whether an account exists: an unknown username gets the
same problem as a wrong password or a wrong code.
"""

from __future__ import annotations

import enum
from typing import Final, NamedTuple


class Problem(enum.Enum):
    BAD_CREDENTIALS = "bad-credentials"
    USER_EXISTS = "user-exists"
    ALIAS_EXISTS = "alias-exists"
    NOT_CONFIRMED = "not-confirmed"
    CODE_MISMATCH = "code-mismatch"
    ATTEMPTS_EXHAUSTED = "attempts-exhausted"
    SESSION_EXPIRED = "session-expired"
    WEAK_PASSWORD = "weak-password"
    INVALID_PARAMETER = "invalid-parameter"
    NOT_AUTHENTICATED = "not-authenticated"
    NO_AUTO_SIGN_IN = "no-auto-sign-in"
    PASSWORD_REQUIRED_TO_CONFIRM = "password-required-to-confirm"
    TOO_MANY_FAILURES = "too-many-failures"
    TOO_MANY_REQUESTS = "too-many-requests"
    BUSY = "busy"
    UNKNOWN_PASSKEY = "unknown-passkey"
    PASSKEY_REJECTED = "passkey-rejected"
    PASSKEY_NOT_FOUND = "passkey-not-found"
    SIGN_UP_DISABLED = "sign-up-disabled"
    TEMPORARY_PASSWORD_EXPIRED = "temporary-password-expired"
    MFA_REQUIRED = "mfa-required"
    UNKNOWN_ACTION = "unknown-action"
    DELIVERY_FAILED = "delivery-failed"
    REAUTHENTICATION_REQUIRED = "reauthentication-required"


class Wording(NamedTuple):
    name: str | None
    message: str


class AuthError(Exception):
    """A failed action. ``detail`` replaces the catalog message where it needs data."""

    def __init__(
        self,
        problem: Problem,
        detail: str | None = None,
        *,
        retriable: bool = False,
        end_session: bool = False,
        end_bridge: bool = False,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.detail = detail
        self.retriable = retriable
        # Seconds before another attempt is accepted (an exponential delay, backoff.py).
        self.retry_after = retry_after
        # Cookie changes that stand even though the action failed (a stale cookie, a spent bridge).
        self.end_session = end_session
        self.end_bridge = end_bridge


_COGNITO: Final[dict[Problem, Wording]] = {
    Problem.BAD_CREDENTIALS: Wording("NotAuthorizedException", "Incorrect username or password"),
    Problem.USER_EXISTS: Wording("UsernameExistsException", "User already exists"),
    Problem.ALIAS_EXISTS: Wording("AliasExistsException", "An account with the given email already exists"),
    Problem.NOT_CONFIRMED: Wording("UserNotConfirmedException", "User not confirmed"),
    Problem.CODE_MISMATCH: Wording("CodeMismatchException", "Invalid code"),
    Problem.ATTEMPTS_EXHAUSTED: Wording(
        "LimitExceededException", "Attempt limit exceeded, please start again"
    ),
    Problem.SESSION_EXPIRED: Wording("ExpiredCodeException", "Challenge session expired"),
    Problem.WEAK_PASSWORD: Wording("InvalidPasswordException", "Password does not conform to policy"),
    Problem.INVALID_PARAMETER: Wording("InvalidParameterException", "Invalid parameter"),
    Problem.NOT_AUTHENTICATED: Wording("NotAuthenticatedException", "Authentication required"),
    Problem.NO_AUTO_SIGN_IN: Wording(
        "NotAuthenticatedException",
        "No autoSignIn flow in progress. Call signUp with `{ autoSignIn: true }` and confirmSignUp first.",
    ),
    Problem.PASSWORD_REQUIRED_TO_CONFIRM: Wording(None, "Password required to complete confirmSignUp"),
    Problem.TOO_MANY_FAILURES: Wording(
        "LimitExceededException", "Attempt limit exceeded, please try after some time"
    ),
    Problem.TOO_MANY_REQUESTS: Wording(
        "TooManyRequestsException", "Too many requests, please try after some time"
    ),
    # Not in the recordings: every hashing slot stayed taken (hashing.py); retriable. A name
    # of its own, so the client says "busy", not "too many attempts" (the person did nothing wrong).
    Problem.BUSY: Wording("ServiceBusyException", "The server is busy, please try again"),
    Problem.UNKNOWN_PASSKEY: Wording("WebAuthnCredentialNotSupportedException", "Unknown passkey credential"),
    Problem.PASSKEY_REJECTED: Wording("NotAuthorizedException", "Passkey verification failed"),
    Problem.PASSKEY_NOT_FOUND: Wording("ResourceNotFoundException", "Passkey not found"),
    Problem.SIGN_UP_DISABLED: Wording("NotAuthorizedException", "SignUp is not permitted for this user pool"),
    Problem.TEMPORARY_PASSWORD_EXPIRED: Wording(
        "NotAuthorizedException", "Temporary password has expired and must be reset by an administrator"
    ),
    Problem.MFA_REQUIRED: Wording("InvalidParameterException", "MFA is required and cannot be turned off"),
    Problem.UNKNOWN_ACTION: Wording(None, "Unknown action"),
    # Cognito's name for the same failure; always sent retriable: the form stays, the person retries.
    Problem.DELIVERY_FAILED: Wording(
        "CodeDeliveryFailureException", "We could not send the code. Please try again in a moment."
    ),
    # A sensitive action on a session whose last proof of identity is too old (stolen cookie).
    Problem.REAUTHENTICATION_REQUIRED: Wording(
        "ReauthenticationRequiredException", "Please confirm it is you to continue"
    ),
}

# AuthBasic hides more (an unconfirmed account is just "invalid credentials")
# and has its own names for the few errors it knows.
_BASIC: Final[dict[Problem, Wording]] = {
    **_COGNITO,
    Problem.BAD_CREDENTIALS: Wording("InvalidCredentialsException", "Invalid username or password"),
    Problem.NOT_CONFIRMED: Wording("InvalidCredentialsException", "Invalid username or password"),
    Problem.USER_EXISTS: Wording("UserAlreadyExistsException", "User already exists"),
    Problem.CODE_MISMATCH: Wording("InvalidCodeException", "Invalid or expired code"),
    Problem.ATTEMPTS_EXHAUSTED: Wording("InvalidCodeException", "Invalid or expired code"),
    Problem.SESSION_EXPIRED: Wording("InvalidCodeException", "Invalid or expired code"),
    Problem.TOO_MANY_FAILURES: Wording(
        "TooManyRequestsException", "Too many attempts, please try again later"
    ),
    Problem.TOO_MANY_REQUESTS: Wording(
        "TooManyRequestsException", "Too many attempts, please try again later"
    ),
    Problem.SIGN_UP_DISABLED: Wording("SignUpDisabledException", "Sign-up is disabled"),
}


def wording(error: AuthError, mode: str) -> Wording:
    """The ``(errorName, error)`` pair for ``error`` in ``mode``."""
    base = (_BASIC if mode == "basic" else _COGNITO)[error.problem]
    return Wording(base.name, error.detail if error.detail is not None else base.message)
