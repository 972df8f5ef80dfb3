"""What every screen renderer gets, and the parts they are built from.

A renderer is a function ``render(ctx: ScreenContext) -> None`` that builds
the body of the card for one :class:`ScreenName`. It reads only the
:class:`Screen` the machine computed (never raw AuthState) and reports
what the person does through the context's callbacks; the Authenticator
turns those into machine events. The parts here (heading, banners, tabs,
links, form lists) keep all screens consistent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from types import MappingProxyType

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement
from nicegui.events import ValueChangeEventArguments

from ....state_machine import (
    FieldKind,
    Form,
    FormRole,
    Link,
    LinkKind,
    Msg,
    Screen,
    Template,
    Text,
    translate,
)
from .. import svg_icons
from ..field_overrides import FieldOverride
from ..form_view import ButtonStyle, FormView
from ..hooks import hook
from ..messages import effective_catalog
from ..quasar_props import ARIA_HIDDEN, apply, parsed
from .recycling import Recycler, keyed

_LINK_PROPS = parsed("flat no-caps dense color=primary")
_RETRY_PROPS = parsed("flat dense no-caps color=negative")
_TABS_PROPS = parsed("dense no-caps active-color=primary indicator-color=primary align=justify")


class Heading(TextElement):
    """A real heading (``<h2>`` unless told), so screen readers announce each screen.

    A page whose main content is the card (the hosted login page) asks for
    ``<h1>``: the screen's title is then the page's one top-level heading.
    """

    def __init__(self, text: str, level: int = 2) -> None:
        super().__init__(tag=self.tag_for(level), text=text)

    @staticmethod
    def tag_for(level: int) -> str:
        return f"h{min(max(level, 1), 6)}"


class LinkButton(ui.button):
    """A link-styled button for one :class:`Link`; a later screen that shows the same link keeps it."""

    def __init__(self, link: Link, label: str, on_link: Callable[[Link], Awaitable[None]]) -> None:
        super().__init__(label, on_click=lambda: on_link(link))
        self.link = link
        apply(self, _LINK_PROPS).classes("na-link")
        hook(self, f"authenticator-link-{link.hook}")

    def relabel(self, label: str) -> None:
        if self.text != label:
            self.text = label


@dataclass(eq=False)
class ScreenContext:
    """The screen to draw, the catalog to draw it in, and where person events go."""

    screen: Screen
    catalog: Mapping[str, Template] | None
    on_submit: Callable[[FormView], Awaitable[None]]
    on_link: Callable[[Link], Awaitable[None]]
    on_retry: Callable[[], Awaitable[None]]
    on_copy: Callable[[str], Awaitable[None]]
    on_back: Callable[[], Awaitable[None]]
    on_dismiss: Callable[[], Awaitable[None]] | None = None  # "Not now" on a suggestion
    # Submit a form that takes no input by its action name (a suggestion's button).
    on_bare_submit: Callable[[str], Awaitable[None]] | None = None
    drafts: MutableMapping[str, str] = field(default_factory=dict)
    views: list[FormView] = field(default_factory=list)
    heading_level: int = 2
    field_overrides: Mapping[str, FieldOverride] = field(default_factory=dict)
    # What the screen before leaves for this one to take over (empty: everything is built anew).
    recycler: Recycler = field(default_factory=Recycler)

    def t(self, text: Text) -> str:
        return translate(text, self.catalog)

    def form_view(
        self,
        form: Form,
        style: ButtonStyle = ButtonStyle.PRIMARY,
        *,
        autofocus: bool = False,
        button_label: str | None = None,
        icon: str | None = None,
    ) -> FormView:
        """Render ``form``; the primary one gets the field errors and the drafts."""
        primary = form.role is FormRole.PRIMARY
        view = FormView(
            form,
            catalog=self.catalog,
            on_submit=self.on_submit,
            style=style,
            field_errors=self.screen.field_errors if primary else self._errors_of_secondary(form),
            banner_error=self.screen.error,
            drafts=self.drafts if primary else None,
            autofocus=autofocus,
            button_label=button_label,
            icon=icon,
            overrides=self.field_overrides,
        )
        self.views.append(view)
        return view

    def _errors_of_secondary(self, form: Form) -> dict[str, Text]:
        """Field errors for a secondary form's own inputs (an account sub-form the
        person submitted), unless the primary form shows an input of that name."""
        primary = self.screen.primary
        taken = {f.name for f in primary.visible_fields} if primary is not None else set()
        mine = {f.name for f in form.visible_fields} - taken
        return {name: text for name, text in self.screen.field_errors.items() if name in mine}


# ------------------------------------------------------------------ pieces


def heading(ctx: ScreenContext) -> None:
    text = ctx.t(ctx.screen.title)
    old = ctx.recycler.take("heading")
    if isinstance(old, Heading) and old.tag == Heading.tag_for(ctx.heading_level):
        old.text = text  # the screen before's heading, re-worded (recycling.py)
        return
    if old is not None:
        old.delete()
    made = Heading(text, ctx.heading_level).classes("na-heading")
    keyed(hook(made, "authenticator-heading"), "heading")


def hint(ctx: ScreenContext) -> None:
    if ctx.screen.hint is None:
        return
    old = ctx.recycler.take("hint")
    if isinstance(old, ui.label):
        old.text = ctx.t(ctx.screen.hint)  # the screen before's hint, re-worded (recycling.py)
    else:
        keyed(ui.label(ctx.t(ctx.screen.hint)).classes("na-hint"), "hint")


def banners(ctx: ScreenContext) -> None:
    """The notice (information) and the error: the screen's one live region.

    The error is ``role=alert``; the notice is ``role=status`` only when no
    error is shown, so one event is announced once (field errors are tied to
    their inputs instead, see :meth:`..fields.FieldHandle.set_error`).
    """
    screen = ctx.screen
    if screen.notice is not None:
        with ui.element("div").classes("na-banner na-notice"):
            apply(ui.icon(svg_icons.INFO), ARIA_HIDDEN)
            text = ui.label(ctx.t(screen.notice)).classes("na-banner-text")
        if screen.error is None:
            text.props["role"] = "status"
        hook(text, "authenticator-notice")
    if screen.error is not None:
        with ui.element("div").classes("na-banner na-error"):
            with ui.element("div").classes("na-banner-main"):
                apply(ui.icon(svg_icons.ALERT), ARIA_HIDDEN)
                alert = ui.label(ctx.t(screen.error)).classes("na-banner-text")
            if screen.can_retry:
                retry = ui.button(ctx.t(Msg("action.retry")), on_click=ctx.on_retry)
                apply(retry, _RETRY_PROPS).classes("na-retry")
                hook(retry, "authenticator-retry")
        # The region's text is exactly the message (icon and Retry sit beside it;
        # Retry never wraps, it moves below the message when the card is narrow).
        alert.props["role"] = "alert"
        hook(alert, "authenticator-error")


def tabs(ctx: ScreenContext) -> None:
    """Sign In / Create Account, when the screen offers them."""
    links = ctx.screen.tabs
    if not links:
        return
    selected = next((link.hook for link in links if link.selected), links[0].hook)
    by_hook = {link.hook: link for link in links}

    async def changed(e: ValueChangeEventArguments[str | ui.tab | ui.tab_panel | None]) -> None:
        value = e.value.props["name"] if isinstance(e.value, ui.tab) else e.value
        link = by_hook.get(str(value))
        if link is not None and not link.selected:
            await ctx.on_link(link)

    with apply(ui.tabs().classes("na-tabs"), _TABS_PROPS) as bar:
        for link in links:
            hook(ui.tab(link.hook, ctx.t(link.label)), f"authenticator-tab-{link.hook}")
    bar.value = selected
    bar.on_value_change(changed)


def links(ctx: ScreenContext, *kinds: LinkKind) -> None:
    """Links such as "Forgot your password?" and "Back to Sign In"."""
    wanted = kinds or (LinkKind.NAVIGATE, LinkKind.BACK)
    shown = [link for link in ctx.screen.links if link.kind in wanted]
    if not shown:
        return
    # The row of the screen before is taken over (recycling.py), and so is each of its buttons that
    # shows one of this screen's links. A button is never pointed at another link: a click the
    # browser sent before it saw this screen must not follow a link it never showed.
    row = ctx.recycler.take("links") or keyed(ui.element("div").classes("na-links"), "links")
    kept = {
        old.link: old
        for old in row.default_slot.children
        if isinstance(old, LinkButton) and old.link in shown
    }
    for old in row.default_slot.children[:]:
        if not any(old is button for button in kept.values()):
            row.remove(old)
    with row:
        for link in shown:
            button = kept.pop(link, None)
            if button is None:
                LinkButton(link, ctx.t(link.label), ctx.on_link)
            else:
                button.relabel(ctx.t(link.label))  # the same link, in the language shown now
                button.move(row)  # in this screen's order


def primary(ctx: ScreenContext, *, button_label: str | None = None, icon: str | None = None) -> None:
    form = ctx.screen.primary
    if form is not None:
        ctx.form_view(form, ButtonStyle.PRIMARY, autofocus=True, button_label=button_label, icon=icon)


def secondary(ctx: ScreenContext) -> None:
    """Secondary actions (Resend Code, account actions) as outlined buttons or small forms."""
    for form in ctx.screen.secondary:
        ctx.form_view(form, ButtonStyle.SECONDARY)


def optional_text(ctx: ScreenContext, key: str) -> str | None:
    """The catalog's text for ``key``, or None when no catalog layer defines it."""
    catalog = ctx.catalog if ctx.catalog is not None else effective_catalog(None)
    return ctx.t(Msg(key)) if key in catalog else None


