"""Two additive ways out of a sign-in code step: a new code, or another method.

``resendSignInCode`` sends the emailed (or texted) code of a ``code`` challenge
again, to the address the first one went to. It spends the send budget like
every code sent (``resendSignUpCode``, ``resetPassword``), answers the same
whether or not the step belongs to an account (a passwordless email code for
an unknown address sends nothing, as its first code did), and replaces the
code: only the latest one works. The challenge session is kept, with its count
of wrong answers, so a resend buys no extra guesses; a spent budget answers
retriable, because the session and the code already sent are still good.

``useAnotherMfaMethod`` answers a second-factor step (TOTP, email or SMS code
after the password) with another of the account's methods (its other enrolled
types, and its passkeys as ``WEB_AUTHN``): the step for that method at once
when there is one other, else the ``mfaType`` choice among the others. The password was proven already, so this is what signing in
again would offer, minus typing the password; every code sent spends the send
budget and every guess the failure budget, as on any sign-in. A switch the send
budget refuses leaves the current step alive (a retriable answer).
"""

from __future__ import annotations

from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .rate_limit import Subject
from .sessions import Challenge
from .sign_in import (
    challenge_code_key,
    code_purpose,
    mfa_choice,
    other_mfa_methods,
    start_mfa_code,
)
from .users import User

# A spent send budget refuses this send only: the step itself is still valid.
_BUDGET_PROBLEMS = frozenset({Problem.TOO_MANY_REQUESTS, Problem.TOO_MANY_FAILURES})


def _step(parts: Components, request: Request, params: Params) -> Challenge:
    token = params.text("session")
    challenge = parts.challenges.get(token, request.now) if token else None
    if challenge is None:
        raise AuthError(Problem.SESSION_EXPIRED)
    if challenge.kind != "code":
        raise AuthError(Problem.INVALID_PARAMETER, "This step has no code", retriable=True)
    return challenge


def _account(parts: Components, challenge: Challenge) -> User | None:
    user_id = challenge.data.get("user_id")
    return None if user_id is None else parts.users.by_id(int(user_id))


def spend_send_keeping_step(parts: Components, subject: Subject, now: float) -> None:
    """Spend one send; over budget, a retriable refusal (the form on screen stays usable)."""
    try:
        parts.limiter.spend_send(subject, now)
    except AuthError as spent:
        if spent.problem in _BUDGET_PROBLEMS:
            raise AuthError(spent.problem, spent.detail, retriable=True) from None
        raise


def resend_sign_in_code(parts: Components, request: Request, params: Params) -> Outcome:
    challenge = _step(parts, request, params)
    if challenge.data.get("mfa") not in ("EMAIL", "SMS"):
        raise AuthError(Problem.INVALID_PARAMETER, "An authenticator code cannot be sent", retriable=True)
    user = _account(parts, challenge)
    username = user.username if user is not None else str(challenge.data.get("username", ""))
    spend_send_keeping_step(parts, parts.subject(username, request), request.now)
    to = challenge.data.get("to")
    if user is not None and isinstance(to, str) and to:
        parts.send_code(
            key=challenge_code_key(challenge.token),
            to=to,
            username=user.username,
            purpose=code_purpose(challenge.data),
            now=request.now,
        )
    switchable = (
        user is not None
        and bool(challenge.data.get("second_factor"))
        and bool(other_mfa_methods(parts, user, str(challenge.data["mfa"])))
    )
    label = str(challenge.data.get("label") or "Enter Code")
    return Outcome(
        parts.replies.code_challenge(challenge.token, label, resend=True, other_methods=switchable)
    )


def use_another_mfa_method(parts: Components, request: Request, params: Params) -> Outcome:
    challenge = _step(parts, request, params)
    user = _account(parts, challenge)
    if user is None or not challenge.data.get("second_factor"):
        raise AuthError(Problem.INVALID_PARAMETER, "This step has no other method", retriable=True)
    others = other_mfa_methods(parts, user, str(challenge.data["mfa"]))
    if not others:
        raise AuthError(Problem.INVALID_PARAMETER, "No other method is set up", retriable=True)
    try:
        if len(others) == 1:
            outcome = start_mfa_code(parts, request, user, others[0])
        else:
            outcome = mfa_choice(parts, request, user, others, setup=False)
    except AuthError as refused:
        # No code could be sent (budget): this step stays, so the person can still answer it.
        if refused.problem in _BUDGET_PROBLEMS:
            raise AuthError(refused.problem, refused.detail, retriable=True) from None
        raise
    if not parts.challenges.consume(challenge):
        raise AuthError(Problem.SESSION_EXPIRED)  # a concurrent switch or answer won
    # The old step's code must not outlive it: the next step has a code (or a TOTP) of its own.
    parts.codes.discard(challenge_code_key(challenge.token))
    return outcome
