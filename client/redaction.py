"""Keep secrets out of log records, ours and those of the HTTP stack under us.

What must never reach a log (issue 3): passwords, one-time codes, the hidden
``session`` values of challenges, shared secrets, credentials, cookies. Our own
records only ever name the method, the request id, the action name, the
outcome and the duration (see ``transport.py``). Two things need care beyond that:

* The endpoint URL may carry credentials (``https://user:pass@host``) or a key in
  its query string. :func:`safe_url` drops both before a URL is logged or put
  into an exception message; httpx's own "HTTP Request: POST <url>" record gets
  the same treatment from the filter below.
* httpcore, at DEBUG, logs every response's headers verbatim, Set-Cookie
  included (``receive_response_headers.complete return_value=(..., [(b'set-cookie',
  b'auth=eyJ...')])``).

:func:`install_log_redaction` attaches :class:`RedactingFilter` to the httpx and
httpcore loggers. A filter acts only on records created by the logger it is
attached to, hence the explicit list of logger names.
"""

from __future__ import annotations

import logging
import re
from typing import Final
from urllib.parse import urlsplit, urlunsplit

# The loggers under us that write URLs (httpx) or raw header lists (httpcore).
THIRD_PARTY_LOGGERS: Final = (
    "httpx",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.connection",
)
REDACTED: Final = "<redacted>"

# ``(b'set-cookie', b'value')`` as repr() prints a header tuple: either quote style, any case.
_SECRET_HEADER: Final = re.compile(
    r"""(\(b(['"])(?:set-cookie|cookie|authorization|proxy-authorization)\2,\s*)"""
    r"""b(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""",
    re.IGNORECASE,
)
_URL_USERINFO: Final = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]*@", re.IGNORECASE)
_URL_QUERY: Final = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s?#\"']*)[?#][^\s\"']*", re.IGNORECASE)


def safe_url(url: str) -> str:
    """``scheme://host:port/path`` without user info, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def redact_text(message: str) -> str:
    """Blank secret header values and URL credentials/queries in a formatted log message."""
    lowered = message.lower()
    if "cookie" in lowered or "authorization" in lowered:
        message = _SECRET_HEADER.sub(lambda m: f"{m[1]}b'{REDACTED}'", message)
    if "://" in message:
        message = _URL_QUERY.sub(r"\1", _URL_USERINFO.sub(r"\1", message))
    return message


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with :func:`redact_text`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


_FILTER: Final = RedactingFilter()


def install_log_redaction() -> None:
    """Attach the filter to the httpx/httpcore loggers (idempotent, cheap to call again)."""
    for name in THIRD_PARTY_LOGGERS:
        target = logging.getLogger(name)
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