def subform(ctx: ScreenContext, form: Form, style: ButtonStyle = ButtonStyle.SECONDARY) -> FormView:
    """An action with inputs as a captioned, bordered section (hook on the section).

    Titled by the action's label ("Set up email codes"), or ``subform.<action>.title``
    when the catalog has one; ``subform.<action>.hint`` adds a line under the title
    and ``subform.<action>.submit`` names the button (else the action's label).
    """
    title = optional_text(ctx, f"subform.{form.action}.title") or ctx.t(form.label)
    visible = form.visible_fields
    with ui.element("section").classes("na-subform") as section:
        if len(visible) == 1 and visible[0].kind is FieldKind.CHOICE:
            section.classes("na-subform-one-choice")  # the title names the choice; its label is for readers
        heading_id = f"na-subform-{section.id}"
        title_label = ui.label(title).classes("na-subform-title")
        title_label.props["id"] = heading_id
        caption = optional_text(ctx, f"subform.{form.action}.hint")
        if caption:
            ui.label(caption).classes("na-subform-hint")
        view = ctx.form_view(form, style, button_label=optional_text(ctx, f"subform.{form.action}.submit"))
    section.props["aria-labelledby"] = heading_id
    hook(section, f"authenticator-subform-{form.action}")
    return view


def providers(ctx: ScreenContext) -> None:
    """Federated sign-in (``url`` actions) as provider buttons under a divider."""
    external = ctx.screen.external
    if not external:
        return
    ui.separator()
    for form in external:
        ctx.form_view(form, ButtonStyle.PROVIDER, icon="login")


