"""The envelope edge cases: what a server answers to requests no well-behaved client sends.

Each probe is one bounded POST made without cookies: an unparsable body, an
envelope of the wrong version, an unknown method, params of the wrong type,
an unknown action, and one body just over the 10 MiB the protocol allows
(sent once; loopback or not, that is the largest request the checker makes).
"""

from __future__ import annotations

import json
from typing import Any, Final

import httpx

from .run_state import FlowStopped, RunState

MAX_BODY: Final = 10 * 1024 * 1024
UNKNOWN_ACTION: Final = "conformanceCheckUnknownAction"
FLOW: Final = "envelope"


class Probes:
    """Sends the probes through ``http`` (a client whose transport records into the journal)."""

    def __init__(self, run: RunState, http: httpx.AsyncClient, url: str, namespace: str) -> None:
        self._run = run
        self._http = http
        self._url = url
        self._ns = namespace

    async def run_all(self) -> None:
        envelope_faults: list[tuple[str, bytes, int]] = [
            ("unparsable body", b"{not json", -32700),
            ("JSON-RPC 1.0 envelope", self._envelope("getAuthState", [], version="1.0"), -32600),
            ("unknown method", self._envelope("conformanceCheckNoSuchMethod", []), -32601),
            ("params neither array nor object", self._envelope("setAuthState", "x"), -32602),
        ]
        for name, body, code in envelope_faults:
            await self._guarded(name, self._expect_error(body, code))
        await self._guarded("unknown action", self._unknown_action())
        await self._guarded("body over 10 MiB", self._oversized())

    async def _guarded(self, name: str, probe: Any) -> None:
        try:
            with self._run.step(FLOW, name):
                await probe
        except FlowStopped:
            pass

    def _envelope(self, method: str, params: Any, *, version: str = "2.0") -> bytes:
        envelope = {"jsonrpc": version, "method": f"{self._ns}.{method}", "params": params, "id": 7001}
        return json.dumps(envelope).encode()

    async def _post(self, body: bytes) -> Any:
        try:
            await self._http.post(self._url, content=body, headers={"content-type": "application/json"})
        except httpx.HTTPError as error:
            self._run.deviate("R1", f"no reply: {type(error).__name__}", None)
            raise FlowStopped("no reply") from None
        return self._run.journal.last

    async def _expect_error(self, body: bytes, code: int) -> None:
        exchange = await self._post(body)
        error = exchange.body.get("error") if isinstance(exchange.body, dict) else None
        got = error.get("code") if isinstance(error, dict) else None
        self._run.expect(got == code, "R4", f"expected error code {code}, got {got!r}", exchange)

    async def _unknown_action(self) -> None:
        exchange = await self._post(self._envelope("setAuthState", [{"action": UNKNOWN_ACTION}]))
        result = exchange.result
        self._run.expect(
            isinstance(result, dict) and isinstance(result.get("error"), str) and bool(result["error"]),
            "R16",
            "an unknown action must be answered with an AuthState carrying an error",
            exchange,
        )

    async def _oversized(self) -> None:
        filler = "x" * (MAX_BODY + 1024)
        exchange = await self._post(
            self._envelope("setAuthState", [{"action": "signIn", "username": filler}])
        )
        error = exchange.body.get("error") if isinstance(exchange.body, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        name = (error.get("data") or {}).get("name") if isinstance(error, dict) else None
        self._run.expect(
            code == 413 and name == "PayloadTooLarge",
            "R5",
            f"expected error 413 PayloadTooLarge, got code {code!r} name {name!r}",
            exchange,
        )
