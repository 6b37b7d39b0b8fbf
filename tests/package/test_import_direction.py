"""Imports inside replicate_ext point one way: no module imports, even lazily, one that imports it.

Every `from .x import ...` counts, at the top of a module, inside a function or
under `TYPE_CHECKING`: a reader can then go through the package top-down, from
`_errors` and `_flow` to `_client` and `_default`.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "replicate_ext"


def sibling_imports(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = {path.stem: path for path in package.glob("_*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                target = node.module.split(".")[0]
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_two_modules_import_each_other() -> None:
    graph = sibling_imports()
    assert len(graph) > 20  # the walk found the package
    assert cycles(graph) == []


def test_the_local_servers_modules_read_top_down_too() -> None:
    graph = sibling_imports(PACKAGE / "testing")
    assert len(graph) > 20
    assert cycles(graph) == []


def test_nothing_below_the_client_imports_it() -> None:
    graph = sibling_imports()
    above = {"__init__", "_client", "_default", "_proxies"}
    importers = {name for name, targets in graph.items() if targets & {"_client", "_default"}}
    assert importers <= above


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