def standard(ctx: ScreenContext) -> None:
    """Heading, hint, banners, the primary form, secondary actions, providers, links."""
    heading(ctx)
    hint(ctx)
    banners(ctx)
    primary(ctx)
    secondary(ctx)
    providers(ctx)
    links(ctx)


def signed_in_as(ctx: ScreenContext) -> None:
    """``Signed in as: <username>`` (hook ``authenticator-signed-in``, exact text)."""
    user = ctx.screen.user
    if user is None:
        return
    with ui.element("div").classes("na-signed-in"):
        apply(ui.icon("account_circle", size="1.75rem", color="primary"), ARIA_HIDDEN)
        text = ctx.t(Msg("signed_in.as", MappingProxyType({"username": user.display_name})))
        hook(ui.label(text), "authenticator-signed-in")


def back_to_account(ctx: ScreenContext) -> None:
    """From a signed-in sub-screen (passkeys, MFA setup) back to the account screen.

    The server may offer no action for that (a cancelled passkey ceremony would
    otherwise leave the person stuck); re-reading the state always gets there.
    """
    if ctx.screen.user is None or ctx.screen.offers_way_back:
        return  # not signed in, or the server offers its own way back
    with ui.element("div").classes("na-links"):
        button = ui.button(ctx.t(Msg("link.back_to_account")), on_click=ctx.on_back)
        apply(button, _LINK_PROPS).classes("na-link")
        hook(button, "authenticator-link-backToAccount")
