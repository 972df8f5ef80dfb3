"""The AuthState replies, per mode, shaped field for field like the recordings.

Every reply the backend sends is built here, so the wire vocabulary (state
names, action order, labels, hidden fields) lives in one file that can be read
side by side with ``tests/fixtures``. Handlers decide *which* reply; this
module decides *what it looks like*.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache

from ..state_machine.protocol import (
    CODE_DESTINATION_KEY,
    CONFIRMING_PASSWORD_RESET,
    CONFIRMING_SIGN_IN,
    CONFIRMING_SIGN_UP,
    PASSKEY_KEY,
    RENAME_PASSKEY,
    RESEND_EMAIL_MFA_SETUP_CODE,
    RESEND_PASSWORD_RESET_CODE,
    RESEND_SIGN_IN_CODE,
    SIGN_IN_WITH_DISCOVERABLE_PASSKEY,
    SIGNED_IN,
    SIGNED_OUT,
    USE_ANOTHER_MFA_METHOD,
    WEBAUTHN_CREATE,
    WEBAUTHN_GET,
    AuthAction,
    AuthField,
    AuthState,
    AuthUser,
)
from .addresses import mask_email
from .code_message import iso_timestamp
from .errors import Wording
from .forms import (
    action,
    attribute_field,
    field,
    hidden,
    identifier_field,
    new_password_field,
    pick_one_of,
    sign_up_attribute_names,
)
from .passkey_names import MAX_NAME_LENGTH, display_name
from .passkeys import Passkey
from .settings import BackendSettings
from .users import User


class Replies:
    """Builds every AuthState for one configuration."""

    def __init__(self, settings: BackendSettings) -> None:
        self._settings = settings
        self._cognito = settings.mode == "cognito"
        # Every getAuthState of a signed-in person builds these actions, and building
        # them (pydantic validation of ~7 actions and their fields) was a third of the
        # request (issue 15 profile). They depend only on the settings, the methods the
        # account enrolled and its email, and the models are frozen, so one built tuple
        # serves every request with the same inputs.
        self._actions_for = lru_cache(maxsize=1024)(self._build_signed_in_actions)

    # -- signed out ---------------------------------------------------------------------

    @cached_property
    def signed_out(self) -> AuthState:
        """The base state: sign in, (passkey), sign up, forgot password."""
        s = self._settings
        ident = identifier_field(s)
        account = identifier_field(s, names_account=True)
        # In the choice flow (USER_AUTH) the password is optional: a sign-in with
        # the identifier alone asks how to sign in (challenge ``firstFactor``).
        choice = s.flow == "choice"
        password = field("password", "Password", "password", required=not choice)
        actions = [action("signIn", "Sign In", account, password)]
        if s.passkeys_enabled:
            # The recorded block labels this field "Username" even when sign-in is by email.
            actions.append(action("signInWithPasskey", "Sign in with passkey", field("username", "Username")))
        if s.self_sign_up:
            attributes = [attribute_field(name) for name in sign_up_attribute_names(s)]
            password = new_password_field("password", "Password", s.policy)
            actions.append(action("signUp", "Create Account", ident, password, *attributes))
        actions.append(action("resetPassword", "Forgot Password", account))
        return AuthState(state=SIGNED_OUT, actions=tuple(actions))

    @staticmethod
    def with_discoverable_passkey(state: AuthState, options_json: str) -> AuthState:
        """``state`` (signedOut) plus the username-less passkey sign-in, after the recorded actions.

        Its options change with every reply (a fresh challenge), so it is added to
        each signedOut reply rather than kept in the cached base state.
        """
        sign_in = action(
            SIGN_IN_WITH_DISCOVERABLE_PASSKEY,
            "Sign in with a passkey",
            hidden("credentialRequestOptions", options_json),
            hidden("credential"),
            capability=WEBAUTHN_GET,
        )
        return state.model_copy(update={"actions": (*state.actions, sign_in)})

    def with_error(self, state: AuthState, wording: Wording) -> AuthState:
        return state.model_copy(update={"error": wording.message, "error_name": wording.name})

    @staticmethod
    def retriable(wording: Wording, *, retry_after: int | None = None) -> AuthState:
        """The thin reply of a failed challenge step: keep the current form, show the error.

        ``retry_after``: the seconds to wait before the next attempt is accepted, when known.
        """
        return AuthState(
            state=SIGNED_OUT,
            error=wording.message,
            retriable=True,
            errorName=wording.name,
            retryAfter=retry_after,
        )

    # -- sign-up and reset ----------------------------------------------------------------

    def confirming_sign_up(self, username: str, destination: str | None = None) -> AuthState:
        """``destination`` (masked) only where the person just typed it: sign-up, not resend."""
        if not self._cognito:
            # AuthBasic asks again for username and password (fixtures README, point 5).
            return AuthState(
                state=CONFIRMING_SIGN_UP,
                actions=(
                    action(
                        "confirmSignUp",
                        "Confirm Account",
                        field("username", "Username"),
                        field("code", "Verification Code"),
                        field("password", "Password", "password"),
                    ),
                ),
            )
        confirm = action(
            "confirmSignUp",
            "Confirm Account",
            hidden("username", username),
            field("code", "Verification Code"),
        )
        if destination:
            confirm = AuthAction.model_validate({**confirm.to_wire(), CODE_DESTINATION_KEY: destination})
        return AuthState(
            state=CONFIRMING_SIGN_UP,
            actions=(
                confirm,
                action("resendSignUpCode", "Resend Code", hidden("username", username)),
            ),
        )

    @staticmethod
    def auto_sign_in(username: str) -> AuthState:
        """A ``confirmingSignUp`` whose only action is ``autoSignIn``: clients submit it at once."""
        return AuthState(
            state=CONFIRMING_SIGN_UP,
            actions=(action("autoSignIn", "Continue", hidden("username", username)),),
        )

    def confirming_reset(self, username: str, destination: str | None = None) -> AuthState:
        """``destination``: the masked address the person typed, never one read from the account."""
        user_field = hidden("username", username) if self._cognito else field("username", "Username")
        confirm = action(
            "confirmResetPassword",
            "Reset Password",
            user_field,
            field("code", "Reset Code"),
            new_password_field("newPassword", "New Password", self._settings.policy),
        )
        if not self._cognito:
            return AuthState(state=CONFIRMING_PASSWORD_RESET, actions=(confirm,))
        # Additive (docs/protocol.md, "Code screens"): where the code went, and a resend.
        resend = action(RESEND_PASSWORD_RESET_CODE, "Resend Code", hidden("username", username))
        return AuthState(state=CONFIRMING_PASSWORD_RESET, actions=(_sent_to(confirm, destination), resend))

    # -- challenges -----------------------------------------------------------------------

    @staticmethod
    def challenge(
        kind: str, session: str, label: str, fields: Sequence[AuthField] = (), capability: str | None = None
    ) -> AuthState:
        head = (hidden("session", session), hidden("challenge", kind))
        return AuthState(
            state=CONFIRMING_SIGN_IN,
            actions=(action("confirmSignIn", label, *head, *fields, capability=capability),),
        )

    def code_challenge(
        self, session: str, label: str, *, resend: bool = False, other_methods: bool = False
    ) -> AuthState:
        """A one-time code step; ``resend`` (a sent code) and ``other_methods`` add additive actions."""
        state = self.challenge("code", session, label, (field("code", "Code"),))
        extra = []
        if resend:
            extra.append(action(RESEND_SIGN_IN_CODE, "Resend Code", hidden("session", session)))
        if other_methods:
            extra.append(action(USE_ANOTHER_MFA_METHOD, "Use another method", hidden("session", session)))
        return state.model_copy(update={"actions": (*state.actions, *extra)}) if extra else state

    def mfa_choice(self, session: str, options: tuple[str, ...], *, setup: bool) -> AuthState:
        label = "Choose MFA Setup" if setup else "Choose MFA Method"
        return self.challenge("mfaType", session, label, (field("mfaType", pick_one_of(options)),))

    def totp_setup_challenge(self, session: str, secret: str) -> AuthState:
        fields = (hidden("sharedSecret", secret), field("code", "Code from Authenticator"))
        return self.challenge("totpSetup", session, "Set Up Authenticator", fields)

    def email_setup_challenge(self, session: str, email: str | None) -> AuthState:
        return self.challenge(
            "email", session, "Set Up Email", (field("email", "Email", "email", defaultValue=email),)
        )

    def new_password_challenge(self, session: str) -> AuthState:
        fields = (new_password_field("newPassword", "New Password", self._settings.policy),)
        return self.challenge("newPassword", session, "Set New Password", fields)

    def password_challenge(self, session: str) -> AuthState:
        return self.challenge(
            "password", session, "Enter Password", (field("password", "Password", "password"),)
        )

    def first_factor_challenge(self, session: str, options: tuple[str, ...]) -> AuthState:
        fields = (field("firstFactor", pick_one_of(options)),)
        return self.challenge("firstFactor", session, "Choose Sign-In Method", fields)

    def webauthn_challenge(self, session: str, options_json: str) -> AuthState:
        fields = (hidden("credentialRequestOptions", options_json), hidden("credential"))
        return self.challenge("webauthn", session, "Use Passkey", fields, capability=WEBAUTHN_GET)

    # -- signed in ------------------------------------------------------------------------

    def user(self, user: User) -> AuthUser:
        if not self._cognito:
            basic: dict[str, object] = {
                "userId": user.username,
                "username": user.username,
                "createdAt": iso_timestamp(user.created_at),
            }
            if user.groups:  # AuthBasic has no groups; the key appears only once an admin adds one
                basic["groups"] = list(user.groups)
            return AuthUser.model_validate(basic)
        attributes: dict[str, str] = {}
        if user.email:
            attributes["email"] = user.email
            attributes["email_verified"] = "true" if user.email_verified else "false"
        if user.phone:
            attributes["phone_number"] = user.phone
            attributes["phone_number_verified"] = "true" if user.phone_verified else "false"
        attributes.update(user.attributes)
        return AuthUser.model_validate(
            {
                "userId": user.username,
                "username": user.username,
                "userSub": user.sub,
                "groups": list(user.groups),
                "attributes": attributes,
            }
        )

    def signed_in(self, user: User, actions: Sequence[AuthAction] | None = None) -> AuthState:
        return AuthState(
            state=SIGNED_IN,
            user=self.user(user),
            actions=tuple(self.signed_in_actions(user) if actions is None else actions),
        )

    def signed_in_actions(self, user: User) -> list[AuthAction]:
        """signOut, passkey actions (as recorded), then the MFA self-service extras."""
        types = self._settings.active_mfa_types
        enrolled = user.enrolled_mfa(types)
        offers_email_setup = self._cognito and "EMAIL" in types and "EMAIL" not in enrolled
        return list(self._actions_for(enrolled, user.email if offers_email_setup else None))

    def _build_signed_in_actions(
        self, enrolled: tuple[str, ...], email: str | None
    ) -> tuple[AuthAction, ...]:
        actions = [action("signOut", "Sign Out")]
        if not self._cognito:
            return tuple(actions)
        s = self._settings
        if s.passkeys_enabled:
            actions.append(action("startPasskeyRegistration", "Add a passkey to this device"))
            actions.append(action("listPasskeys", "Manage passkeys"))
        types = s.active_mfa_types
        if "TOTP" in types and "TOTP" not in enrolled:
            actions.append(action("startTotpSetup", "Set up authenticator app"))
        if "EMAIL" in types and "EMAIL" not in enrolled:
            actions.append(
                action(
                    "startEmailMfaSetup",
                    "Set up email codes",
                    field("email", "Email", "email", defaultValue=email),
                )
            )
        if len(enrolled) > 1:  # a choice of one is no choice (issue 12, item 8)
            actions.append(
                action("setPreferredMfa", "Set preferred MFA method", field("mfaType", pick_one_of(enrolled)))
            )
        if enrolled and s.mfa_mode != "required":
            actions.append(action("disableMfa", "Turn off MFA"))
        actions.append(
            action(
                "changePassword",
                "Change password",
                field("currentPassword", "Current Password", "password"),
                new_password_field("newPassword", "New Password", s.policy),
            )
        )
        actions.append(action("signOutEverywhere", "Sign out everywhere"))
        return tuple(actions)

    def passkey_list(self, user: User, passkeys: Sequence[Passkey]) -> AuthState:
        """As recorded (one deletePasskey each, add, sign out), then one renamePasskey each.

        Both per-passkey actions carry the additive ``passkey`` key: its name and dates.
        """
        actions = [
            _with_passkey(
                action(
                    "deletePasskey",
                    f"Delete passkey {p.credential_id[:7]}…",
                    hidden("credentialId", p.credential_id),
                ),
                p,
            )
            for p in passkeys
        ]
        actions.append(action("startPasskeyRegistration", "Add a passkey to this device"))
        actions.append(action("signOut", "Sign Out"))
        for p in passkeys:
            name = field(
                "name", "Name", maxLength=MAX_NAME_LENGTH, defaultValue=display_name(p.name, p.aaguid)
            )
            rename = action(
                RENAME_PASSKEY,
                f"Rename passkey {p.credential_id[:7]}…",
                hidden("credentialId", p.credential_id),
                name,
            )
            actions.append(_with_passkey(rename, p))
        return self.signed_in(user, actions)

    def passkey_registration(self, user: User, options_json: str) -> AuthState:
        complete = action(
            "completePasskeyRegistration",
            "Register passkey",
            hidden("credentialCreationOptions", options_json),
            hidden("credential"),
            capability=WEBAUTHN_CREATE,
        )
        return self.signed_in(user, [complete])

    def totp_setup_pending(self, user: User, secret: str) -> AuthState:
        complete = action(
            "completeTotpSetup",
            "Verify authenticator app",
            hidden("sharedSecret", secret),
            field("code", "Code from Authenticator"),
        )
        return self.signed_in(user, [complete, action("cancelSetup", "Cancel")])

    def email_setup_pending(self, user: User, email: str) -> AuthState:
        complete = action(
            "completeEmailMfaSetup", "Verify email code", hidden("email", email), field("code", "Code")
        )
        resend = action(RESEND_EMAIL_MFA_SETUP_CODE, "Resend Code")
        return self.signed_in(
            user, [_sent_to(complete, mask_email(email)), resend, action("cancelSetup", "Cancel")]
        )


def _sent_to(confirm: AuthAction, destination: str | None) -> AuthAction:
    """``confirm`` with the additive ``codeDestination`` key (unchanged without a destination)."""
    if not destination:
        return confirm
    return AuthAction.model_validate({**confirm.to_wire(), CODE_DESTINATION_KEY: destination})


def _with_passkey(item: AuthAction, passkey: Passkey) -> AuthAction:
    """``item`` with the additive ``passkey`` key: name (own, else provider) and dates."""
    about: dict[str, str] = {"createdAt": iso_timestamp(passkey.created_at)}
    name = display_name(passkey.name, passkey.aaguid)
    if name:
        about["name"] = name
    if passkey.last_used_at is not None:
        about["lastUsedAt"] = iso_timestamp(passkey.last_used_at)
    return AuthAction.model_validate({**item.to_wire(), PASSKEY_KEY: about})
