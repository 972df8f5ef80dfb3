"""A browserless authenticator: the state machine driven against any AuthStateApi.

This is the "test your auth flows without a browser" feature. It runs exactly
the machine the NiceGUI element runs, so a flow that passes here behaves the
same on screen; only the rendering is missing. Each method feeds one person
event and returns the :class:`Screen` that results once every call it caused
has answered.

One-call helpers (:meth:`HeadlessAuthenticator.sign_in`,
:meth:`~HeadlessAuthenticator.sign_up`) walk the usual challenges for a test
author and raise :class:`AuthFlowError` naming the screen where they stopped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import JsonValue

from ..state_machine import (
    AuthMachine,
    AuthUser,
    Cancel,
    Event,
    FieldKind,
    MachineConfig,
    Navigate,
    PasskeyAutofilled,
    Refresh,
    Retry,
    Screen,
    ScreenName,
    Start,
    Submit,
    SubmitExternalForm,
    translate,
)
from ..state_machine.protocol import SIGN_OUT
from .api import AuthStateApi
from .callbacks import call_handler
from .driver import EffectRunner
from .headless_port import AuthChangeCallback, HeadlessPort, WebAuthnCallback

CodeSource = str | Callable[[Screen], str | Awaitable[str]]
"""A one-time code, or a function of the code screen that finds it (e.g. in an outbox)."""


_MAX_STEPS = 12  # no real flow has more screens than this; a loop is a bug


class AuthFlowError(Exception):
    """A helper could not finish the flow. ``screen`` is where it stopped."""

    def __init__(self, message: str, screen: Screen) -> None:
        error = translate(screen.error) if screen.error is not None else None
        detail = f" ({screen.error_name or 'error'}: {error})" if error else ""
        super().__init__(f"{message}: stopped on screen {screen.name.value!r}{detail}")
        self.screen = screen


class HeadlessAuthenticator:
    """Drive sign-in flows against ``api`` without a browser."""

    def __init__(
        self,
        api: AuthStateApi,
        *,
        config: MachineConfig | None = None,
        webauthn: WebAuthnCallback | None = None,
        on_auth_change: AuthChangeCallback | None = None,
    ) -> None:
        self._port = HeadlessPort(api, webauthn=webauthn, on_auth_change=on_auth_change)
        self._runner = EffectRunner(AuthMachine(config or MachineConfig()), self._port)
        self.enrolled_totp_secret: str | None = None

    @property
    def api(self) -> AuthStateApi:
        return self._port.api

    @property
    def machine(self) -> AuthMachine:
        """The machine as it is now; a test may set it to seed a state."""
        return self._runner.machine

    @machine.setter
    def machine(self, machine: AuthMachine) -> None:
        self._runner.machine = machine

    @property
    def external_forms(self) -> list[SubmitExternalForm]:
        """Federated form posts the flow asked for, in order (a browser would have left the page)."""
        return self._port.external_forms

    # ------------------------------------------------------------------ basics

    @property
    def screen(self) -> Screen:
        return self.machine.screen

    @property
    def user(self) -> AuthUser | None:
        return self.machine.user

    async def start(self) -> Screen:
        """Read the server's state and show the first screen."""
        return await self._feed(Start())

    async def refresh(self) -> Screen:
        return await self._feed(Refresh())

    async def navigate(self, to: ScreenName | str) -> Screen:
        """Move between sign in, sign up, forgot password and passkey sign-in (no call)."""
        return await self._feed(Navigate(ScreenName(to)))

    async def submit(
        self,
        values: Mapping[str, str] | None = None,
        action: str | None = None,
        *,
        extra: Mapping[str, JsonValue] | None = None,
        skip_validation: bool = False,
    ) -> Screen:
        """Submit the screen's primary form, or the one for ``action`` (e.g. ``resendSignUpCode``)."""
        return await self._feed(Submit(dict(values or {}), action, dict(extra or {}), skip_validation))

    async def cancel(self) -> Screen:
        """ "Back to Sign In"."""
        return await self._feed(Cancel())

    async def retry(self) -> Screen:
        return await self._feed(Retry())

    # ---------------------------------------------------------------- helpers

    async def sign_in(
        self,
        username: str,
        password: str,
        *,
        totp_secret: str | None = None,
        code: CodeSource | None = None,
        mfa_type: str | None = None,
        new_password: str | None = None,
    ) -> AuthUser:
        """Sign in, answering challenges as they come; return the signed-in user.

        ``totp_secret`` answers authenticator-app codes (and picks TOTP where a
        choice is offered); ``code`` answers emailed/texted codes; ``mfa_type``
        picks a method explicitly; ``new_password`` answers the new-password
        challenge of admin-created users. When a TOTP setup is demanded, the new
        secret is enrolled and kept in :attr:`enrolled_totp_secret`.
        """
        screen = await self._ensure_started()
        if screen.user is not None:
            if screen.user.username == username:
                return screen.user
            await self.sign_out()
        if self.screen.name is not ScreenName.SIGN_IN:
            await self.navigate(ScreenName.SIGN_IN)
        screen = await self.submit({"username": username, "password": password})
        return await self._answer_challenges(
            screen,
            password=password,
            totp_secret=totp_secret,
            code=code,
            mfa_type=mfa_type,
            new_password=new_password,
        )

    async def sign_in_with_passkey(
        self,
        *,
        autofill: bool = False,
        totp_secret: str | None = None,
        code: CodeSource | None = None,
        mfa_type: str | None = None,
    ) -> AuthUser:
        """Sign in with a discoverable passkey, no username typed; return the signed-in user.

        The ``webauthn`` callback plays the authenticator. By default this is the
        "Sign in with a passkey" button (the modal ceremony); ``autofill=True``
        is the passkey picked from the username field's suggestions
        (:class:`PasskeyAutofilled`). A passkey without user verification may
        still meet a second factor, answered like :meth:`sign_in` does.
        """
        screen = await self._ensure_started()
        if screen.user is not None:
            await self.sign_out()
        if self.screen.name is not ScreenName.SIGN_IN:
            await self.navigate(ScreenName.SIGN_IN)
        form = self.screen.username_less_passkey
        if form is None:
            raise AuthFlowError("the server offers no username-less passkey sign-in", self.screen)
        if not autofill:
            screen = await self.submit(action=form.action)
        else:
            options = form.field("credentialRequestOptions")
            if self._port.webauthn is None or options is None:
                raise AuthFlowError("passkey autofill needs a webauthn callback and options", self.screen)
            screen = await self._feed(PasskeyAutofilled(await self._port.webauthn("get", options.value)))
        return await self._answer_challenges(
            screen, password="", totp_secret=totp_secret, code=code, mfa_type=mfa_type
        )

    async def sign_up(
        self,
        username: str,
        password: str,
        *,
        attributes: Mapping[str, str] | None = None,
        code: CodeSource | None = None,
        totp_secret: str | None = None,
        mfa_type: str | None = None,
    ) -> Screen:
        """Create an account and confirm it; return the screen the flow ends on
        (signed in with auto sign-in, else the sign-in screen)."""
        screen = await self._ensure_started()
        if screen.name is not ScreenName.SIGN_UP:
            screen = await self.navigate(ScreenName.SIGN_UP)
        values = {
            "username": username,
            "password": password,
            "confirmPassword": password,
            **(attributes or {}),
        }
        screen = await self.submit(values)
        if screen.name is ScreenName.SIGN_UP:
            raise AuthFlowError("sign-up was refused", screen)
        if screen.name is ScreenName.CONFIRM_SIGN_UP:
            if code is None:
                raise AuthFlowError("a confirmation code is needed (pass code=...)", screen)
            screen = await self.submit({"code": await _code(code, screen)})
        if screen.name in (ScreenName.SIGNED_IN, ScreenName.SIGN_IN):
            return screen
        await self._answer_challenges(
            screen, password=password, totp_secret=totp_secret, code=code, mfa_type=mfa_type
        )
        return self.screen

    async def sign_out(self) -> Screen:
        screen = self.screen
        if screen.user is None or screen.form(SIGN_OUT) is None:
            screen = await self.refresh()
        if screen.form(SIGN_OUT) is None:
            raise AuthFlowError("no sign-out offered", screen)
        return await self.submit(action=SIGN_OUT)

    # --------------------------------------------------------------- internals

    async def _ensure_started(self) -> Screen:
        if self.machine.state is None:
            return await self.start()
        return self.screen

    async def _answer_challenges(
        self,
        screen: Screen,
        *,
        password: str,
        totp_secret: str | None,
        code: CodeSource | None,
        mfa_type: str | None,
        new_password: str | None = None,
    ) -> AuthUser:
        given = _Given(password, totp_secret, code, mfa_type, new_password)
        for _ in range(_MAX_STEPS):
            if screen.user is not None:
                return screen.user
            if screen.error is not None and screen.name in (ScreenName.SIGN_IN, ScreenName.LOADING):
                raise AuthFlowError("sign-in failed", screen)
            answer = _ANSWERS.get(screen.name)
            if answer is None:
                raise AuthFlowError("no automatic answer for this screen", screen)
            values = await answer(self, screen, given)
            before = screen
            screen = await self.submit(values)
            if screen.error is not None and screen.name is before.name:
                raise AuthFlowError(f"the {before.name.value} step was refused", screen)
        raise AuthFlowError("too many steps", screen)

    async def _feed(self, event: Event) -> Screen:
        """Handle ``event`` and every event its effects cause; a refused event raises
        :class:`~..state_machine.InvalidTransition` (the caller is a program)."""
        return await self._runner.feed(event)


