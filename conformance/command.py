"""``nicegui-authenticator check``: the options, and the exit status a CI job reads.

Exit 0 when the server broke no rule, 1 on any deviation, 2 for bad options
or an endpoint that cannot be reached at all. Building the parser imports
nothing heavy; the checker itself is imported when the command runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

DESCRIPTION = """\
Check a setAuthState server against docs/protocol.md, as a client would meet it.

The checker signs up ONE generated account (conformance-<random>, an address
under example.com), walks every flow the server offers (confirm, sign in,
wrong password, MFA, passkeys with a software authenticator, sign-out,
password reset) and the envelope edge cases, then cleans up where the server
allows. Requests are bounded: the largest is one body just over 10 MiB.
Each deviation is reported with its step, request, reply and rule (R1..R23).
"""


def add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the JSON-RPC URL, e.g. http://127.0.0.1:8000/aws-blocks/api",
    )
    parser.add_argument(
        "--namespace", default="authApi", metavar="NS", help="JSON-RPC namespace (default authApi)"
    )
    codes = parser.add_mutually_exclusive_group()
    codes.add_argument(
        "--codes-command",
        metavar="CMD",
        help="shell command printing the latest code for the username appended to it",
    )
    codes.add_argument(
        "--codes-file",
        metavar="PATH",
        type=Path,
        help="JSON lines with 'code' and 'username' or 'to' (e.g. the backend's --outbox-file)",
    )
    parser.add_argument(
        "--origin",
        metavar="URL",
        help="web origin the software passkey claims (default: the endpoint's origin)",
    )
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request (default 15)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (for CI)")


def run_check(ns: argparse.Namespace) -> int:
    from ..client.errors import TransportError
    from .checker import CheckOptions, EndpointUnreachable, check
    from .codes import CodesCommand, CodesFile, CodeSource

    source: CodeSource | None = None
    if ns.codes_command:
        source = CodesCommand(ns.codes_command)
    elif ns.codes_file:
        source = CodesFile(ns.codes_file)
    try:
        options = CheckOptions(ns.endpoint, ns.namespace, source, ns.origin, ns.timeout)
        report = asyncio.run(check(options))
    except (ValueError, TransportError, EndpointUnreachable) as error:
        print(f"nicegui-authenticator check: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_json(), indent=2, ensure_ascii=False) if ns.json else report.to_table())
    return 0 if report.ok else 1
