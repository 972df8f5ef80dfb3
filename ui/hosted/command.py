"""``nicegui-authenticator serve``: the hosted login page as a command.

Two ways to run it:

* ``--endpoint URL``: the page talks to an existing setAuthState server (AWS
  Blocks, or ``nicegui-authenticator backend``).
* no ``--endpoint``: the reference backend runs inside the same process,
  reached in-process through ``httpx.ASGITransport``, its routes mounted on
  the page's server. On loopback that is development mode (``/dev/outbox``
  shows the codes it "sends", a banner says so); bound to any other interface,
  or with ``--production``, codes are sent for real (``production.py``).

State lives in one directory (``--data-dir``, default ``./.nicegui-authenticator``):
the database (unless ``--db``), the storage secret next to the database, and
NiceGUI's per-browser storage, which holds each browser's backend cookies.

Nothing from NiceGUI is imported until the command actually runs, so building
the parser (``--help``, the other subcommands) stays fast.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from ...backend import command_line
from ...backend.cookies import is_loopback
from ...backend.settings import ENV_PREFIX, BackendSettings
from ...state_machine.languages import SUPPORTED_TAGS, canonical_tags
from ..components.theme_tokens import load_theme
from .config import HostedConfig, check_brand_color
from .production import check_production, wants_production
from .redirects import RedirectPolicy
from .screen_urls import SCREENS_BY_URL_NAME, screen_of
from .security_headers import SecurityPolicy, check_frame_ancestor, origin_of

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8080
DEFAULT_DATA_DIR: Final = Path(".nicegui-authenticator")
DB_FILE: Final = "nicegui-authenticator.sqlite3"
LOGO_ROUTE: Final = "/_nicegui_authenticator/logo"
DARK_CHOICES: Final[dict[str, bool | None]] = {"auto": None, "on": True, "off": False}

# Options of add_backend_options that only configure the embedded backend
# (``--namespace`` is shared: it also names the remote endpoint's namespace).
_EMBEDDED_ONLY: Final = {
    "db": "--db",
    "mode": "--mode",
    "mfa": "--mfa",
    "mfa_types": "--mfa-types",
    "email_mfa_on_sign_up": "--email-mfa-on-sign-up",
    "sign_in_with": "--sign-in-with",
    "flow": "--flow",
    "self_sign_up": "--no-self-sign-up",
    "passkeys": "--passkeys/--no-passkeys",
    "rp_id": "--rp-id",
    "origin": "--origin",
    "path": "--path",
    "dev": "--dev",
    "outbox_file": "--outbox-file",
    "cors_origin": "--cors-origin",
    "cross_site_cookies": "--cross-site-cookies",
    "audit_log": "--audit-log",
}

DESCRIPTION: Final = """\
Serve the hosted login page (sign in, sign up, password reset, MFA, passkeys,
account management) at http://HOST:PORT/.

Without --endpoint, the reference backend runs in the same process. On
loopback that is development mode: codes are shown at /dev/outbox instead of
being sent, and a banner says so (--dev binds loopback only). Bound to another
interface, or with --production, it is production mode: codes are sent
(--smtp-url, --code-delivery), and the storage secret must come from
NICEGUI_AUTHENTICATOR_STORAGE_SECRET. With --endpoint, the page drives that
setAuthState server and the backend options do not apply.

After sign-in the page follows ?redirect=TARGET when TARGET is a path on this
site, or an absolute URL whose host was allowed with --allow-redirect;
otherwise it shows the signed-in page.

The storage secret (it signs the browser session cookie) comes from
NICEGUI_AUTHENTICATOR_STORAGE_SECRET, or is generated once and kept (mode 0600)
in the file storage-secret next to the database. Backend options may also be
set through NICEGUI_AUTHENTICATOR_* variables (see BackendSettings).
"""

EPILOG: Final = """\
examples:
  nicegui-authenticator serve
  nicegui-authenticator serve --mfa required --mfa-types TOTP,EMAIL --port 9000
  nicegui-authenticator serve --endpoint https://app.example.com/aws-blocks/api --namespace authApi \\
      --title "Example Inc." --brand-color "#0f766e" --allow-redirect app.example.com
