"""docs/deploy.md cannot rot: what it tells an operator to run and write is what the programs take.

The walk-through was followed by hand on a Debian 12 machine (both topologies,
up to a sign-up through nginx); these checks keep it true without starting
anything: every file it names exists and every shipped file is named, every
option it gives (inline or in a unit's ExecStart) is one our command parses,
every variable it sets is one the programs read, the units start the program
the walk-through installs with the files it writes, the ports agree between
the units, nginx and the text, and the settings it writes (the one-machine
block as printed, the example files with their CHANGE-ME filled in) pass the
checks ``serve --production`` and ``backend`` make at start.
"""

from __future__ import annotations

import argparse
import configparser
import re
import secrets
import shlex
from pathlib import Path

import pytest
from nicegui_authenticator.backend import command_line
from nicegui_authenticator.backend.at_rest import load_key
from nicegui_authenticator.backend.serving import check_serving
from nicegui_authenticator.backend.settings import _ENV_PARSERS, ENV_PREFIX
from nicegui_authenticator.ui.hosted import command
from nicegui_authenticator.ui.hosted.cli import build_parser
from nicegui_authenticator.ui.hosted.storage_secret import ENV_VAR as STORAGE_SECRET_ENV
from nicegui_authenticator.ui.session.jar_cipher import PREVIOUS_SECRETS_ENV

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOC = (ROOT / "docs" / "deploy.md").read_text()
FENCED = re.compile(r"^( *)```sh\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
# What NiceGUI itself reads (nicegui/storage.py) for storage in Redis.
NICEGUI_VARIABLES = {"NICEGUI_REDIS_URL", "NICEGUI_REDIS_KEY_PREFIX"}
OUR_COMMANDS = {"nicegui-authenticator", "serve", "backend"}


def _shell_blocks() -> list[str]:
    return [re.sub(rf"^{indent}", "", body, flags=re.MULTILINE) for indent, body in FENCED.findall(DOC)]


def _inline_code() -> list[str]:
    return re.findall(r"`([^`]+)`", FENCED.sub("", DOC))


def _unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / "systemd" / name).read_text().replace("\\\n", " "))
    return parser["Service"]


def _exec_start(name: str, instance: str = "") -> list[str]:
    return shlex.split(_unit(name)["ExecStart"].replace("%i", instance))


def _environment_file(text: str, filled: dict[str, str]) -> dict[str, str]:
    """``KEY=VALUE`` lines as systemd's EnvironmentFile reads them, placeholders filled per variable."""
    environ = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if "CHANGE-ME-64-hex-characters" in value or re.fullmatch(r"<openssl rand -hex 32>", value):
            value = filled.setdefault(key, secrets.token_hex(32))
        value = re.sub(r"CHANGE-ME|<password>", "a-password", value)
        environ[key.strip()] = value
    return environ


def _use_environment(monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("NICEGUI_"):
            monkeypatch.delenv(key)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)


def test_every_file_the_walk_through_names_exists_and_every_shipped_file_is_named() -> None:
    named = {m.rstrip(".,)") for m in re.findall(r"deploy/[\w./@-]+", DOC)}
    named |= {f"deploy/{m}" for m in re.findall(r"`((?:nginx|systemd|env)/[\w.@-]+)`", DOC)}
    for path in named:
        assert (ROOT / path).exists(), f"docs/deploy.md names {path}, which is not there"
    shipped = {str(p.relative_to(ROOT)) for p in DEPLOY.rglob("*") if p.is_file()}
    assert shipped <= named, f"shipped but never mentioned: {sorted(shipped - named)}"


def test_every_option_the_walk_through_gives_is_one_our_command_takes() -> None:
    serve, backend = argparse.ArgumentParser(), argparse.ArgumentParser()
    command.add_serve_options(serve)
    command_line.add_server_options(backend)
    command_line.add_backend_options(backend)
    known = {o for parser in (serve, backend) for action in parser._actions for o in action.option_strings}
    given = set()
    for text in [*_inline_code(), *_shell_blocks()]:
        for part in re.split(r"&&|\n", text):
            words = part.split()
            if words and (words[0] in OUR_COMMANDS or words[0].startswith("--")):
                given |= {w.split("=")[0] for w in words if w.startswith("--")}
    assert given, "the walk-through gives no options?"
    assert given <= known, f"options no command takes: {sorted(given - known)}"


