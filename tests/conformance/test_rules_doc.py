"""The rule ids the checker cites are the ones docs/protocol.md defines, word for word."""

from __future__ import annotations

import re
from pathlib import Path

from nicegui_authenticator.conformance import RULES

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
_ROW = re.compile(r'^\| <a id="(r\d+)"></a>(R\d+) \| (.+?) \| (.+?) \|$', re.M)


def test_every_rule_is_in_the_protocol_doc_with_its_anchor_and_title() -> None:
    rows = {m[2]: (m[1], m[3]) for m in _ROW.finditer(PROTOCOL.read_text(encoding="utf-8"))}
    assert rows == {rule.id: (rule.id.lower(), rule.title) for rule in RULES.values()}


def test_rule_ids_are_numbered_without_gaps() -> None:
    assert list(RULES) == [f"R{n}" for n in range(1, len(RULES) + 1)]
