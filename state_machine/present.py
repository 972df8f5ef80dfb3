"""Context -> Screen: forms, links, titles and hints for the classified screen.

Pure and cheap: shells call it after every event. :func:`.classify.classify`
decides the screen and its primary action; here the state's actions become
forms around it (secondary, external, per item), so the NiceGUI renderer and
the headless driver agree on what is shown and neither reads action names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .actions import SECOND_FACTOR_SETUPS, is_item, row_of
from .classify import Classified, classify
from .context import Context, MachineConfig, Phase
from .forms import CONFIRM_PASSWORD_FIELD, FieldKind, Form, FormRole, Known, build_form
from .labels import CodeVariant, code_variant, parse_destination
from .messages import Msg, Raw, Text, msg
from .otpauth import totp_uri
from .protocol import (
    CODE_DESTINATION_KEY,
    SIGN_IN,
    SIGN_UP,
    SIGNED_IN,
    WEBAUTHN_GET,
    AuthAction,
    AuthState,
)
from .screens import CHALLENGE_SCREENS, LOCAL_SCREENS, Link, LinkKind, Screen, ScreenName
from .sign_up_fields import with_sign_up_fields

_TITLES_WITH_VARIANT: Final = frozenset({ScreenName.CONFIRM_CODE})

_HINTS: Final[dict[ScreenName, str]] = {
    ScreenName.SETUP_TOTP: "hint.totp_setup",
    ScreenName.SETUP_EMAIL: "hint.email_setup",
    ScreenName.PASSKEY_ASSERT: "hint.passkey_assert",
    ScreenName.PASSKEY_REGISTER: "hint.passkey_register",
    ScreenName.CONFIRM_SIGN_UP: "hint.confirm_sign_up",
    ScreenName.FORGOT_PASSWORD: "hint.forgot_password",
    ScreenName.NEW_PASSWORD: "hint.new_password",
}


def _known(ctx: Context) -> Known:
    return Known(values=ctx.values, username=ctx.username, sign_up_password=ctx.sign_up_password)


def _signed_out_forms(
    state: AuthState, screen: ScreenName, action: AuthAction | None, ctx: Context, config: MachineConfig
) -> list[Form]:
    known = _known(ctx)
    forms: list[Form] = []
    if action is not None:
        sign_up = screen is ScreenName.SIGN_UP
        form = build_form(
            action,
            known,
            new_password=sign_up,
            confirm_password=sign_up and config.confirm_password,
            policy=config.password_policy,
        )
        forms.append(with_sign_up_fields(form, config.sign_up_fields, known.values) if sign_up else form)
    if screen in (ScreenName.SIGN_IN, ScreenName.SIGN_UP):
        forms.extend(build_form(a, known) for a in state.actions if a.is_external)
    return forms


def _signed_out_links(state: AuthState, screen: ScreenName, config: MachineConfig) -> list[Link]:
    offered = {s for s, action in LOCAL_SCREENS.items() if state.action(action) is not None}
    if not config.sign_up:
        offered.discard(ScreenName.SIGN_UP)
    links: list[Link] = []
    if screen in (ScreenName.SIGN_IN, ScreenName.SIGN_UP) and ScreenName.SIGN_UP in offered:
        links.append(
            Link(LinkKind.TAB, ScreenName.SIGN_IN, msg("tab.sign_in"), SIGN_IN, screen is ScreenName.SIGN_IN)
        )
        links.append(
            Link(LinkKind.TAB, ScreenName.SIGN_UP, msg("tab.sign_up"), SIGN_UP, screen is ScreenName.SIGN_UP)
        )
    if screen is ScreenName.SIGN_IN:
        if ScreenName.FORGOT_PASSWORD in offered:
            links.append(
                Link(
                    LinkKind.NAVIGATE,
                    ScreenName.FORGOT_PASSWORD,
                    msg("link.forgot_password"),
                    "forgotPassword",
                )
            )
        if ScreenName.PASSKEY_SIGN_IN in offered:
            links.append(
                Link(
                    LinkKind.NAVIGATE,
                    ScreenName.PASSKEY_SIGN_IN,
                    msg("link.passkey_sign_in"),
                    "passkeySignIn",
                )
            )
    elif screen in (ScreenName.FORGOT_PASSWORD, ScreenName.PASSKEY_SIGN_IN) and ScreenName.SIGN_IN in offered:
        links.append(Link(LinkKind.BACK, ScreenName.SIGN_IN, msg("link.back_to_sign_in"), "backToSignIn"))
    return links


def _challenge_forms(
    state: AuthState, screen: ScreenName, primary: AuthAction | None, ctx: Context, config: MachineConfig
) -> list[Form]:
    known = _known(ctx)
    forms: list[Form] = []
    for action in state.actions:
        if action.is_external:
            forms.append(build_form(action, known))
            continue
        is_primary = action is primary
        chooses = screen in (
            ScreenName.SELECT_MFA,
            ScreenName.SELECT_MFA_SETUP,
            ScreenName.SELECT_FIRST_FACTOR,
        )
        label: Text | None = None
        if is_primary and chooses:
            label = msg("action.confirmSignIn.select")
        elif is_primary and screen is ScreenName.PASSKEY_ASSERT:
            label = msg("action.confirmSignIn.passkey")
        forms.append(
            build_form(
                action,
                known,
                role=FormRole.PRIMARY if is_primary else FormRole.SECONDARY,
                label=label,
                confirm_password=config.confirm_password
                and is_primary
                and screen is not ScreenName.CONFIRM_SIGN_UP,
                hide_known=screen in (ScreenName.CONFIRM_SIGN_UP, ScreenName.CONFIRM_RESET_PASSWORD),
                policy=config.password_policy,
            )
        )
    return forms


def _signed_in_forms(
    state: AuthState, primary: AuthAction | None, ctx: Context, config: MachineConfig
) -> list[Form]:
    known = _known(ctx)
    return [
        build_form(
            action,
            known,
            role=FormRole.PRIMARY if action is primary else FormRole.SECONDARY,
            label=_signed_in_label(action),
            new_password=False,
            policy=config.password_policy,
        )
        for action in state.actions
    ]


def _signed_in_label(action: AuthAction) -> Text | None:
    """Our button text where the action's name does not say enough (else the table's)."""
    if is_item(action.name) and action.label:
        # One deletePasskey per passkey: only the server's label ("Delete passkey
        # cred-2e3…") tells the buttons apart.
        return Raw(action.label)
    if action.capability == WEBAUTHN_GET:  # re-authentication by passkey
        return msg("action.confirmSignIn.passkey")
    return None


def _identity_hint(primary: Form | None, destination: str | None) -> Text | None:
    """What the re-authentication form asks for: a password, a code (sent where), or a passkey."""
    if primary is None:
        return None
    if primary.capability == WEBAUTHN_GET:
        return msg("hint.passkey_assert")
    if primary.first_of(FieldKind.ONE_TIME_CODE) is None:
        return msg("hint.confirm_identity.password")
    if destination:
        return msg("hint.code.sent_to", destination=destination)
    return msg("hint.confirm_identity.totp")


def _title(screen: ScreenName, variant: str | None) -> Msg:
    if screen in _TITLES_WITH_VARIANT and variant:
        return msg(f"screen.{screen.value}.{variant}")
    return msg(f"screen.{screen.value}")


def _field_errors(ctx: Context, forms: list[Form]) -> dict[str, Text]:
    """Client-side validation errors, plus the server error under its field."""
    errors = dict(ctx.field_errors)
    if ctx.error is None or ctx.error_field is None:
        return errors
    primary = next((f for f in forms if f.role is FormRole.PRIMARY), None)
    if primary is None:
        return errors
    target = primary.field(ctx.error_field)
    if target is None and ctx.error_field == "password":
        target = primary.first_of(FieldKind.NEW_PASSWORD, FieldKind.CURRENT_PASSWORD)
    if target is not None and target.visible and target.name not in errors:
        errors[target.name] = ctx.error
    return errors


def _forms_and_links(
    state: AuthState, classified: Classified, ctx: Context, config: MachineConfig
) -> tuple[list[Form], list[Link]]:
    name, primary = classified.screen, classified.primary
    links: list[Link] = []
    if name in LOCAL_SCREENS:
        forms = _signed_out_forms(state, name, primary, ctx, config)
        links = _signed_out_links(state, name, config)
    elif name in (ScreenName.SIGNED_IN, ScreenName.PASSKEY_MANAGE, ScreenName.PASSKEY_REGISTER) or (
        state.state == SIGNED_IN
    ):
        forms = _signed_in_forms(state, primary, ctx, config)
    else:
        forms = _challenge_forms(state, name, primary, ctx, config)
    if name in CHALLENGE_SCREENS and state.state != SIGNED_IN:
        links.append(Link(LinkKind.BACK, ScreenName.SIGN_IN, msg("link.back_to_sign_in"), "backToSignIn"))
    return forms, links


@dataclass(frozen=True)
class _Details:
    """What the primary form's server label and hidden fields tell the person."""

    destination: str | None = None
    variant: CodeVariant | None = None
    secret: str | None = None
    uri: str | None = None


