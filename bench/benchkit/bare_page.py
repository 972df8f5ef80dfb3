"""The yardstick pages: the least a NiceGUI page can be, and our page's elements in plain NiceGUI.

``python bench/benchkit/bare_page.py PORT`` serves them on 127.0.0.1:PORT.

* ``/``: one label, one input, and a button that swaps in a new input. It is the
  least a NiceGUI page can be while still doing what the sign-in card does: show
  an input, and change the screen on a click (a server round trip, no call).
* ``/mirror``: the hosted sign-in page's element kinds and nesting (Quasar inputs, buttons,
  tabs, the language select, forms) built by plain NiceGUI calls with no logic; its
  "Forgot your password?" builds the next card the same way. It shows what NiceGUI itself
  costs for the page we show (issue 15: is a limit ours or NiceGUI's?). It replaced a bare
  page padded with plain divs to our element count: a div costs a fraction of a Quasar input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from nicegui import ui
from nicegui_authenticator.ui.components import svg_icons


def _page() -> None:
    ui.label("Sign in")
    ui.input("Username").props("data-testid=bare-input")
    clicks = [0]

    def next_screen() -> None:
        # A new input each click (data-round tells them apart), as a new screen of the card would be.
        clicks[0] += 1
        box.clear()
        with box:
            ui.input("Code").props(f"data-testid=bare-next-input data-round={clicks[0]}")

    ui.button("Next", on_click=next_screen).props("data-testid=bare-next")
    box = ui.column()


# The hosted page's offered languages, as its switcher lists them (any 25 names do: the cost is their count).
_LANGUAGES = {f"l{n}": f"Language {n}" for n in range(25)}


def _mirror_sign_in(body: ui.element, swap: Callable[[], None]) -> None:
    """The sign-in card's elements: tabs, heading, the password form, the passkey form, two links."""
    with body:
        with ui.tabs():
            ui.tab("signIn", "Sign In")
            ui.tab("signUp", "Create Account")
        ui.element("h1").props("innerHTML='Sign in to your account'")
        with ui.element("form").on("submit.prevent", lambda: None):
            ui.input("Username or email").props("outlined no-error-icon autofocus data-testid=bare-input")
            with ui.input("Password", password=True).props("outlined no-error-icon").add_slot("append"):
                ui.button(on_click=lambda: None, icon=svg_icons.EYE).props("flat round dense type=button")
            ui.button("Sign In").props("unelevated no-caps type=submit")
        with ui.element("form").on("submit.prevent", lambda: None):
            ui.element("input").props("type=hidden name=options value=abc")
            ui.element("input").props("type=hidden name=credential")
            ui.button("Sign in with a passkey").props("outline no-caps type=submit")
        with ui.element("div"):
            ui.button("Forgot your password?", on_click=swap).props("flat no-caps data-testid=bare-next")
            ui.button("Use a passkey with your username", on_click=lambda: None).props("flat no-caps")


def _mirror_forgot(body: ui.element, clicks: list[int]) -> None:
    """The "Forgot password" card's elements: heading, hint, one-field form, a link back."""
    clicks[0] += 1
    body.clear()
    with body:
        ui.element("h1").props("innerHTML='Reset your password'")
        ui.label("Enter your username or email and we will send you a code.")
        with ui.element("form").on("submit.prevent", lambda: None):
            ui.input("Username or email").props(
                f"outlined no-error-icon autofocus data-testid=bare-next-input data-round={clicks[0]}"
            )
            ui.button("Send code").props("unelevated no-caps type=submit")
        with ui.element("div"):
            ui.button("Back to Sign In", on_click=lambda: None).props("flat no-caps")


@ui.page("/")
def bare() -> None:
    _page()


@ui.page("/mirror")
def mirror() -> None:
    """The hosted sign-in page's element kinds and nesting, built by plain NiceGUI calls, no logic.

    What NiceGUI itself costs for the page we show (Quasar inputs, buttons, tabs, a select of
    25 languages, forms), so a ratio against it is our own code's share (issue 15).
    """
    ui.html(
        "<span>Development mode</span> read the <a href='/dev/outbox'>development outbox</a>.", sanitize=False
    )
    with ui.column(), ui.column():
        with ui.element("div"):
            switcher = ui.select(_LANGUAGES, value="l0").props("dense outlined options-dense behavior=menu")
        switcher.props["dropdown-icon"] = svg_icons.DROP_DOWN  # inline SVG as ours: no icon font either
        with switcher.add_slot("prepend"):
            ui.icon(svg_icons.GLOBE)
        with ui.element("div"), ui.element("div"), ui.card(), ui.element("div") as body:
            clicks = [0]
            _mirror_sign_in(body, lambda: _mirror_forgot(body, clicks))
    ui.query("html").props("lang=en dir=ltr")


if __name__ in {"__main__", "__mp_main__"}:
    ui.run(
        host="127.0.0.1",
        port=int(sys.argv[1]),
        reload=False,
        show=False,
        show_welcome_message=False,
        title="bare",
    )