async def _code(source: CodeSource, screen: Screen) -> str:
    if isinstance(source, str):
        return source
    return await call_handler(source, screen)


@dataclass(frozen=True)
class _Given:
    """What a helper's caller handed over to answer the challenges with."""

    password: str
    totp_secret: str | None
    code: CodeSource | None
    mfa_type: str | None
    new_password: str | None


Answer = Callable[[HeadlessAuthenticator, Screen, _Given], Awaitable[dict[str, str]]]


async def _answer_code(_: HeadlessAuthenticator, screen: Screen, given: _Given) -> dict[str, str]:
    if screen.code_variant == "totp" and given.totp_secret:
        return {"code": _totp_now(given.totp_secret)}
    if given.code is None:
        raise AuthFlowError(f"a {screen.code_variant or 'one-time'} code is needed", screen)
    return {"code": await _code(given.code, screen)}


async def _answer_choice(_: HeadlessAuthenticator, screen: Screen, given: _Given) -> dict[str, str]:
    options = [c.value for c in screen.choices]
    wanted: str | None
    if screen.name is ScreenName.SELECT_FIRST_FACTOR:
        wanted = given.mfa_type if given.mfa_type in options else "PASSWORD"
    else:
        wanted = given.mfa_type or ("TOTP" if given.totp_secret and "TOTP" in options else None)
    if wanted is None or (options and wanted not in options):
        raise AuthFlowError(f"choose one of {options} (pass mfa_type=...)", screen)
    field = screen.primary.first_of(FieldKind.CHOICE, FieldKind.TEXT) if screen.primary else None
    return {field.name if field else "mfaType": wanted}


