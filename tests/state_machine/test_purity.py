"""state_machine is pure: pydantic, Babel's CLDR data and side-effect-free standard library only.

Checked twice: statically over the source (every import, anywhere in a file,
against an allow-list; no calls that read clocks, files or the console), and
dynamically by importing the package in a fresh interpreter and looking at
what got loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nicegui_authenticator.state_machine as sm
import pytest

SOURCE = Path(sm.__file__).resolve().parent
# Subpackages too: the language catalogs under catalogs/ are held to the same rules.
FILES = sorted(SOURCE.rglob("*.py"))

# Babel is CLDR as data (plural rules, script and direction of a language); it
# reads its own bundled files and nothing else.
THIRD_PARTY = {"pydantic", "pydantic_core", "typing_extensions", "babel"}
# Standard-library modules that compute without touching the world.
PURE_STDLIB = {
    "__future__",
    "abc",
    "base64",  # decoding the shipped common-password list (common_passwords.py)
    "collections",
    "collections.abc",
    "copy",
    "dataclasses",
    "datetime",  # parsing and wording instants (passkey_info.py); now() and today() stay forbidden below
    "enum",
    "functools",
    "itertools",
    "json",
    "lzma",  # decompressing it: computation on bytes already in memory
    "math",
    "operator",
    "re",
    "string",
    "textwrap",
    "types",
    "typing",
    "unicodedata",
    "urllib.parse",
}
# Names that would read a clock, randomness, files, the console or the environment.
FORBIDDEN_CALLS = {"open", "print", "input", "eval", "exec", "compile", "__import__", "breakpoint", "getattr"}
FORBIDDEN_ATTRIBUTES = {
    "now",
    "utcnow",
    "today",
    "time",
    "monotonic",
    "perf_counter",
    "random",
    "urandom",
    "getenv",
    "environ",
}


def _imports(tree: ast.AST) -> list[tuple[str, int]]:
    """(module, relative level) of every import statement in the tree, nested ones included."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_the_package_has_the_expected_modules() -> None:
    assert {p.stem for p in FILES} >= {
        "machine",
        "protocol",
        "classify",
        "present",
        "forms",
        "rules",
        "messages",
    }


IDS = [str(p.relative_to(SOURCE)) for p in FILES]


def _relative_target(path: Path, module: str, level: int) -> Path:
    """Where ``from {'.' * level}{module} import ...`` in ``path`` points."""
    base = path.parent
    for _ in range(level - 1):
        base = base.parent
    return base.joinpath(*module.split(".")) if module else base


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_imports_are_pydantic_or_pure_standard_library(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for module, level in _imports(tree):
        if level:
            # Relative imports stay inside state_machine (no "..client").
            target = _relative_target(path, module, level)
            assert target.is_relative_to(SOURCE), (
                f"{path.name} reaches outside the package: {'.' * level}{module}"
            )
            assert target.with_suffix(".py").exists() or (target / "__init__.py").exists(), (
                f"{path.name} imports unknown sibling {module}"
            )
            continue
        top = module.split(".")[0]
        if top in THIRD_PARTY:
            continue
        assert top in sys.stdlib_module_names, f"{path.name} imports non-stdlib {module}"
        assert module in PURE_STDLIB, f"{path.name} imports {module}, which is not on the pure allow-list"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_no_calls_that_touch_the_world(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                assert func.id not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {func.id}()"
            elif isinstance(func, ast.Attribute):
                assert func.attr not in FORBIDDEN_ATTRIBUTES, (
                    f"{path.name}:{node.lineno} calls .{func.attr}()"
                )
        if isinstance(node, ast.Attribute):
            assert node.attr != "environ", f"{path.name}:{node.lineno} reads the environment"
        if isinstance(node, ast.Global):
            raise AssertionError(f"{path.name}:{node.lineno} mutates module state")


def test_importing_the_package_loads_no_io_framework() -> None:
    """A fresh interpreter: what does ``import nicegui_authenticator.state_machine`` load?"""
    code = "import sys; import nicegui_authenticator.state_machine; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = set(result.stdout.split())
    timed = {
        line.rsplit("|", 1)[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "nicegui_authenticator.state_machine.machine" in loaded
    assert "nicegui_authenticator.state_machine.machine" in timed
    for forbidden in (
        "asyncio",
        "httpx",
        "httpcore",
        "nicegui",
        "starlette",
        "fastapi",
        "socketio",
        "uvicorn",
        "anyio",
    ):
        assert forbidden not in loaded and forbidden not in timed, (
            f"importing state_machine loads {forbidden}"
        )
    # The common-password list is loaded on the first check, not by the import.
    assert "nicegui_authenticator.state_machine.common_passwords_data" not in loaded
    ours = {m for m in loaded if m.startswith("nicegui_authenticator.")}
    assert all(m.startswith("nicegui_authenticator.state_machine") for m in ours), ours


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """The static checks flag an impure module (so a pass above means something)."""
    impure = tmp_path / "impure.py"
    impure.write_text(
        "import time\nfrom datetime import datetime\nfrom ..client import transport\n"
        "def f():\n    import random\n    return datetime.now(), random.random(), open('x')\n",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="time"):
        test_imports_are_pydantic_or_pure_standard_library(impure)
    with pytest.raises(AssertionError, match=r"now|open"):
        test_no_calls_that_touch_the_world(impure)
    tree = ast.parse(impure.read_text(encoding="utf-8"))
    assert ("random", 0) in _imports(tree)  # nested imports are seen too
    assert ("client", 2) in _imports(tree)
    # Relative imports resolve from the importing file's own package, subpackages included.
    assert _relative_target(SOURCE / "catalogs" / "__init__.py", "messages", 2) == SOURCE / "messages"
    assert not _relative_target(SOURCE / "catalogs" / "de.py", "client", 3).is_relative_to(SOURCE)