"""


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """Everything ``serve`` accepts: page and server options, plus all backend options."""
    page = parser.add_argument_group("login page")
    page.add_argument(
        "--endpoint",
        metavar="URL",
        help="setAuthState JSON-RPC endpoint to drive (default: run the reference backend in-process)",
    )
    page.add_argument("--host", default=DEFAULT_HOST, help=f"interface to bind (default {DEFAULT_HOST})")
    page.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    page.add_argument("--title", help="name shown above the sign-in card and as the page title")
    page.add_argument("--logo", metavar="URL_OR_FILE", help="logo image: a URL, or a local image file")
    page.add_argument(
        "--brand-color",
        metavar="COLOR",
        help="primary colour, e.g. '#0f766e' (adjusted, with a warning, when its contrast is too low)",
    )
    page.add_argument(
        "--dark",
        choices=sorted(DARK_CHOICES),
        default="auto",
        help="colour scheme: auto follows the browser's setting (default), on or off forces dark or light",
    )
    page.add_argument("--issuer", help="name authenticator apps show for TOTP codes (default: --title)")
    page.add_argument(
        "--theme",
        metavar="FILE",
        type=Path,
        help="design tokens for the sign-in card, a .toml or .json file of names and values "
        '(e.g. color-brand = "#0f766e"; the names are listed in assets/authenticator.css)',
    )
    page.add_argument(
        "--language",
        metavar="TAG",
        help="always show this language, no switcher (default: each browser's Accept-Language, "
        f"or its choice in the switcher); one of: {' '.join(SUPPORTED_TAGS)}",
    )
    page.add_argument(
        "--languages",
        metavar="TAG,TAG",
        help="offer only these languages (comma-separated) in negotiation and the switcher",
    )
    page.add_argument(
        "--allow-redirect",
        metavar="HOST",
        action="append",
        default=[],
        help="host (or host:port) an absolute ?redirect= URL may name (repeatable); "
        "paths on this site are always allowed",
    )
    page.add_argument(
        "--initial-screen",
        choices=sorted(SCREENS_BY_URL_NAME),
        help="the screen / opens on (default sign-in); each also has its URL, /?screen=NAME",
    )
    page.add_argument(
        "--resend-cooldown",
        metavar="SECONDS",
        type=float,
        help="how long a Resend button waits after a code was sent, counting down (default 30)",
    )
    page.add_argument(
        "--session",
        choices=["server", "browser"],
        default="server",
        help="who calls the backend: this server, keeping each browser's cookies (default), or the "
        "browser itself, so the session cookie lands in the browser and signs it into other apps "
        "on the backend's site (a backend on another origin needs --cors-origin for this page)",
    )
    page.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"database, storage secret and browser sessions (default ./{DEFAULT_DATA_DIR})",
    )
    page.add_argument(
        "--production",
        action="store_true",
        help="send codes for real, no outbox, no banner (the default off loopback); "
        "needs a delivery method and NICEGUI_AUTHENTICATOR_STORAGE_SECRET",
    )
    page.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="proxies (e.g. nginx) whose X-Forwarded-For names the visitor (default 127.0.0.1)",
    )
    page.add_argument(
        "--frame-ancestors",
        metavar="ORIGIN",
        action="append",
        default=[],
        help="origin allowed to embed the page in a frame (repeatable; default: no one)",
    )
    command_line.add_backend_options(parser)
    parser.set_defaults(serve_parser=parser)  # so run_serve reports bad combinations like argparse


@dataclass(frozen=True)
class ServePlan:
    """What ``serve`` will run, decided from the options before anything starts."""

    host: str
    port: int
    data_dir: Path
    config: HostedConfig
    endpoint: str | None
    namespace: str
    settings: BackendSettings | None
    logo_file: Path | None
    visitor_hop_secret: str | None = None  # shared with a remote endpoint (environment only)
    production: bool = False
    forwarded_allow_ips: str | None = None
    security: SecurityPolicy = field(default_factory=SecurityPolicy)

    @property
    def embedded(self) -> bool:
        return self.settings is not None

    @property
    def secret_dir(self) -> Path:
        """The storage secret is kept next to the database it belongs with."""
        if self.settings is not None:
            return Path(self.settings.db_path).resolve().parent
        return self.data_dir

    @property
    def public_url(self) -> str:
        if self.settings is not None and self.settings.public_url:
            return self.settings.public_url
        host = "localhost" if is_loopback(self.host) else self.host
        return f"http://{host}:{self.port}/"


class UsageError(ValueError):
    """An option combination ``serve`` refuses (reported like an argparse error)."""


def _env_has(name: str) -> bool:
    return bool(os.environ.get(ENV_PREFIX + name, "").strip())


def _embedded_settings(ns: argparse.Namespace, data_dir: Path, *, production: bool) -> BackendSettings:
    overrides: dict[str, object] = {"dev": not production}
    if ns.db is None and not _env_has("DB"):
        overrides["db_path"] = str(data_dir / DB_FILE)
    if not ns.origin and not _env_has("ORIGINS"):
        # WebAuthn accepts only the page's own origin; offer the usual spellings of it.
        hosts = ["localhost", "127.0.0.1"] if is_loopback(ns.host) else [ns.host]
        overrides["origins"] = tuple(f"http://{host}:{ns.port}" for host in hosts)
    return command_line.settings_from_args(ns, **overrides)


def _logo(value: str | None) -> tuple[str | None, Path | None]:
    """The logo URL to show and, for a local file, the file to serve at that URL."""
    if not value:
        return None, None
    path = Path(value).expanduser()
    if path.is_file():
        return LOGO_ROUTE + path.suffix.lower(), path.resolve()
    if value.startswith(("https://", "http://", "/", "data:image/")):
        return value, None
    raise UsageError(f"--logo: not a file and not an http(s) URL: {value!r}")


def plan_from_args(ns: argparse.Namespace) -> ServePlan:
    """Check the options and decide what to run; raises UsageError for a bad combination."""
    try:
        policy = RedirectPolicy.allowing(ns.allow_redirect)
        brand_color = check_brand_color(ns.brand_color) if ns.brand_color else None
        languages = canonical_tags(ns.languages.split(",")) if ns.languages else None
        language = canonical_tags([ns.language])[0] if ns.language else None
        theme = load_theme(ns.theme) if ns.theme else None
    except OSError as error:
        raise UsageError(f"--theme: {error}") from error
    except ValueError as error:
        raise UsageError(str(error)) from error
    if language is not None and languages is not None and language not in languages:
        raise UsageError(f"--language {language} is not among --languages {','.join(languages)}")
    if not 0 < ns.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {ns.port}")
    logo, logo_file = _logo(ns.logo)
    data_dir = ns.data_dir.expanduser().resolve()

    try:
        production = wants_production(ns)
    except ValueError as error:
        raise UsageError(str(error)) from error
    settings: BackendSettings | None = None
    if ns.endpoint:
        given = [flag for dest, flag in _EMBEDDED_ONLY.items() if getattr(ns, dest, None) not in (None, [])]
        if given:
            raise UsageError(
                f"{', '.join(given)} configure the embedded backend and cannot be combined with --endpoint"
            )
        namespace = ns.namespace or "authApi"
    else:
        try:
            settings = _embedded_settings(ns, data_dir, production=production)
        except ValueError as error:
            raise UsageError(str(error)) from error
        namespace = settings.namespace
    if production:
        try:
            check_production(ns.host, settings, os.environ)
        except ValueError as error:
            raise UsageError(str(error)) from error

    config = HostedConfig(
        title=ns.title,
        logo=logo,
        brand_color=brand_color,
        dark=DARK_CHOICES[getattr(ns, "dark", "auto")],
        issuer=ns.issuer or ns.title or "nicegui-authenticator",
        redirect_policy=policy,
        dev_outbox="/dev/outbox" if settings is not None and settings.dev else None,
        language=language,
        languages=languages,
        theme=theme,
        authenticator_options=_session_options(getattr(ns, "session", "server"), settings)
        | _cooldown_option(getattr(ns, "resend_cooldown", None)),
        initial_screen=screen_of(getattr(ns, "initial_screen", None)),
    )
    return ServePlan(
        host=ns.host,
        port=ns.port,
        data_dir=data_dir,
        config=config,
        endpoint=ns.endpoint,
        namespace=namespace,
        settings=settings,
        logo_file=logo_file,
        visitor_hop_secret=os.environ.get(ENV_PREFIX + "VISITOR_HOP_SECRET", "").strip() or None,
        production=production,
        forwarded_allow_ips=ns.forwarded_allow_ips,
        security=_security_policy(ns, config, settings),
    )


def _security_policy(
    ns: argparse.Namespace, config: HostedConfig, settings: BackendSettings | None
) -> SecurityPolicy:
    """The page's security headers: who may frame it, what else it may reach, whether it is https.

    A configured public URL (``--public-url``) says whether the page is https. Without one,
    the embedded backend's WebAuthn origins are the page's public origins; when every one
    is https the page is, whatever a request's own scheme says.
    """
    try:
        ancestors = tuple(check_frame_ancestor(value) for value in getattr(ns, "frame_ancestors", []))
    except ValueError as error:
        raise UsageError(str(error)) from error
    browser_calls = config.authenticator_options.get("session") == "browser"
    endpoint_origin = origin_of(ns.endpoint) if browser_calls else None
    logo_origin = origin_of(config.logo)
    origins = settings.origins if settings is not None else ()
    https_origins = bool(origins) and all(origin.startswith("https://") for origin in origins)
    # The configured public URL decides (finding 7): no request header can turn https off or on.
    public_url = settings.public_url if settings is not None else getattr(ns, "public_url", None)
    if public_url and not public_url.startswith(("https://", "http://")):
        raise UsageError(f"--public-url must start with https:// or http://, not {public_url!r}")
    configured = None if not public_url else public_url.startswith("https://")
    return SecurityPolicy(
        frame_ancestors=ancestors,
        connect_origins=(endpoint_origin,) if endpoint_origin else (),
        image_origins=(logo_origin,) if logo_origin else (),
        always_https=https_origins if configured is None else configured,
        never_https=configured is False,
    )


def _cooldown_option(seconds: float | None) -> dict[str, float]:
    """``--resend-cooldown``, when given (the Authenticator's own default is 30 s)."""
    if seconds is None:
        return {}
    if not seconds >= 0:  # also refuses nan
        raise UsageError("--resend-cooldown must be zero or more seconds")
    return {"resend_cooldown": seconds}


def _session_options(session: str, settings: BackendSettings | None) -> dict[str, str]:
    """The Authenticator's session mode; an embedded backend is reached by the browser on this site."""
    if session == "server":
        return {}
    options = {"session": "browser"}
    if settings is not None:
        options["browser_endpoint"] = settings.path
    return options


def banner(plan: ServePlan) -> str:
    """What ``serve`` prints at start; loud in development mode. Brand colour adjustments come first."""
    adjusted = "".join(f"nicegui-authenticator: warning: {w}\n" for w in plan.config.palette.warnings)
    return adjusted + _start_banner(plan)


def _start_banner(plan: ServePlan) -> str:
    url = plan.public_url
    if plan.settings is None:
        return f"nicegui-authenticator: login page on {url} (backend: {plan.endpoint})"
    if plan.production:
        return f"nicegui-authenticator: login page on {url} (production; embedded backend)"
    line = "!" * 78
    return (
        f"{line}\n"
        f"!!  DEVELOPMENT MODE: the reference backend runs inside this process.\n"
        f"!!  Login page:  {url}\n"
        f"!!  Codes are NOT sent; read them at {url}dev/outbox\n"
        f"!!  Database:    {plan.settings.db_path}\n"
        f"!!  Never use this mode for real accounts.\n"
        f"{line}"
    )
