"""What each emulated browser's sign-in got back, counted by kind.

Why: a sign-in answered "busy" (no hashing slot freed within the deadline) or
"too many attempts" (a rate limit) costs no scrypt and signs nobody in. Counted
as sign-ins, they would flatter both the sign-ins per second and the probe's
wait. The kinds are read from the screen the person sees, matched against the
English catalog's sentences (the words the page shows for each error name).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

from nicegui_authenticator.state_machine.messages import ENGLISH

from benchkit.emulated import EmulatedBrowser

SIGNED_IN: Final = "signed in"
INCORRECT: Final = "incorrect"
BUSY: Final = "busy"
THROTTLED: Final = "throttled"
DROPPED: Final = "dropped socket"
OTHER: Final = "other error"
NO_ANSWER: Final = "no answer"
KINDS: Final = (SIGNED_IN, INCORRECT, BUSY, THROTTLED, DROPPED, OTHER, NO_ANSWER)

_SENTENCES: Final = {
    BUSY: [ENGLISH["error.server_busy"]],
    THROTTLED: [ENGLISH["error.too_many_attempts"]],
    INCORRECT: [ENGLISH["error.invalid_credentials"], ENGLISH["error.user_not_found"]],
}


def answer_of(browser: EmulatedBrowser) -> str:
    """The kind of answer ``browser`` is looking at after its Sign In click."""
    if not browser.sio.connected:
        return DROPPED
    if browser.screen() == "signed_in":
        return SIGNED_IN
    error = browser.text_of("authenticator-error")
    if not error:
        return NO_ANSWER
    for kind, sentences in _SENTENCES.items():
        if any(str(sentence) in error for sentence in sentences):
            return kind
    return OTHER


def count_answers(browsers: Iterable[EmulatedBrowser]) -> Counter[str]:
    return Counter(answer_of(b) for b in browsers)


def describe(counts: Counter[str]) -> str:
    """``38 incorrect, 2 busy``: every kind that occurred, in a fixed order."""
    return ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
