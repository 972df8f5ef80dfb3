"""The address a request came from, honouring ``X-Forwarded-For`` only from trusted proxies.

Per-address budgets are only as good as the address. Behind nginx every
request arrives from nginx, so the backend must read the visitor's address
from ``X-Forwarded-For``; but a header anyone can send must not be believed
from anyone else, or an attacker picks a fresh address for every guess.

The list is read from the right: each proxy appends the address it saw, so
the first entry (from the right) that is *not* a trusted proxy is the
client. Entries to its left were written by the client itself and are
ignored. ``*`` trusts every peer (only for a backend no one else can reach).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    def __init__(self, spec: Iterable[str]) -> None:
        entries = [entry.strip() for entry in spec if entry.strip()]
        self._any = "*" in entries
        self._networks: list[IpNetwork] = [
            ipaddress.ip_network(entry, strict=False) for entry in entries if entry != "*"
        ]

    def __bool__(self) -> bool:
        return self._any or bool(self._networks)

    def trusts(self, address: str) -> bool:
        if self._any:
            return True
        parsed = _ip(address)
        return parsed is not None and any(parsed in network for network in self._networks)

    def client_address(self, peer: str, forwarded_for: str | None) -> str:
        """The client's address: ``peer`` unless a trusted peer forwarded the request."""
        if not forwarded_for or not self.trusts(peer):
            return peer
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        for hop in reversed(hops):
            if _ip(hop) is None:
                return peer  # a malformed list: believe nothing in it
            if not self.trusts(hop):
                return hop
        return hops[0]  # every hop is a trusted proxy: the first one is the client


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
