"""The few icons the first screens show, drawn as inline SVG paths instead of the icon font.

Why: a single ``material-icons`` glyph on the sign-in screen (the show-password
toggle) makes the browser fetch NiceGUI's whole Material Icons font, about
129 KB, a third of the page's first load (issue 15). Quasar's ``q-icon`` draws
a name of the form ``"<path>&&<path>|<viewBox>"`` as an inline ``<svg>``, so
these need no font and no request. Each is drawn here on a 24x24 grid; every
``&&`` part is its own filled path (``fill: currentColor``), so parts may overlap.
"""

from __future__ import annotations

from typing import Final

_VIEW: Final = "|0 0 24 24"
# An almond outline (outer edge one way round, inner edge the other, so the middle stays open).
_ALMOND: Final = (
    "M12 5C7 5 3.3 8 1.5 12 3.3 16 7 19 12 19s8.7-3 10.5-7C20.7 8 17 5 12 5z"
    "M12 7c3.6 0 6.4 2 8.1 5-1.7 3-4.5 5-8.1 5s-6.4-2-8.1-5C5.6 9 8.4 7 12 7z"
)
_PUPIL: Final = "M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 1 0 0-7z"
_SLASH: Final = "M3.4 4.8l1.4-1.4 15.8 15.8-1.4 1.4z"
_RING: Final = "M12 2a10 10 0 1 0 0 20 10 10 0 1 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 1 1 0-16z"

# The password is shown (click to hide it) / hidden (click to show it), as NiceGUI's own toggle.
EYE: Final = _ALMOND + "&&" + _PUPIL + _VIEW
EYE_SLASHED: Final = _ALMOND + "&&" + _PUPIL + "&&" + _SLASH + _VIEW
# The error and information banners.
ALERT: Final = _RING + "&&M11 7h2v6.5h-2zm0 8.5h2v2h-2z" + _VIEW
INFO: Final = _RING + "&&M11 10.5h2V17h-2zm0-3.5h2v2h-2z" + _VIEW
# The language switcher: a globe (ring, meridian, equator) and the select's drop-down arrow.
GLOBE: Final = (
    _RING
    + "&&M12 2a4.5 10 0 1 0 0 20 4.5 10 0 1 0 0-20zm0 2a2.5 8 0 1 1 0 16 2.5 8 0 1 1 0-16z"
    + "&&M2.5 11h19v2h-19z"
    + _VIEW
)
DROP_DOWN: Final = "M7 10l5 5 5-5z" + _VIEW
# The sign-in screen's "Sign in with a passkey" button: a key (bow with its hole, shaft, two teeth).
KEY: Final = (
    "M7 8a4 4 0 1 0 0 8 4 4 0 1 0 0-8zm0 2a2 2 0 1 1 0 4 2 2 0 1 1 0-4z"
    + "&&M10.5 11H22v2H10.5z"
    + "&&M17 13h2v3h-2z"
    + "&&M20 13h2v2h-2z"
    + _VIEW
)
