"""Command-line options of the backend, shared by ``backend`` and (later) ``serve``.

``add_backend_options`` defines the option names of issue 4 (point 6);
``settings_from_args`` turns them into :class:`BackendSettings`, with
``NICEGUI_AUTHENTICATOR_*`` environment variables filling whatever the
command line leaves out (so every option defaults to ``None`` here).
``serve_from_args`` serves the backend alone (``serving``); ``run_admin`` is the
admin command line (add a user, confirm a user, list the outbox).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING, Any, Final

from .serving import check_serving, serve
from .settings import ENV_PREFIX, BackendSettings, parse_list

if TYPE_CHECKING:
    from .admin import Admin

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("authentication backend")
    group.add_argument(
        "--db",
        metavar="PATH|URL",
        help="SQLite database file (created if missing) or a postgresql://user:pass@host/db URL",
    )
    group.add_argument(
        "--mode", choices=["basic", "cognito"], help="reply shapes of AuthBasic or AuthCognito"
    )
    group.add_argument("--mfa", choices=["off", "optional", "required"], help="multi-factor authentication")
    group.add_argument("--mfa-types", metavar="TYPES", help="comma-separated: TOTP,EMAIL,SMS")
    group.add_argument(
        "--email-mfa-on-sign-up",
        action="store_true",
        default=None,
        help="enrol every confirmed sign-up in email MFA (the AWS Blocks mock's behaviour; "
        "default: optional MFA is opt-in)",
    )
    group.add_argument("--sign-in-with", metavar="KINDS", help="comma-separated: username,email,phone")
    group.add_argument(
        "--flow", choices=["password", "choice"], help="password sign-in or first-factor choice"
    )
    group.add_argument(
        "--no-self-sign-up",
        dest="self_sign_up",
        action="store_false",
        default=None,
        help="hide and refuse signUp",
    )
    group.add_argument(
        "--passkeys",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="passkey sign-in and management",
    )
    group.add_argument("--rp-id", metavar="ID", help="WebAuthn relying party id (a domain, e.g. localhost)")
    group.add_argument(
        "--origin", metavar="URL", action="append", help="origin allowed for WebAuthn (repeatable)"
    )
    group.add_argument("--path", metavar="PATH", help="JSON-RPC endpoint path (default /aws-blocks/api)")
    group.add_argument("--namespace", metavar="NAME", help="JSON-RPC namespace (default authApi)")
    group.add_argument(
        "--cors-origin",
        metavar="URL",
        action="append",
        help="web app origin allowed to call with the person's cookie (repeatable)",
    )
    group.add_argument(
        "--cross-site-cookies",
        action="store_true",
        default=None,
        help="SameSite=None; Secure; Partitioned cookies, for a login page on another site",
    )
    group.add_argument(
        "--public-url",
        metavar="URL",
        help="where people reach the site (https://...): decides the Secure cookie flag, "
        "whatever a request's Host or X-Forwarded-Proto says",
    )
    group.add_argument(
        "--audit-log",
        metavar="PATH",
        help="also append the audit channel (sign-ins, failures, security changes; never secrets) "
        "to this file, one JSON line per event",
    )
    group.add_argument("--dev", action="store_true", default=None, help="development mode: /dev/outbox pages")
    group.add_argument("--outbox-file", metavar="PATH", help="append every code sent as a JSON line")
    group.add_argument(
        "--sign-up-attributes",
        metavar="NAMES",
        help="comma-separated attributes asked at sign-up (e.g. email,given_name,phone_number)",
    )
    group.add_argument(
        "--password-min-length", metavar="N", type=int, help="shortest new password (default 8)"
    )
    group.add_argument(
        "--password-require",
        metavar="CLASSES",
        help="comma-separated character classes a new password must contain: "
        "lowercase,uppercase,digits,symbols, or none (default: none)",
    )
    group.add_argument(
        "--password-reject-common",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="refuse the 100,000 most common passwords, ignoring case and symbols around them (default on)",
    )
    group.add_argument(
        "--auto-sign-in",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="sign people in right after they confirm their sign-up (default on)",
    )
    group.add_argument(
        "--session-lifetime", metavar="SECONDS", type=float, help="how long a sign-in lasts (default 30 days)"
    )
    group.add_argument(
        "--session-idle-timeout",
        metavar="SECONDS",
        type=float,
        help="a session unused this long is over (default 12 hours)",
    )
    group.add_argument(
        "--recent-auth-window",
        metavar="SECONDS",
        type=float,
        help="how recent a password or second factor must be for sensitive actions (default 300)",
    )
    group.add_argument(
        "--code-delivery",
        metavar="HOW",
        help="where one-time codes go: outbox (the database, default), log, command:/path/to/program "
        "(the message as JSON on its stdin) or webhook:https://... (the message POSTed as JSON); "
        "with --smtp-url, the command or webhook gets what is not an email address (SMS)",
    )
    group.add_argument(
        "--smtp-url",
        metavar="URL",
        help="send email codes through smtps://user:pass@host[:465] or smtp://user:pass@host[:587] "
        "(STARTTLS; ?starttls=required|auto|no)",
    )
    group.add_argument(
        "--mail-from", metavar="ADDRESS", help="sender of code emails, e.g. 'Example <no-reply@example.com>'"
    )
    group.add_argument(
        "--app-title", metavar="NAME", help="the app's name in messages (default: the WebAuthn rp name)"
    )


_PASSWORD_CLASSES: Final = ("lowercase", "uppercase", "digits", "symbols")


def settings_from_args(ns: argparse.Namespace, **overrides: Any) -> BackendSettings:
    """Settings from parsed options; environment variables fill in what was not given."""
    given: dict[str, Any] = {}
    simple = {
        "db": "db_path",
        "mode": "mode",
        "mfa": "mfa",
        "flow": "flow",
        "self_sign_up": "self_sign_up",
        "passkeys": "passkeys",
        "rp_id": "rp_id",
        "path": "path",
        "namespace": "namespace",
        "dev": "dev",
        "outbox_file": "outbox_file",
        "email_mfa_on_sign_up": "email_mfa_on_sign_up",
        "cross_site_cookies": "cross_site_cookies",
        "public_url": "public_url",
        "audit_log": "audit_log",
    }
    for option, setting in simple.items():
        value = getattr(ns, option, None)
        if value is not None:
            given[setting] = value
    if getattr(ns, "mfa_types", None):
        given["mfa_types"] = tuple(t.upper() for t in parse_list(ns.mfa_types))
    if getattr(ns, "sign_in_with", None):
        given["sign_in_with"] = parse_list(ns.sign_in_with)
    if getattr(ns, "origin", None):
        given["origins"] = tuple(ns.origin)
    if getattr(ns, "cors_origin", None):
        given["cors_origins"] = tuple(ns.cors_origin)
    for option in ("auto_sign_in", "session_lifetime", "session_idle_timeout", "recent_auth_window"):
        if getattr(ns, option, None) is not None:
            given[option] = getattr(ns, option)
    delivery = getattr(ns, "code_delivery", None)
    if delivery:
        if ":" in delivery:
            given["delivery_hook"] = delivery
        elif delivery in ("outbox", "log"):
            given["code_delivery"] = delivery
        else:
            raise ValueError("--code-delivery must be outbox, log, command:PATH or webhook:URL")
    for option in ("smtp_url", "mail_from", "app_title"):
        if getattr(ns, option, None):
            given[option] = getattr(ns, option)
    if getattr(ns, "forwarded_allow_ips", None):
        given["forwarded_allow_ips"] = parse_list(ns.forwarded_allow_ips)
    given.update(overrides)
    return BackendSettings.from_env(_environ_with_options(ns), **given)


def _environ_with_options(ns: argparse.Namespace) -> dict[str, str]:
    """The environment, with the options that share its parsing written over it.

    The password policy options only adjust the mode's default policy, exactly
    as the ``PASSWORD_*`` variables do, so both paths go through one parser.
    """
    environ = dict(os.environ)
    if getattr(ns, "sign_up_attributes", None):
        environ[ENV_PREFIX + "SIGN_UP_ATTRIBUTES"] = ns.sign_up_attributes
    if getattr(ns, "password_min_length", None) is not None:
        environ[ENV_PREFIX + "PASSWORD_MIN_LENGTH"] = str(ns.password_min_length)
    if getattr(ns, "password_require", None):
        wanted = set() if ns.password_require.strip() == "none" else set(parse_list(ns.password_require))
        unknown = wanted - set(_PASSWORD_CLASSES)
        if unknown:
            raise ValueError(f"--password-require: unknown classes {', '.join(sorted(unknown))}")
        for name in _PASSWORD_CLASSES:
            environ[f"{ENV_PREFIX}PASSWORD_REQUIRE_{name.upper()}"] = "1" if name in wanted else "0"
    if getattr(ns, "password_reject_common", None) is not None:
        environ[ENV_PREFIX + "PASSWORD_REJECT_COMMON"] = "1" if ns.password_reject_common else "0"
    return environ


def add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None, help=f"interface to bind (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes sharing the port (the backend keeps no state between requests)",
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="comma-separated addresses or networks of trusted proxies (or *): "
        "X-Forwarded-For is honoured only from them",
    )


def serve_from_args(ns: argparse.Namespace) -> int:
    try:
        settings = settings_from_args(ns)
        host = ns.host or DEFAULT_HOST
        check_serving(settings, host, getattr(ns, "workers", 1))
    except ValueError as error:
        print(f"nicegui-authenticator backend: {error}", file=sys.stderr)
        return 2
    serve(settings, host, ns.port, workers=getattr(ns, "workers", 1), options=ns)
    return 0


# -- admin -------------------------------------------------------------------------------


def add_admin_commands(parser: argparse.ArgumentParser) -> None:
    """``admin add-user | confirm-user | outbox | add-to-group | remove-from-group``, each taking the backend options (``--db`` ...)."""
    commands = parser.add_subparsers(dest="admin_command", required=True)
    add = commands.add_parser("add-user", help="create an account (temporary password by default)")
    add.add_argument("username")
    add.add_argument("--email")
    add.add_argument("--phone")
    add.add_argument("--permanent", action="store_true", help="no new-password challenge at first sign-in")
    add_backend_options(add)
    confirm = commands.add_parser("confirm-user", help="confirm a pending sign-up")
    confirm.add_argument("username")
    add_backend_options(confirm)
    outbox = commands.add_parser("outbox", help="print the outbox as JSON")
    add_backend_options(outbox)
    for verb, says in (("add-to-group", "put an account in a group"), ("remove-from-group", "take one out")):
        membership = commands.add_parser(verb, help=says)
        membership.add_argument("username")
        membership.add_argument("group")
        add_backend_options(membership)


def _change_membership(backend: Admin, command: str, username: str, group: str) -> str:
    if command == "add-to-group":
        changed = backend.add_to_group(username, group)
        return f"added {username} to {group}" if changed else f"{username} is already in {group}"
    changed = backend.remove_from_group(username, group)
    return f"removed {username} from {group}" if changed else f"{username} is not in {group}"


def run_admin(ns: argparse.Namespace) -> int:
    from .app import ReferenceBackend

    try:
        settings = settings_from_args(ns)
        with ReferenceBackend(settings) as backend:
            if ns.admin_command == "add-user":
                # Read from the terminal (or stdin), never argv: argv is visible to every local user.
                password = (
                    getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
                )
                backend.add_user(
                    ns.username, password, temporary=not ns.permanent, email=ns.email, phone=ns.phone
                )
                print(f"added {ns.username}")
            elif ns.admin_command == "confirm-user":
                backend.confirm_user(ns.username)
                print(f"confirmed {ns.username}")
            elif ns.admin_command in ("add-to-group", "remove-from-group"):
                print(_change_membership(backend, ns.admin_command, ns.username, ns.group))
            else:
                print(json.dumps(backend.list_outbox(), indent=2, ensure_ascii=False))
    except (ValueError, LookupError) as error:
        print(f"nicegui-authenticator admin: {error}", file=sys.stderr)
        return 2
    return 0
