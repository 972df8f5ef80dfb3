"""What each message says: subject, plain text and HTML, per purpose, as data.

Why one module of data: every channel (SMTP, a command, a webhook) sends the
same words, and a purpose added here is added everywhere. Codes come with the
app's title (so the person knows who sent it), how long the code lives, and
what to do when they did not ask for it. Security notices carry no code and
no secret: they tell the owner of an address what changed on the account,
when (UTC), and what to do if it was not them.

Every value put into the HTML (title, username, code) is escaped: the
username and the title are text someone typed.
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

CodePurpose = Literal["sign-up", "password-reset", "sign-in", "mfa-setup", "reauthentication"]
NoticePurpose = Literal[
    "password-changed",
    "password-was-reset",
    "email-changed",
    "passkey-added",
    "passkey-deleted",
    "mfa-disabled",
    "mfa-preference-changed",
    "totp-enabled",
    "email-mfa-enabled",
]
MessagePurpose = CodePurpose | NoticePurpose


@dataclass(frozen=True)
class Wording:
    subject: str  # "{title}" is replaced by the app's title
    lead: str  # the sentence above the code (or the whole notice)
    not_you: str  # what to do if the person did not ask for this


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


_NOT_ASKED: Final = "If you did not ask for this code, you can ignore this message; nobody can use it without access to your inbox."
_NOT_YOU: Final = (
    "If this was not you, reset your password now and review the sign-in methods of your account."
)

WORDINGS: Final[Mapping[MessagePurpose, Wording]] = MappingProxyType(
    {
        "sign-up": Wording(
            "Confirm your {title} account", "Use this code to confirm your new account:", _NOT_ASKED
        ),
        "password-reset": Wording(
            "Reset your {title} password", "Use this code to choose a new password:", _NOT_ASKED
        ),
        "sign-in": Wording("Your {title} sign-in code", "Use this code to finish signing in:", _NOT_ASKED),
        "mfa-setup": Wording(
            "Confirm this address for {title}",
            "Use this code to confirm that sign-in codes may be sent to this address:",
            _NOT_ASKED,
        ),
        "reauthentication": Wording(
            "Confirm it's you at {title}",
            "Use this code to confirm it's you before a change to how your account is secured:",
            "If you did not ask for this code, someone may be using your account: "
            "sign out everywhere and reset your password.",
        ),
        "password-changed": Wording(
            "Your {title} password was changed", "The password of your account was just changed.", _NOT_YOU
        ),
        "email-changed": Wording(
            "The email of your {title} account was changed",
            "The email address of your account was just changed; codes now go to the new address.",
            _NOT_YOU,
        ),
        "passkey-added": Wording(
            "A passkey was added to your {title} account",
            "A new passkey can now sign in to your account.",
            _NOT_YOU,
        ),
        "mfa-disabled": Wording(
            "Two-step sign-in was turned off for {title}",
            "Two-step sign-in was just turned off for your account.",
            _NOT_YOU,
        ),
        "password-was-reset": Wording(
            "Your {title} password was reset",
            "The password of your account was just reset with a code sent to this address; "
            "every device was signed out.",
            _NOT_YOU,
        ),
        "passkey-deleted": Wording(
            "A passkey was removed from your {title} account",
            "A passkey was just removed from your account; it can no longer sign in.",
            _NOT_YOU,
        ),
        "mfa-preference-changed": Wording(
            "The two-step sign-in method of your {title} account was changed",
            "The method your account asks for at sign-in (its preferred second step) was just changed.",
            _NOT_YOU,
        ),
        "email-mfa-enabled": Wording(
            "Email codes were set up for your {title} account",
            "Codes sent to this address are now a second step of signing in to your account.",
            _NOT_YOU,
        ),
        "totp-enabled": Wording(
            "An authenticator app was set up for your {title} account",
            "An authenticator app was just set up as a second step of signing in to your account.",
            _NOT_YOU,
        ),
    }
)


def expiry_phrase(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def when_phrase(changed_at: float) -> str:
    """The moment of a change, unambiguous wherever the reader is: ``2026-11-29 22:40 UTC``."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(changed_at))


def render(
    purpose: MessagePurpose,
    *,
    title: str,
    username: str,
    code: str | None,
    lifetime_seconds: float,
    changed_at: float | None = None,
) -> RenderedMessage:
    """The message for ``purpose``; ``code`` is None for a security notice, which says when."""
    wording = WORDINGS[purpose]
    subject = wording.subject.format(title=title)
    greeting = f"Hello {username},"
    when = None if changed_at is None else f"When: {when_phrase(changed_at)}"
    lines = [greeting, "", wording.lead]
    if when is not None:
        lines += ["", when]
    if code is not None:
        expires = f"The code expires in {expiry_phrase(lifetime_seconds)} and works once."
        lines += ["", f"    {code}", "", expires]
    lines += ["", wording.not_you, "", f"— {title}"]
    e = html.escape
    code_block = (
        ""
        if code is None
        else (
            '<p style="font-size:28px;letter-spacing:6px;font-weight:bold;font-family:monospace">'
            f"{e(code)}</p><p>The code expires in {e(expiry_phrase(lifetime_seconds))} and works once.</p>"
        )
    )
    body = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{e(subject)}</title></head>'
        '<body style="font-family:system-ui,sans-serif;line-height:1.5">'
        f"<p>{e(greeting)}</p><p>{e(wording.lead)}</p>"
        f"{'' if when is None else f'<p>{e(when)}</p>'}{code_block}"
        f'<p style="color:#555">{e(wording.not_you)}</p><p>— {e(title)}</p></body></html>'
    )
    return RenderedMessage(subject, "\n".join(lines) + "\n", body)
