"""Every package and module of a tree sits in a layer of its tree's import-linter contract (pyproject.toml), so a
new one is checked the day it is written: a module no layer names would be free to import anything."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest

from scripts.import_cycles import root_packages

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
# A module at the root of the UI is the app's own or read by both desks (tests/unit/architecture/test_ui_folders.py says
# which); the layers there only keep the two desks' screens apart and above what they share.
PARTIAL = {"agent_desktop.ui"}
UNLAYERED = {"__init__", "__main__"}  # a package's own file; the command that only calls its cli


def _layers_contracts(pyproject: Path = PYPROJECT) -> list[dict[str, Any]]:
    contracts = tomllib.loads(pyproject.read_text())["tool"]["importlinter"].get("contracts", [])
    return [c for c in contracts if c["type"] == "layers"]


def _tails(layers: list[str]) -> set[str]:
    return {part.strip().strip("()") for layer in layers for part in layer.replace(":", "|").split("|")}


def uncovered(graph: grimp.ImportGraph, contracts: list[dict[str, Any]]) -> list[str]:
    """The children of a contract's container that no layer names."""
    missing = []
    for contract in contracts:
        named = _tails(contract["layers"])
        for container in contract.get("containers", []):
            if container in PARTIAL:
                continue
            for child in sorted(graph.find_children(container)):
                tail = child.rsplit(".", 1)[1]
                if tail not in named and tail not in UNLAYERED:
                    missing.append(child)
    return missing


def test_every_module_of_a_tree_is_in_a_layer() -> None:
    contracts = _layers_contracts()
    graph = grimp.build_graph(*root_packages(), cache_dir=None)
    assert uncovered(graph, contracts) == []
    roots = root_packages()
    if all(root.startswith("agent_desktop") for root in roots):  # the layout by capability
        containers = {c for contract in contracts for c in contract.get("containers", [])}
        assert sorted(set(roots) - containers) == [], "each tree has a layers contract"


def test_a_module_no_layer_names_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("tree/__init__.py", "tree/top.py", "tree/low/__init__.py", "tree/stray.py", "tree/__main__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("tree", cache_dir=None)
    contract = {"type": "layers", "containers": ["tree"], "layers": ["top", "(low) | missing"]}
    assert uncovered(graph, [contract]) == ["tree.stray"]
