"""Is this one of the most common passwords? (NIST SP 800-63B 5.1.1.2, OWASP ASVS 2.1.7)

The list is the 100,000 most common passwords of SecLists, shipped with the
package (``COMMON_PASSWORDS.md`` says where from, under which license, and how
``tools/build_common_passwords.py`` rebuilds it). No network, no service.

Loading: the data is a Python module (``common_passwords_data``) imported on the
first check and kept for the life of the process, so importing the core stays
cheap and the core still never opens a file: the import system reads it, as it
reads the rest of the core's code. Decompressed and indexed it is a frozenset of
100,000 short strings (about 10 MB); each check is a couple of set look-ups.

What "common" means: a password is common when, compared without case (Unicode
NFKC, then case folding), it is on the list, or it is on the list once the
symbols and spaces at its two ends are taken off. The second form catches the
predictable decoration people add to meet a composition rule (``Password1!``,
``Qwerty123!``, ``!!letmein``) without refusing a long passphrase that merely
contains a common word. The empty password counts as common (it is the first
one any guesser tries), which also keeps the checklist row unticked until
something is typed.
"""

from __future__ import annotations

import base64
import lzma
import unicodedata
from functools import cache


@cache
def common_passwords() -> frozenset[str]:
    """The case-folded list, loaded once, on first use."""
    from .common_passwords_data import XZ_BASE64  # imported here: importing the core stays cheap

    text = lzma.decompress(base64.b64decode(XZ_BASE64)).decode("utf-8")
    return frozenset(text.split("\n"))


def _is_end_decoration(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in ("P", "S", "Z")


def comparison_forms(password: str) -> tuple[str, ...]:
    """The forms of ``password`` looked up in the list (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", password).casefold()
    start, end = 0, len(folded)
    while start < end and _is_end_decoration(folded[start]):
        start += 1
    while end > start and _is_end_decoration(folded[end - 1]):
        end -= 1
    bare = folded[start:end]
    return (folded,) if bare == folded or not bare else (folded, bare)


def is_common(password: str) -> bool:
    """True when ``password`` is, or merely decorates, one of the most common passwords."""
    if not password:
        return True
    listed = common_passwords()
    return any(form in listed for form in comparison_forms(password))
