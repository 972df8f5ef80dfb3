"""Each signed-out screen of the hosted page has a URL, and browser Back moves between them.

The screens a person picks without a server call (sign in, create account,
reset password, passkey sign-in) are named in the query string,
``/?screen=sign-up``, so they can be linked, bookmarked and reached with Back
and Forward. A small script watches the Authenticator's ``data-screen``
attribute: a move to another of these screens pushes a history entry, and
``popstate`` sends the screen back to Python, which navigates the machine
there. Other screens (codes, signed in) keep the URL of the screen they began
on; Back from them leaves the flow as the browser always did.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ...state_machine import ScreenName

SCREEN_PARAMETER: Final = "screen"

URL_NAMES: Final[Mapping[ScreenName, str]] = MappingProxyType(
    {
        ScreenName.SIGN_IN: "sign-in",
        ScreenName.SIGN_UP: "sign-up",
        ScreenName.FORGOT_PASSWORD: "reset",
        ScreenName.PASSKEY_SIGN_IN: "passkey",
    }
)
SCREENS_BY_URL_NAME: Final[Mapping[str, ScreenName]] = MappingProxyType(
    {name: screen for screen, name in URL_NAMES.items()}
)

# The browser event the script emits on Back/Forward, with the screen's name as its argument.
POPSTATE_EVENT: Final = "na-screen-popstate"


def screen_of(url_name: str | None) -> ScreenName | None:
    """The screen ``?screen=<url_name>`` names (None for a missing or unknown name)."""
    return SCREENS_BY_URL_NAME.get(url_name or "")


def history_script(root_id: int) -> str:
    """The script that keeps the URL in step with the Authenticator element ``root_id``."""
    names = json.dumps({screen.value: name for screen, name in URL_NAMES.items()})
    return f"""
(() => {{
  const names = {names};
  const root = document.getElementById("c{root_id}");
  if (!root || root.dataset.naHistory) return;
  root.dataset.naHistory = "1";
  let last = null;
  const follow = () => {{
    const screen = root.getAttribute("data-screen");
    if (screen === last || screen === "loading") return;
    const url = new URL(window.location.href);
    const name = names[screen];
    if (name === undefined) {{
      last = screen;
      return;
    }}
    const from = last;
    last = screen;
    if (url.searchParams.get("{SCREEN_PARAMETER}") === name) return;
    url.searchParams.set("{SCREEN_PARAMETER}", name);
    if (from === null || names[from] === undefined) history.replaceState({{screen}}, "", url);
    else history.pushState({{screen}}, "", url);
  }};
  new MutationObserver(follow).observe(root, {{attributes: true, attributeFilter: ["data-screen"]}});
  follow();
  window.addEventListener("popstate", (event) => {{
    const url = new URL(window.location.href);
    const screen = (event.state && event.state.screen) ||
      Object.keys(names).find((key) => names[key] === url.searchParams.get("{SCREEN_PARAMETER}")) ||
      "sign_in";
    last = screen;
    emitEvent("{POPSTATE_EVENT}", screen);
  }});
}})();
"""