def test_every_variable_the_walk_through_sets_is_one_the_programs_read() -> None:
    read = {ENV_PREFIX + name for name in _ENV_PARSERS} | {STORAGE_SECRET_ENV, PREVIOUS_SECRETS_ENV}
    read |= NICEGUI_VARIABLES
    texts = [DOC, *(p.read_text() for p in (DEPLOY / "env").iterdir())]
    named = {name for text in texts for name in re.findall(r"\bNICEGUI_[A-Z_]+[A-Z]\b", text)}
    assert named - NICEGUI_VARIABLES, "no settings named?"
    assert named <= read, f"set but never read: {sorted(named - read)}"


def test_the_units_run_what_the_walk_through_installs_with_the_files_it_writes() -> None:
    venv = re.search(r"python3 -m venv (\S+)", DOC)
    assert venv, "the walk-through creates a virtual environment"
    program = f"{venv.group(1)}/bin/nicegui-authenticator"
    for name in ("nicegui-authenticator.service", "nicegui-authenticator-backend.service"):
        argv = _exec_start(name)
        assert argv[0] == program, name
        build_parser().parse_args(argv[1:])  # exits (fails the test) on an unknown option
    for port in re.findall(r"nicegui-authenticator-serve@(\d+)", DOC):
        argv = _exec_start("nicegui-authenticator-serve@.service", port)
        assert argv[0] == program
        assert build_parser().parse_args(argv[1:]).port == int(port)
    for name in ("nicegui-authenticator.service", "nicegui-authenticator-backend.service"):
        env_file = _unit(name)["EnvironmentFile"]
        assert f"`{env_file}`" in DOC or Path(env_file).name in DOC, f"{name} reads {env_file}: not written"


def test_the_ports_agree_between_units_nginx_and_the_text() -> None:
    site = (DEPLOY / "nginx" / "nicegui-authenticator.conf").read_text()
    upstreams = set(re.findall(r"server 127\.0\.0\.1:(\d+)", site))
    instances = set(re.findall(r"nicegui-authenticator-serve@(\d+)", DOC))
    assert instances and upstreams == instances, (upstreams, instances)
    one_machine = build_parser().parse_args(_exec_start("nicegui-authenticator.service")[1:])
    assert str(one_machine.port) in upstreams, "the one-machine page is not the upstream nginx keeps"
    backend = build_parser().parse_args(_exec_start("nicegui-authenticator-backend.service")[1:])
    serve = build_parser().parse_args(_exec_start("nicegui-authenticator-serve@.service", "8081")[1:])
    assert serve.endpoint.startswith(f"http://{backend.host}:{backend.port}/")
    assert f"http://{backend.host}:{backend.port}/healthz" in DOC


def test_the_one_machine_settings_as_printed_start_serve_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (block,) = [b for b in _shell_blocks() if STORAGE_SECRET_ENV in b]
    _use_environment(monkeypatch, _environment_file(block, {}))
    plan = command.plan_from_args(build_parser().parse_args(_exec_start("nicegui-authenticator.service")[1:]))
    assert plan.production and plan.embedded
    assert plan.settings is not None and plan.settings.delivers_codes


def test_the_example_files_filled_in_start_the_backend_and_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    filled: dict[str, str] = {}
    backend_env = _environment_file((DEPLOY / "env" / "backend.env.example").read_text(), filled)
    serve_env = _environment_file((DEPLOY / "env" / "serve.env.example").read_text(), filled)

    _use_environment(monkeypatch, backend_env)
    ns = build_parser().parse_args(_exec_start("nicegui-authenticator-backend.service")[1:])
    settings = command_line.settings_from_args(ns)
    check_serving(settings, ns.host, ns.workers)
    assert settings.db_path.startswith("postgresql://")
    load_key(settings.secret_key, None, shared=True)  # a database server needs the sealing key
    assert settings.visitor_hop_secret

    _use_environment(monkeypatch, serve_env)
    ns = build_parser().parse_args(_exec_start("nicegui-authenticator-serve@.service", "8081")[1:])
    plan = command.plan_from_args(ns)
    assert plan.production and not plan.embedded
    assert plan.visitor_hop_secret == settings.visitor_hop_secret, "the hop secret is in both files"
