"""A browser emulated the way NiceGUI's own page script talks to the server, without Chromium.

What ``nicegui.js`` does, and this repeats: GET the page; the HTML carries the
element tree (``parseElements(String.raw`...`)``) and the socket.io query
(``client_id``, ``next_message_id``, ``implicit_handshake``); connect socket.io
at ``/_nicegui_ws/socket.io`` with that query plus a fresh ``document_id`` and
``tab_id`` (the implicit handshake happens on connect); merge every ``update``
message into the element tree; send a click or a typed value as an ``event``
``{id, client_id, listener_id, args}`` where each arg is JSON text.

One instance is one visitor with its own cookies, so a thousand of them are a
thousand sessions of the server, at the cost of a socket each in this process.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import time
import urllib.parse
import uuid
from typing import Any

import httpx
import socketio

_ELEMENTS = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.S)
_QUERY = re.compile(r"query: (\{.*?\}),\n")


def _unescape(raw: str) -> str:
    # parseElements undoes these five, in this order.
    for entity, char in (("&#36;", "$"), ("&#96;", "`"), ("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&")):
        raw = raw.replace(entity, char)
    return raw


class EmulatedBrowser:
    """One visitor: an HTTP client for the page, a socket.io client for its events."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60)
        self.sio = socketio.AsyncClient(reconnection=False)
        self.elements: dict[str, dict[str, Any]] = {}
        self.client_id = ""
        self._changed = asyncio.Condition()
        self.sio.on("update", self._on_update)
        self.sio.on("disconnect", self._on_disconnect)

    async def open(self, path: str = "/") -> None:
        reply = await self.http.get(path)
        reply.raise_for_status()
        page = reply.text
        found = _ELEMENTS.search(page)
        query_found = _QUERY.search(page)
        if found is None or query_found is None:
            raise RuntimeError("no NiceGUI element tree or socket query in the page")
        self.elements = json.loads(_unescape(found.group(1)))
        query = ast.literal_eval(query_found.group(1))  # a Python dict rendered into the template
        self.client_id = query["client_id"]
        query.update(document_id=str(uuid.uuid4()), tab_id=str(uuid.uuid4()))
        query = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in query.items()}
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        await self.sio.connect(
            f"{self.base_url}?{urllib.parse.urlencode(query)}",
            socketio_path="/_nicegui_ws/socket.io",
            transports=["websocket"],
            headers={"Cookie": cookie} if cookie else {},
            wait_timeout=60,
        )

    async def close(self) -> None:
        await self.sio.disconnect()
        await self.http.aclose()

    async def _on_update(self, message: dict[str, Any]) -> None:
        message.pop("_id", None)
        for element_id, element in message.items():
            if element is None:
                self.elements.pop(element_id, None)
            else:
                self.elements[element_id] = element
        async with self._changed:
            self._changed.notify_all()

    async def _on_disconnect(self, *_: Any) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- reading the screen ---------------------------------------------------------------

    def find(self, testid: str) -> tuple[str, dict[str, Any]] | None:
        for element_id, element in self.elements.items():
            if element.get("props", {}).get("data-testid") == testid:
                return element_id, element
        return None

    def screen(self) -> str | None:
        found = self.find("authenticator")
        return None if found is None else found[1]["props"].get("data-screen")

    def text_of(self, testid: str) -> str:
        """All text under the element with ``testid`` (empty when absent)."""
        found = self.find(testid)
        if found is None:
            return ""
        parts: list[str] = []
        stack = [found[0]]
        while stack:
            element = self.elements.get(str(stack.pop()), {})
            parts.append(str(element.get("text", "")))
            stack.extend(element.get("children", []))
        return " ".join(p for p in parts if p)

    async def wait_for(self, check: Any, timeout: float = 60) -> None:
        """Until ``check()`` holds; ConnectionError when the server drops the socket first."""
        try:
            async with self._changed:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: check() or not self.sio.connected), timeout
                )
        except TimeoutError:
            raise TimeoutError(f"{timeout} s on screen {self.screen()!r}") from None
        if not check():
            raise ConnectionError(f"the server dropped the socket on screen {self.screen()!r}")

    async def wait_screen(self, name: str, timeout: float = 60) -> None:
        await self.wait_for(lambda: self.screen() == name, timeout)

    # -- acting -----------------------------------------------------------------------------

    async def _emit(self, testid: str, event_type: str, args: list[str]) -> None:
        found = self.find(testid)
        if found is None:
            raise RuntimeError(f"no element {testid!r} on screen {self.screen()!r}")
        element_id, element = found
        listener = next((e for e in element.get("events", []) if e["type"].startswith(event_type)), None)
        if listener is None:
            raise RuntimeError(f"{testid!r} has no {event_type} listener")
        message = {
            "id": int(element_id),
            "client_id": self.client_id,
            "listener_id": listener["listener_id"],
            "args": args,
        }
        await self.sio.emit("event", message)

    async def click(self, testid: str) -> None:
        await self._emit(testid, "click", [])

    async def type(self, testid: str, value: str) -> None:
        # ``update:modelValue`` for a plain ui.input, ``update:value`` for the card's own inputs.
        await self._emit(testid, "update:", [json.dumps(value)])

    async def click_until(self, testid: str, done: Any, timeout: float = 60) -> float:
        """Click, wait until ``done()`` holds; the seconds in between."""
        start = time.perf_counter()
        await self.click(testid)
        await self.wait_for(done, timeout)
        return time.perf_counter() - start
