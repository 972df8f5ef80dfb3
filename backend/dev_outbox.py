"""``GET /dev/outbox`` (HTML) and ``/dev/outbox.json``: codes sent, for development only.

Mounted only when ``dev`` is on, because it shows live codes to anyone who
can reach the server; development mode binds loopback only for that reason.
And it answers only to a loopback ``Host``: a page on another site that
makes the browser fetch it (DNS rebinding) names its own host and gets a
404. Every value is HTML-escaped: usernames and addresses are user input.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .cookies import is_loopback

OutboxReader = Callable[[], list[dict[str, str]]]


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dev outbox</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}code{{font-size:1.2em}}</style></head>
<body><h1>Dev outbox</h1><p>Codes the backend would have sent, newest first. Development mode only.</p>
<table><thead><tr><th>time (UTC)</th><th>to</th><th>purpose</th><th>code</th></tr></thead>
<tbody>{rows}</tbody></table></body></html>
"""


def render_outbox(records: list[dict[str, str]]) -> str:
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(record[key])}</td>" for key in ("ts", "to", "purpose"))
        + f"<td><code>{html.escape(record['code'])}</code></td></tr>"
        for record in records
    )
    return _PAGE.format(rows=rows or '<tr><td colspan="4">nothing sent yet</td></tr>')


def outbox_routes(read: OutboxReader) -> list[Route]:
    async def page(request: Request) -> Response:
        if not is_loopback(request.headers.get("host", "")):
            return PlainTextResponse("Not Found", status_code=404)
        return HTMLResponse(
            render_outbox(await anyio.to_thread.run_sync(read)), headers={"Cache-Control": "no-store"}
        )

    async def as_json(request: Request) -> Response:
        if not is_loopback(request.headers.get("host", "")):
            return PlainTextResponse("Not Found", status_code=404)
        return JSONResponse(await anyio.to_thread.run_sync(read), headers={"Cache-Control": "no-store"})

    return [Route("/dev/outbox", page, methods=["GET"]), Route("/dev/outbox.json", as_json, methods=["GET"])]