async def _answer_totp_setup(auth: HeadlessAuthenticator, screen: Screen, _: _Given) -> dict[str, str]:
    secret = screen.totp_secret
    if not secret:
        raise AuthFlowError("the TOTP setup screen carries no secret", screen)
    auth.enrolled_totp_secret = secret
    return {"code": _totp_now(secret)}


def _totp_now(secret: str) -> str:
    # pyotp is imported here, by a flow that reaches a TOTP step, not whenever ``client`` is
    # imported: the page server imports ``client`` at its start and never drives a headless flow.
    import pyotp

    return pyotp.TOTP(secret).now()


async def _answer_password(_: HeadlessAuthenticator, __: Screen, given: _Given) -> dict[str, str]:
    return {"password": given.password}


async def _answer_new_password(_: HeadlessAuthenticator, screen: Screen, given: _Given) -> dict[str, str]:
    if given.new_password is None:
        raise AuthFlowError("a new password is required (pass new_password=...)", screen)
    return {"newPassword": given.new_password, "confirmPassword": given.new_password}


async def _answer_nothing(_: HeadlessAuthenticator, __: Screen, ___: _Given) -> dict[str, str]:
    return {}


# How the sign-in helper answers each challenge screen; a screen not listed stops it.
_ANSWERS: Final[Mapping[ScreenName, Answer]] = {
    ScreenName.CONFIRM_CODE: _answer_code,
    ScreenName.SELECT_MFA: _answer_choice,
    ScreenName.SELECT_MFA_SETUP: _answer_choice,
    ScreenName.SELECT_FIRST_FACTOR: _answer_choice,
    ScreenName.SETUP_TOTP: _answer_totp_setup,
    ScreenName.ENTER_PASSWORD: _answer_password,
    ScreenName.NEW_PASSWORD: _answer_new_password,
    ScreenName.PASSKEY_ASSERT: _answer_nothing,
    ScreenName.AUTO_SIGN_IN: _answer_nothing,
}
