"""Import cycles between packages: for every package, its children (sub-packages and modules) that import
each other round a loop. import-linter checks layers and independence but cannot list cycles.

Imports made for the type checker only (`if TYPE_CHECKING:`) are arrows too: they do not order loading, but a part
that names its owner depends on it all the same. A part that needs a few things of its owner is given a protocol of
them instead (as the desks' use cases see their controller and their desk).

    python -m scripts.import_cycles            # the roots of [tool.importlinter] in pyproject.toml

Each cycle is printed as its members and one import per arrow; the exit status is 1 when there is one.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def root_packages(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    config = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]
    roots = config.get("root_packages") or [config["root_package"]]
    return [root for root in roots if root != "tests"]


def strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of more than one node (or a node importing itself), each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in nodes:
        if node not in index:
            visit(node)
    return sorted(found)


def package_cycles(graph: grimp.ImportGraph, roots: list[str]) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """Every cycle among the children of one package, with an import that makes each arrow."""
    cycles = []
    packages = sorted(m for m in graph.modules if graph.find_children(m)) + [
        r for r in roots if not graph.find_children(r)
    ]
    for package in packages:
        children = sorted(graph.find_children(package))
        if len(children) < 2:
            continue
        edges: dict[str, set[str]] = {}
        for a in children:
            for b in children:
                if a != b and graph.direct_import_exists(importer=a, imported=b, as_packages=True):
                    edges.setdefault(a, set()).add(b)
        for component in strongly_connected(children, edges):
            arrows = []
            for a in component:
                for b in sorted(edges.get(a, set()) & set(component)):
                    arrows.append(_example(graph, a, b))
            cycles.append((component, arrows))
    return cycles


def _example(graph: grimp.ImportGraph, a: str, b: str) -> tuple[str, str]:
    for importer in sorted({a} | graph.find_descendants(a)):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported == b or imported.startswith(b + "."):
                return importer, imported
    return a, b


def main() -> int:
    roots = root_packages()
    graph = grimp.build_graph(*roots, cache_dir=None, exclude_type_checking_imports=False)
    cycles = package_cycles(graph, roots)
    for members, arrows in cycles:
        print("cycle: " + " ⇄ ".join(members))
        for importer, imported in arrows:
            print(f"    {importer} -> {imported}")
    if not cycles:
        print(f"no import cycle between the packages of {', '.join(roots)}")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
