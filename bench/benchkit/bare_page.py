"""The yardstick page: one label, one input, and a button that swaps in a new input.

``python bench/benchkit/bare_page.py PORT`` serves it on 127.0.0.1:PORT. It is the
least a NiceGUI page can be while still doing what the sign-in card does: show
an input, and change the screen on a click (a server round trip, no call).
"""

from __future__ import annotations

import sys

from nicegui import ui


@ui.page("/")
def bare() -> None:
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


if __name__ in {"__main__", "__mp_main__"}:
    ui.run(
        host="127.0.0.1",
        port=int(sys.argv[1]),
        reload=False,
        show=False,
        show_welcome_message=False,
        title="bare",
    )
