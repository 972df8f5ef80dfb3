"""The ``nicegui-authenticator`` command.

Subcommands:

* ``backend``: run the reference setAuthState backend alone (uvicorn).
* ``admin``: manage the backend's database (add a user, confirm a user, list the outbox).
* ``serve``: the hosted login page, on an existing endpoint or on the embedded backend.
* ``check``: the conformance checker, run against any setAuthState server.

Nothing from NiceGUI is imported at module import time, so the backend and
admin commands start quickly and work where NiceGUI's UI is not wanted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ...backend import command_line
from ...conformance import command as check_command
from . import command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nicegui-authenticator", description="A complete sign-in experience for NiceGUI apps."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    backend = commands.add_parser("backend", help="run the reference setAuthState backend")
    command_line.add_server_options(backend)
    command_line.add_backend_options(backend)
    admin = commands.add_parser("admin", help="manage the backend's accounts and outbox")
    command_line.add_admin_commands(admin)
    serve = commands.add_parser(
        "serve",
        help="run the hosted login page",
        description=command.DESCRIPTION,
        epilog=command.EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_serve_options(serve)
    check = commands.add_parser(
        "check",
        help="check a setAuthState server against the protocol",
        description=check_command.DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check_command.add_check_options(check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    if ns.command == "serve":
        return run_serve(ns)
    if ns.command == "backend":
        return command_line.serve_from_args(ns)
    if ns.command == "check":
        return check_command.run_check(ns)
    return command_line.run_admin(ns)


def run_serve(ns: argparse.Namespace) -> int:
    """Run ``serve`` until interrupted (exit status 2 for bad options)."""
    try:
        plan = command.plan_from_args(ns)
    except command.UsageError as error:
        parser = getattr(ns, "serve_parser", None)
        if isinstance(parser, argparse.ArgumentParser):
            parser.error(str(error))  # exits with status 2 and the usage line
        print(f"nicegui-authenticator serve: {error}", file=sys.stderr)
        return 2
    from .start_heap import pause_collection

    pause_collection()  # until the server is built (start_heap.py says why)
    from .server import start

    print(command.banner(plan), file=sys.stderr, flush=True)
    start(plan)
    return 0
