"""Whether the person reached us over https: the cookies' ``Secure`` flag depends on it.

Why not the request's own word: behind a TLS proxy the backend sees plain
http, and a proxy that rewrites ``Host`` to ``127.0.0.1`` made the old rule
(Secure unless the Host is loopback) drop ``Secure`` on an https site. And
headers anyone can send must not decide it. The order, most trusted first:

1. the configured public URL (``--public-url``): its scheme decides, and no
   request header is read at all;
2. ``X-Forwarded-Proto`` from a trusted proxy (``--forwarded-allow-ips``),
   the same proxies whose ``X-Forwarded-For`` is believed; from anyone else
   it is ignored;
3. the connection's own scheme (https served directly);
4. without any of those, the recorded protocol rule (fixtures README, point
   9): ``Secure`` unless the Host is loopback. The Host comes from the
   client itself here, so a forged one changes only the forger's own cookies;
   configuring the public URL takes the Host out of the decision entirely.
"""

from __future__ import annotations

from .client_address import TrustedProxies
from .cookies import is_loopback
from .http_exchange import Exchange


class HttpsDecision:
    def __init__(self, public_url: str | None, proxies: TrustedProxies) -> None:
        self._configured = None if public_url is None else public_url.lower().startswith("https://")
        self._proxies = proxies

    def cookies_secure(self, exchange: Exchange) -> bool:
        """Whether cookies set in reply to ``exchange``'s request carry ``Secure``."""
        if self._configured is not None:
            return self._configured
        headers = exchange.headers
        forwarded = headers.get("x-forwarded-proto")
        if forwarded and self._proxies.trusts(exchange.peer or ""):
            # The proxy nearest to us wrote the last entry of a list.
            return forwarded.split(",")[-1].strip().lower() == "https"
        if exchange.scheme == "https":
            return True
        return not is_loopback(headers.get("host", ""))
