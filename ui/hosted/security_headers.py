"""Security headers for every response of the hosted page (ASGI middleware, no NiceGUI import).

What each header is for:

* ``Content-Security-Policy``: what the page may load and run. NiceGUI's page
  needs some latitude, found by running it in Chromium under the policy with
  every ``securitypolicyviolation`` recorded (``tests/browser``):

  - ``script-src 'self' 'nonce-…' 'unsafe-eval'``: the page template carries
    inline scripts (the import map, the page's elements and start-up code), so
    each HTML response gets a fresh nonce written into its own ``<script>``
    tags (NiceGUI escapes ``<`` in the element data, so no server text can
    form a tag that would get one). ``'unsafe-eval'`` because Vue compiles
    component templates in the browser and ``run_javascript`` evaluates code
    sent over the websocket; NiceGUI cannot run without either.
  - ``style-src 'self' 'unsafe-inline'``: Quasar, Tailwind's runtime and
    NiceGUI's ``ui.add_css`` insert ``<style>`` elements and ``style``
    attributes with no way to carry a nonce.
  - ``connect-src 'self'`` (the websocket to this site) plus the endpoint's
    origin when the browser itself calls a backend elsewhere (session mode
    ``browser``).
  - ``img-src 'self' data:`` (the TOTP QR code is a ``data:`` SVG) plus the
    logo's origin; ``font-src 'self' data:``; ``object-src 'none'``;
    ``base-uri 'none'``; ``form-action 'self' https:`` (a server may send the
    person on through a form post to a place the page cannot know in advance).
  - ``frame-ancestors 'none'`` unless embedding origins are configured.

* ``X-Frame-Options: DENY`` for browsers older than ``frame-ancestors``
  (omitted when embedding is allowed: it cannot name origins).
* ``Referrer-Policy: no-referrer``: the page's URL can carry ``?redirect=``.
* ``X-Content-Type-Options: nosniff``.
* Over https only: ``Strict-Transport-Security`` and the ``Secure`` flag on
  every cookie set (NiceGUI's storage cookie included). Https is known from
  the configured public URL (``--public-url``; then nothing in a request
  changes it, not even a trusted proxy's header), or from the request's scheme, which uvicorn
  takes from ``X-Forwarded-Proto`` only when the peer is one of
  ``--forwarded-allow-ips``; a header from anyone else changes nothing.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Any
Send = Any
ASGIApp = Any

HSTS: Final = "max-age=31536000; includeSubDomains"
_SCRIPT_TAG: Final = re.compile(rb"<script(?=[\s>])", re.IGNORECASE)


def origin_of(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL; None for anything else."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def check_frame_ancestor(value: str) -> str:
    """An origin a page may be embedded by (``https://host[:port]``); ValueError otherwise."""
    origin = origin_of(value)
    if origin is None or origin != value.rstrip("/") or any(c in value for c in " ;,'\""):
        raise ValueError(f"--frame-ancestors wants an origin like https://app.example.com, not {value!r}")
    return origin


@dataclass(frozen=True)
class SecurityPolicy:
    """What the headers allow: embedding origins, extra origins to call or show images from."""

    frame_ancestors: Sequence[str] = ()
    connect_origins: Sequence[str] = ()
    image_origins: Sequence[str] = ()
    always_https: bool = False
    never_https: bool = False  # a public URL of http://: a request's scheme changes nothing

    def content_security_policy(self, nonce: str | None) -> str:
        script = ["'self'", *([f"'nonce-{nonce}'"] if nonce else []), "'unsafe-eval'"]
        directives = {
            "default-src": ["'self'"],
            "script-src": script,
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", *self.image_origins],
            "font-src": ["'self'", "data:"],
            "connect-src": ["'self'", *self.connect_origins],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'", "https:"],
            "frame-ancestors": list(self.frame_ancestors) or ["'none'"],
        }
        return "; ".join(f"{name} {' '.join(_unique(sources))}" for name, sources in directives.items())

    def headers(self, *, nonce: str | None, https: bool) -> list[tuple[bytes, bytes]]:
        pairs = [
            ("content-security-policy", self.content_security_policy(nonce)),
            ("referrer-policy", "no-referrer"),
            ("x-content-type-options", "nosniff"),
        ]
        if not self.frame_ancestors:
            pairs.append(("x-frame-options", "DENY"))
        if https:
            pairs.append(("strict-transport-security", HSTS))
        return [(name.encode(), value.encode()) for name, value in pairs]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _secure_cookie(value: bytes) -> bytes:
    """A ``Set-Cookie`` value with the ``Secure`` attribute (unchanged when it has it)."""
    attributes = [part.strip().lower() for part in value.split(b";")[1:]]
    return value if b"secure" in attributes else value + b"; Secure"


class SecurityHeadersMiddleware:
    """Adds the :class:`SecurityPolicy` headers to every HTTP response (websockets pass through).

    HTML bodies are buffered so their ``<script>`` tags can carry the nonce the
    policy names; everything else streams through untouched.
    """

    def __init__(self, app: ASGIApp, policy: SecurityPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.policy.always_https or (not self.policy.never_https and scope.get("scheme") == "https")
        start: Message | None = None
        body: list[bytes] = []
        nonce = secrets.token_urlsafe(18)

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OWN_HEADERS]
                if https:
                    headers = [
                        (k, _secure_cookie(v) if k.lower() == b"set-cookie" else v) for k, v in headers
                    ]
                html = any(
                    k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in headers
                )
                headers += self.policy.headers(nonce=nonce if html else None, https=https)
                message["headers"] = headers
                if not html or scope.get("method") == "HEAD":  # HEAD: no body to sign, length stays
                    await send(message)
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            content = _SCRIPT_TAG.sub(b'<script nonce="' + nonce.encode() + b'"', b"".join(body))
            # The page's Request keeps this function (as its ``send``) for as long as the visitor
            # is connected: without this, every session held its whole HTML (issue 15).
            body.clear()
            start["headers"] = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            start["headers"].append((b"content-length", str(len(content)).encode()))
            await send(start)
            await send({"type": "http.response.body", "body": content, "more_body": False})

        await self.app(scope, receive, send_with_headers)


_OWN_HEADERS: Final = frozenset(
    {
        b"content-security-policy",
        b"referrer-policy",
        b"x-content-type-options",
        b"x-frame-options",
        b"strict-transport-security",
    }
)
