"""Screen renderers: one per :class:`ScreenName`, looked up by :func:`renderer_for`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from ....state_machine import ScreenName
from . import (
    auto_sign_in,
    confirm_code,
    confirm_identity,
    confirm_reset_password,
    confirm_sign_up,
    enter_password,
    forgot_password,
    generic,
    loading,
    new_password,
    passkey_assert,
    passkey_manage,
    passkey_register,
    passkey_sign_in,
    select_choice,
    setup_email,
    setup_totp,
    sign_in,
    sign_up,
    signed_in,
)
from .kit import ScreenContext

Renderer = Callable[[ScreenContext], None]

RENDERERS: Final[Mapping[ScreenName, Renderer]] = MappingProxyType(
    {
        ScreenName.LOADING: loading.render,
        ScreenName.SIGN_IN: sign_in.render,
        ScreenName.SIGN_UP: sign_up.render,
        ScreenName.FORGOT_PASSWORD: forgot_password.render,
        ScreenName.PASSKEY_SIGN_IN: passkey_sign_in.render,
        ScreenName.CONFIRM_SIGN_UP: confirm_sign_up.render,
        ScreenName.AUTO_SIGN_IN: auto_sign_in.render,
        ScreenName.CONFIRM_CODE: confirm_code.render,
        ScreenName.SELECT_MFA: select_choice.render,
        ScreenName.SELECT_MFA_SETUP: select_choice.render,
        ScreenName.SELECT_FIRST_FACTOR: select_choice.render,
        ScreenName.SETUP_TOTP: setup_totp.render,
        ScreenName.SETUP_EMAIL: setup_email.render,
        ScreenName.NEW_PASSWORD: new_password.render,
        ScreenName.ENTER_PASSWORD: enter_password.render,
        ScreenName.PASSKEY_ASSERT: passkey_assert.render,
        ScreenName.CONFIRM_RESET_PASSWORD: confirm_reset_password.render,
        ScreenName.SIGNED_IN: signed_in.render,
        ScreenName.PASSKEY_REGISTER: passkey_register.render,
        ScreenName.PASSKEY_MANAGE: passkey_manage.render,
        ScreenName.CONFIRM_IDENTITY: confirm_identity.render,
        ScreenName.GENERIC: generic.render,
    }
)


def renderer_for(name: ScreenName) -> Renderer:
    """The renderer of ``name``; the generic one for anything unforeseen."""
    return RENDERERS.get(name, generic.render)


__all__ = ["RENDERERS", "Renderer", "ScreenContext", "renderer_for"]
