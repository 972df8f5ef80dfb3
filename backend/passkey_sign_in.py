"""Username-less sign-in: a discoverable passkey says whose it is (``signInWithDiscoverablePasskey``).

Theory of operation. Every ``signedOut`` reply of a backend with passkeys
carries the action with fresh request options (a MAC-proven challenge,
:mod:`.passkey_challenges`, and an empty ``allowCredentials``), so a browser
can offer the site's passkeys in the username field's autofill (conditional
mediation) or behind a "Sign in with a passkey" button, before the person
types anything. The assertion comes back in ``credential``; then:

1. the challenge it signed must be one this server issued and not expired;
2. the credential id must name a stored passkey of a confirmed account, and
   the ``userHandle`` the authenticator returned (the account's ``sub``, the
   user id given at registration) must match that account;
3. py_webauthn verifies signature, origin, RP id, user verification (when MFA
   is required) and the signature counter, which advances with last use;
4. the challenge is recorded as spent (a replayed assertion is refused);
5. as with the username flow (``challenges._answer_webauthn``), a passkey
   whose authenticator verified the person signs in at once; one without user
   verification is possession alone, so the account's MFA still applies.

Steps 1 and 2 answer alike (``UNKNOWN_PASSKEY``, or ``PASSKEY_REJECTED`` for a
bad challenge) whatever went wrong, and every failure spends the address's
budget, so the action tells nothing about which accounts exist.
"""

from __future__ import annotations

import logging

from ..state_machine.protocol import SIGN_IN_WITH_DISCOVERABLE_PASSKEY
from .components import Components
from .context import Outcome, Params, Request
from .errors import AuthError, Problem
from .passkey_challenges import asserted_challenge, b64url
from .passkeys import parse_credential
from .sign_in import complete_sign_in, mfa_step

_log = logging.getLogger(__name__)


def sign_in_with_discoverable_passkey(parts: Components, request: Request, params: Params) -> Outcome:
    if not parts.settings.passkeys_enabled:
        raise AuthError(Problem.UNKNOWN_ACTION, f"Unknown action: {SIGN_IN_WITH_DISCOVERABLE_PASSKEY}")
    credential = parse_credential(params.text("credential"))
    passkey = parts.passkeys.get(credential["id"])
    user = parts.users.by_id(passkey.user_id) if passkey is not None else None
    subject = parts.subject(user.username if user is not None else "", request)
    attempt = parts.limiter.spend_attempt(subject, request.now)
    challenge = asserted_challenge(credential)
    if challenge is None or not parts.passkey_challenges.is_valid(challenge, request.now):
        raise AuthError(Problem.PASSKEY_REJECTED)
    if user is None or user.status != "CONFIRMED" or not _handle_matches(credential, user.sub):
        _log.info("username-less passkey sign-in with an unknown passkey from %s", request.address)
        raise AuthError(Problem.UNKNOWN_PASSKEY)
    require_uv = parts.settings.mfa_mode == "required"
    user_verified = parts.passkeys.authenticate(
        user_id=user.id,
        credential=credential,
        challenge=b64url(challenge),
        require_user_verification=require_uv,
        now=request.now,
    )
    if not parts.passkey_challenges.spend(challenge, request.now):
        _log.warning("replayed passkey assertion for %s from %s", user.username, request.address)
        raise AuthError(Problem.PASSKEY_REJECTED)
    parts.limiter.refund(attempt)
    if not user_verified:
        # Possession alone (a key without its PIN or biometric) is one factor: MFA still applies.
        return mfa_step(parts, request, user)
    return complete_sign_in(parts, request, user)


def _handle_matches(credential: dict[str, object], sub: str) -> bool:
    """The authenticator's ``userHandle`` names ``sub`` (the user id given at registration).

    A discoverable credential always returns it; its absence (a non-discoverable
    credential offered anyway) is accepted, the credential id alone then names
    the account, as in the username flow.
    """
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    if handle is None or handle == "":
        return True
    return bool(handle == b64url(sub.encode("utf-8")))
