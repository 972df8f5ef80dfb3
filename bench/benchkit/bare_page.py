"""The yardstick pages: the least a NiceGUI page can be, and the same page at our element count.

``python bench/benchkit/bare_page.py PORT`` serves them on 127.0.0.1:PORT.

* ``/``: one label, one input, and a button that swaps in a new input. It is the
  least a NiceGUI page can be while still doing what the sign-in card does: show
  an input, and change the screen on a click (a server round trip, no call).
* ``/weight?elements=E&listeners=L&screen=S``: the same page padded with plain
  elements to E elements and L listeners in all, whose button builds S elements
  per click. Set to the hosted page's counts, it shows what NiceGUI itself costs
  for that many elements (issue 15: is a limit ours or NiceGUI's?).
"""

from __future__ import annotations

import sys

from nicegui import ui

# NiceGUI's own elements on every page: layout, page container, page, content.
_FRAME = 4
# On ``/``: label, input, button, column; and the listeners NiceGUI gives the input and the button.
_BARE = 4
_BARE_LISTENERS = 4


def _page(extra_elements: int = 0, extra_listeners: int = 0, screen: int = 1) -> None:
    ui.label("Sign in")
    ui.input("Username").props("data-testid=bare-input")
    clicks = [0]

    def next_screen() -> None:
        # A new input each click (data-round tells them apart), as a new screen of the card would be.
        clicks[0] += 1
        box.clear()
        with box:
            for _ in range(screen - 1):
                ui.element("div")
            ui.input("Code").props(f"data-testid=bare-next-input data-round={clicks[0]}")

    ui.button("Next", on_click=next_screen).props("data-testid=bare-next")
    box = ui.column()
    for n in range(extra_elements):
        padding = ui.element("div")
        if n < extra_listeners:
            padding.on("click", lambda: None)


@ui.page("/")
def bare() -> None:
    _page()


@ui.page("/weight")
def weight(elements: int = 0, listeners: int = 0, screen: int = 1) -> None:
    _page(max(0, elements - _FRAME - _BARE), max(0, listeners - _BARE_LISTENERS), max(1, screen))


if __name__ in {"__main__", "__mp_main__"}:
    ui.run(
        host="127.0.0.1",
        port=int(sys.argv[1]),
        reload=False,
        show=False,
        show_welcome_message=False,
        title="bare",
    )
