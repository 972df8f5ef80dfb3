"""Reading data that servers embed in human labels.

The protocol has no structured slot for some facts, so servers put them in
labels (docs/protocol.md, "challenge" table; fixtures README point 7):

* MFA and first-factor options: ``Pick one of: TOTP, EMAIL`` (field label).
* Where a code went: ``Enter Email Code (sent to a***@e***.com)`` (action label).
* Which kind of code: the action label names it (``Enter Authenticator Code``).

Each parser returns None when the label does not match, and callers fall back
to showing the label as given: a server that words things differently still
gets a working (if plainer) screen.
"""

from __future__ import annotations

import re
from typing import Final, Literal

CodeVariant = Literal["sms", "totp", "email"]

# No pattern here has two quantifiers that can match the same characters, so
# each runs in linear time, and labels longer than _MAX_LABEL are not parsed at
# all: labels may carry data a person typed (an email address) and the machine
# runs on the NiceGUI server, where a pathological label must not stall it.
_MAX_LABEL: Final = 1000
_CHOICES: Final = re.compile(r"\b(?:pick|choose|select)\s+(?:one\s+)?(?:of|from)\b", re.I)
_SPLIT: Final = re.compile(r",|/|\||\bor\b", re.I)
_OPTION: Final = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
_DESTINATION: Final = re.compile(r"\(\s*sent\s+to\b([^()]*)\)", re.I)


def parse_choices(label: str) -> tuple[str, ...] | None:
    """``"Pick one of: TOTP, EMAIL"`` -> ``("TOTP", "EMAIL")``; None if not a choice list."""
    if len(label) > _MAX_LABEL:
        return None
    match = _CHOICES.search(label)
    if match is None:
        return None
    rest = label[match.end() :].strip()
    rest = rest.removeprefix(":").strip()
    if not rest or "\n" in rest:
        return None
    options = tuple(o.strip().rstrip(".") for o in _SPLIT.split(rest) if o.strip())
    if not options or not all(_OPTION.fullmatch(o) for o in options):
        return None
    return tuple(dict.fromkeys(options))  # keep order, drop repeats


def parse_destination(label: str) -> str | None:
    """``"Enter Email Code (sent to a***@e***.com)"`` -> ``"a***@e***.com"``."""
    if len(label) > _MAX_LABEL:
        return None
    match = _DESTINATION.search(label)
    destination = match.group(1).strip() if match else ""
    return destination or None


def code_variant(label: str) -> CodeVariant | None:
    """Which kind of one-time code an action label asks for, when it says."""
    lowered = label.lower()
    if "authenticator" in lowered or "totp" in lowered or "software token" in lowered:
        return "totp"
    if "email" in lowered or "e-mail" in lowered:
        return "email"
    if "sms" in lowered or "text message" in lowered or "phone" in lowered:
        return "sms"
    return None
