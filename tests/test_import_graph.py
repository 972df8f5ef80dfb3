"""The package's import graph: no cycles anywhere, and imports flow one way (DESIGN.md).

The graph is read from the source, not from ``sys.modules``: every ``import``
and ``from ... import`` in every file of the package, including the ones inside
functions and under ``if TYPE_CHECKING:`` (a lazy import still ties two modules
together, and a type-only cycle still makes both modules one unit to read).
Relative imports are resolved against the importing module's package.

A cycle is reported as the strongly connected components it forms, so the
failure names every module that has to change, not only one edge of the loop.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = "nicegui_authenticator"


def source_modules() -> dict[str, Path]:
    """Every module of the package by its installed dotted name, from pyproject's package-dir."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    modules: dict[str, Path] = {}
    for package, folder in setuptools["package-dir"].items():
        for path in sorted((ROOT / folder).glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            modules[name] = path
    return modules


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imports_of(module: str, path: Path, known: Iterable[str]) -> set[str]:
    """The modules of ours that ``module`` imports, wherever in the file the import is."""
    known = set(known)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(module, path).split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            # ``from pkg import name`` imports the submodule pkg.name when there is one.
            targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in known else origin for a in node.names]
        else:
            continue
        for target in targets:
            # ``import a.b.c`` of ours: the deepest name that is a module of ours.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_reader_sees_relative_lazy_and_type_only_imports() -> None:
    graph = import_graph()
    # A relative import two levels up, and one inside a function.
    assert f"{TOP}.client.driver" in graph[f"{TOP}.ui.components.authenticator"]
    assert f"{TOP}.ui.hosted.server" in graph[f"{TOP}.ui.hosted.cli"]
    # Under ``if TYPE_CHECKING:``.
    assert f"{TOP}.backend.code_message" in graph[f"{TOP}.backend.settings"]
    assert len(graph) > 100


def test_the_cycle_finder_reports_each_loop_as_one_component() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": set()}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["d", "e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_anywhere_in_the_package() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles (strongly connected components):\n" + "\n".join(
        " <-> ".join(component) for component in found
    )


def test_only_the_hosted_page_the_plugin_and_the_facade_import_the_backend() -> None:
    backend = f"{TOP}.backend"
    # TOP: the lazy public re-exports; testing: the pytest plugin serves the backend in-process.
    allowed = (backend, f"{TOP}.ui.hosted", f"{TOP}.testing", TOP)
    offenders = {
        module: sorted(t for t in targets if _within(t, backend))
        for module, targets in import_graph().items()
        if not any(module == a if a == TOP else _within(module, a) for a in allowed)
        and any(_within(t, backend) for t in targets)
    }
    assert offenders == {}


def test_the_state_machine_imports_nothing_of_ours() -> None:
    core = f"{TOP}.state_machine"
    offenders = {
        module: sorted(t for t in targets if not _within(t, core))
        for module, targets in import_graph().items()
        if _within(module, core) and any(not _within(t, core) for t in targets)
    }
    assert offenders == {}


@pytest.mark.parametrize(
    ("layer", "above"),
    [
        ("ui.session", ("ui.components", "ui.hosted")),
        ("ui.components", ("ui.hosted",)),
        ("client", ("ui",)),
        # The checker talks HTTP like any client: never the backend (test above), never the ui.
        ("conformance", ("ui",)),
    ],
)
def test_ui_layers_import_downwards_only(layer: str, above: tuple[str, ...]) -> None:
    """session <- components <- hosted, and client below all of ui."""
    layer, above = f"{TOP}.{layer}", tuple(f"{TOP}.{a}" for a in above)
    offenders = {
        module: sorted(t for t in targets if any(_within(t, a) for a in above))
        for module, targets in import_graph().items()
        if _within(module, layer) and any(_within(t, a) for a in above for t in targets)
    }
    assert offenders == {}
