"""Render one :class:`Form` (an action made ready for a person) as a real ``<form>``.

Shared by every screen. It owns what a form does between server calls: live
password rules and the confirm-password mismatch message, clearing a field's
error once the person edits it, Enter to submit, and the pending state (the
submit button spins, every input is disabled, a second submit is impossible).
The wrapper carries ``authenticator-action-<action>`` and the button
``authenticator-submit``, so tests scope field hooks through the action.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from enum import StrEnum

from nicegui import ui

from ...state_machine import CONFIRM_PASSWORD_FIELD, FieldKind, Form, Template, Text, translate
from ...state_machine.messages import msg
from ...state_machine.rules import MatchesField
from .field_overrides import FieldOverride, ordered
from .fields import FieldHandle, build_field
from .hooks import action_hook, hook
from .quasar_props import QuasarProps, apply, parsed

SubmitHandler = Callable[["FormView"], Awaitable[None]]


class ButtonStyle(StrEnum):
    PRIMARY = "primary"  # full-width filled button
    SECONDARY = "secondary"  # full-width outlined button (Resend Code, account actions)
    LINK = "link"  # flat text button
    DANGER = "danger"  # small flat red button (delete passkey)
    PROVIDER = "provider"  # federated sign-in button


# Icons that point a way (out of a door, into one): a right-to-left page mirrors them. Others
# (a fingerprint, a bin, a key) mean the same either way and stay as drawn.
_POINTING_ICONS = frozenset({"login", "logout", "arrow_back", "arrow_forward"})

_BUTTON_PROPS: Mapping[ButtonStyle, QuasarProps] = {
    # The text colour is a token: white on the light card's brand, near-black on the dark one.
    ButtonStyle.PRIMARY: parsed("unelevated no-caps color=primary text-color=na-on-brand type=button"),
    ButtonStyle.SECONDARY: parsed("outline no-caps color=primary type=button"),
    ButtonStyle.LINK: parsed("flat no-caps dense color=primary type=button"),
    ButtonStyle.DANGER: parsed("flat no-caps dense color=negative type=button"),
    ButtonStyle.PROVIDER: parsed("outline no-caps type=button"),  # the card's text colour, in light and dark
}
_FORM_PROPS: QuasarProps = parsed("novalidate")


class FormView:
    """A rendered form: its fields, its button, and its pending state."""

    def __init__(
        self,
        form: Form,
        *,
        catalog: Mapping[str, Template] | None,
        on_submit: SubmitHandler,
        style: ButtonStyle = ButtonStyle.PRIMARY,
        field_errors: Mapping[str, Text] | None = None,
        banner_error: Text | None = None,
        drafts: MutableMapping[str, str] | None = None,
        autofocus: bool = False,
        button_label: str | None = None,
        icon: str | None = None,
        overrides: Mapping[str, FieldOverride] | None = None,
    ) -> None:
        self.form = form
        changes = overrides or {}
        self._catalog = catalog
        self._on_submit = on_submit
        self._drafts = drafts if drafts is not None else {}
        self.fields: list[FieldHandle] = []
        errors = field_errors or {}
        with ui.element("form").classes("na-form") as self.element:
            apply(self.element, _FORM_PROPS)
            # Enter and buttons are handled explicitly; never let the browser navigate.
            self.element.on("submit.prevent", js_handler="() => {}")
            focus_pending = autofocus
            for server_spec in ordered(form.fields, changes):
                change = changes.get(server_spec.name)
                spec = change.applied(server_spec) if change is not None else server_spec
                shown = spec.visible and not (change is not None and change.hidden)
                start = self._drafts.get(spec.name, spec.value) if spec.visible else spec.value
                handle = build_field(
                    spec,
                    start,
                    catalog,
                    autofocus=focus_pending and shown and spec.kind is not FieldKind.CHOICE,
                    on_enter=self.submit,
                    on_change=self._changed,
                )
                if shown and spec.kind is not FieldKind.CHOICE:
                    focus_pending = False
                if spec.name in errors:
                    error = errors[spec.name]
                    handle.set_error(translate(error, catalog), in_banner=error == banner_error)
                if change is not None and change.placeholder is not None:
                    handle.element.props["placeholder"] = change.placeholder
                if change is not None and change.hidden:
                    handle.element.set_visibility(False)  # still sent: only the person stops seeing it
                self.fields.append(handle)
            label = button_label if button_label is not None else translate(form.label, catalog)
            self.button = apply(ui.button(label, icon=icon, on_click=self.submit), _BUTTON_PROPS[style])
            if icon in _POINTING_ICONS:
                self.button.classes("na-pointing-icon")  # mirrored right-to-left (authenticator.css)
            if style in (ButtonStyle.PRIMARY, ButtonStyle.SECONDARY, ButtonStyle.PROVIDER):
                self.button.classes("na-submit" if style is ButtonStyle.PRIMARY else "na-secondary")
            hook(self.button, "authenticator-submit")
        hook(self.element, action_hook(form.action))

    # ----------------------------------------------------------------- values

    def values(self, *, with_hidden: bool = False) -> dict[str, str]:
        """What the person entered (hidden values too when ``with_hidden``, to pick
        one of several forms of the same action)."""
        return {h.name: h.value for h in self.fields if h.spec.visible or with_hidden}

    def field(self, name: str) -> FieldHandle | None:
        return next((h for h in self.fields if h.name == name), None)

    async def submit(self) -> None:
        if self.button.props.get("loading") or not self.button.enabled:
            return  # already in flight: Enter pressed twice, a double click
        await self._on_submit(self)

    # ------------------------------------------------------------- live checks

    def _changed(self, handle: FieldHandle) -> None:
        if handle.spec.visible:
            self._drafts[handle.name] = handle.value
        handle.set_error(None)
        if handle.checklist is not None:
            handle.checklist.update(handle.value)
        self._check_confirmation()

    def _check_confirmation(self) -> None:
        confirm = self.field(CONFIRM_PASSWORD_FIELD)
        if confirm is None or not confirm.value:
            return
        other = next((r.other for r in confirm.spec.rules if isinstance(r, MatchesField)), None)
        original = self.field(other) if other else None
        if original is None:
            return
        mismatch = original.value != confirm.value
        confirm.set_error(
            translate(msg("validation.passwords_mismatch"), self._catalog) if mismatch else None
        )

    # ----------------------------------------------------------------- pending

    def set_pending(self, pending: bool, *, active: bool) -> None:
        """Disable the form while a call is in flight; the active one shows a spinner."""
        for handle in self.fields:
            handle.set_enabled(not pending)
        if pending and active:
            self.button.props["loading"] = True
        else:
            self.button.props.pop("loading", None)
        self.button.set_enabled(not pending)