def _details(
    name: ScreenName, primary: Form | None, state: AuthState, ctx: Context, config: MachineConfig
) -> _Details:
    if primary is None:
        return _Details()
    variant = None
    if name is ScreenName.CONFIRM_CODE:
        row = row_of(primary.action)
        variant = code_variant(primary.server_label) or (row.code_variant if row is not None else None)
    secret = uri = None
    secret_field = primary.field("sharedSecret")
    if name is ScreenName.SETUP_TOTP and secret_field is not None and secret_field.value:
        secret = secret_field.value
        account = ctx.username or (state.user.display_name if state.user else "") or "user"
        uri = totp_uri(secret, account, config.issuer)
    return _Details(parse_destination(primary.server_label) or _sent_to(state, primary), variant, secret, uri)


def _sent_to(state: AuthState, primary: Form) -> str | None:
    """The masked address an action's additive ``codeDestination`` key names, if any."""
    action = state.action(primary.action)
    value = (action.model_extra or {}).get(CODE_DESTINATION_KEY) if action is not None else None
    return value if isinstance(value, str) and value else None


def _hint(name: ScreenName, destination: str | None, primary: Form | None) -> Text | None:
    if name is ScreenName.CONFIRM_IDENTITY:
        return _identity_hint(primary, destination)
    if name is ScreenName.CONFIRM_SIGN_UP and destination:
        return msg("hint.code.sent_to", destination=destination)
    if name is ScreenName.CONFIRM_CODE:
        return msg("hint.code.sent_to", destination=destination) if destination else msg("hint.code")
    if name is ScreenName.CONFIRM_RESET_PASSWORD:
        # Servers answer alike for unknown accounts: the hint says "if", never that a code went out.
        return (
            msg("hint.reset_code.sent_to", destination=destination) if destination else msg("hint.reset_code")
        )
    return msg(_HINTS[name]) if name in _HINTS else None


