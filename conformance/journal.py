"""Every HTTP exchange of a check run, recorded as it crossed the wire.

The checker drives flows through the ordinary :class:`AuthClient` (a server is
judged by what a real client meets), but the rules are about the wire: the
HTTP status, the exact envelope, the Set-Cookie lines. :class:`RecordingTransport`
sits under the client's httpx stack, keeps a copy of each request and reply,
and hands the reply on untouched. Each recorded :class:`Exchange` is passed to
a listener (the wire rules) before the client sees it.

Secrets never reach the report: passwords, codes, credentials, challenge
sessions and TOTP secrets are replaced by ``"<redacted>"`` in what is kept for
display (:func:`redacted`), and long strings are shortened.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

SECRET_KEYS: Final = frozenset(
    {"password", "newPassword", "code", "credential", "session", "sharedSecret", "confirmPassword"}
)
LONG_KEYS: Final = frozenset({"credentialRequestOptions", "credentialCreationOptions"})
_LONG_TEXT: Final = 120


@dataclass
class Exchange:
    """One POST and its reply. ``body`` is the decoded JSON reply, or None when it was not JSON."""

    step: str
    request: Any
    status: int
    headers: httpx.Headers
    text: str
    body: Any = None
    is_json: bool = False

    @property
    def set_cookies(self) -> list[str]:
        return self.headers.get_list("set-cookie")

    @property
    def request_id(self) -> Any:
        return self.request.get("id") if isinstance(self.request, dict) else None

    @property
    def method(self) -> str:
        method = self.request.get("method") if isinstance(self.request, dict) else None
        return method.rpartition(".")[2] if isinstance(method, str) else ""

    @property
    def result(self) -> Any:
        return self.body.get("result") if isinstance(self.body, dict) else None

    def shown_request(self) -> Any:
        return redacted(self.request)

    def shown_reply(self) -> Any:
        shown = redacted(self.body) if self.is_json else self.text[: _LONG_TEXT * 4]
        return {"status": self.status, "body": shown}


def redacted(value: Any) -> Any:
    """``value`` with secret values replaced and long strings cut, for a report."""
    if isinstance(value, dict):
        if "name" in value and "defaultValue" in value and value["name"] in SECRET_KEYS:
            return {**{k: redacted(v) for k, v in value.items()}, "defaultValue": "<redacted>"}
        return {k: _redact_entry(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(item) for item in value]
    if isinstance(value, str) and len(value) > _LONG_TEXT:
        return value[:_LONG_TEXT] + "…"
    return value


def _redact_entry(key: str, value: Any) -> Any:
    if key in SECRET_KEYS and isinstance(value, str):
        return "<redacted>"
    if key in LONG_KEYS and isinstance(value, str):
        return f"<{len(value)} chars>"
    return redacted(value)


def _decode(content: bytes) -> Any:
    """A request body as sent: JSON when it is, else its text (the malformed-body probes)."""
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")[:_LONG_TEXT]


@dataclass
class Journal:
    """The exchanges so far, and the step they belong to (set by the flow runner)."""

    step: str = "start"
    exchanges: list[Exchange] = field(default_factory=list)
    listener: Callable[[Exchange], None] | None = None

    @property
    def last(self) -> Exchange | None:
        return self.exchanges[-1] if self.exchanges else None

    def record(self, request_body: bytes, response: httpx.Response) -> Exchange:
        """Keep ``response`` (already read) as the reply to ``request_body``."""
        text = response.text
        try:
            body, is_json = json.loads(text), True
        except ValueError:
            body, is_json = None, False
        exchange = Exchange(self.step, _decode(request_body), response.status_code, response.headers, text)
        exchange.body, exchange.is_json = body, is_json
        self.exchanges.append(exchange)
        if self.listener is not None:
            self.listener(exchange)
        return exchange


class RecordingTransport(httpx.AsyncBaseTransport):
    """An httpx transport that records every exchange in a :class:`Journal`, then passes it on."""

    def __init__(self, journal: Journal, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._journal = journal
        self._inner = inner if inner is not None else httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raw = await self._inner.handle_async_request(request)
        try:
            content = await raw.aread()
        finally:
            await raw.aclose()
        # The journal's copy is read (which decodes Content-Encoding); the client gets the raw bytes.
        copy = httpx.Response(raw.status_code, headers=raw.headers, stream=httpx.ByteStream(content))
        copy.read()
        self._journal.record(request.content, copy)
        return httpx.Response(
            raw.status_code, headers=raw.headers, stream=httpx.ByteStream(content), extensions=raw.extensions
        )

    async def aclose(self) -> None:
        await self._inner.aclose()