def build_screen(ctx: Context, config: MachineConfig) -> Screen:
    """The screen for the machine's context."""
    state = ctx.state
    classified = classify(state, ctx.view)
    name = classified.screen
    forms: list[Form] = []
    links: list[Link] = []
    details = _Details()
    primary: Form | None = None
    if state is not None:
        forms, links = _forms_and_links(state, classified, ctx, config)
        primary = next((f for f in forms if f.role is FormRole.PRIMARY), None)
        details = _details(name, primary, state, ctx, config)
    return Screen(
        name=name,
        title=_title(name, details.variant),
        forms=tuple(forms),
        links=tuple(links),
        hint=_hint(name, details.destination, primary),
        error=ctx.error,
        error_name=ctx.error_name,
        field_errors=_field_errors(ctx, forms),
        notice=ctx.notice,
        user=state.user if state is not None and state.state == SIGNED_IN else None,
        destination=details.destination,
        code_variant=details.variant,
        totp_secret=details.secret,
        totp_uri=details.uri,
        pending=ctx.phase is not Phase.IDLE,
        can_retry=ctx.failed is not None,
        server_state=state.state if state is not None else None,
        suggested=_suggested(name, forms, ctx),
    )


def _suggested(name: ScreenName, forms: list[Form], ctx: Context) -> tuple[Form, ...]:
    """The set-ups to suggest on the signed-in card, in :data:`SECOND_FACTOR_SETUPS` order."""
    if not ctx.suggest_factor or name is not ScreenName.SIGNED_IN:
        return ()
    by_action = {f.action: f for f in forms if f.role is FormRole.SECONDARY and not f.visible_fields}
    return tuple(by_action[a] for a in SECOND_FACTOR_SETUPS if a in by_action)


__all__ = ["CONFIRM_PASSWORD_FIELD", "build_screen"]
