"""No import cycle between packages, nor between the modules of one package (scripts/import_cycles.py, on grimp),
counting the imports made for the type checker only: import-linter's layers say which way an arrow may point, not that
no loop closes inside a layer. A part that needs a few things of its owner is given a protocol of them, declared beside
it, instead of naming the owner."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

from scripts.import_cycles import package_cycles, root_packages


def _cycles(*roots: str, typed_too: bool = False) -> list[frozenset[str]]:
    graph = grimp.build_graph(*roots, cache_dir=None, exclude_type_checking_imports=not typed_too)
    return [frozenset(members) for members, _ in package_cycles(graph, list(roots))]


def test_no_package_and_no_module_imports_round_a_loop_not_even_for_the_type_checker() -> None:
    """Counting `if TYPE_CHECKING:` imports too: a loop the type checker sees is a dependency all the same."""
    assert [sorted(cycle) for cycle in _cycles(*root_packages(), typed_too=True)] == []


def test_a_loop_between_two_packages_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "loopy"
    for name, body in {
        "__init__.py": "",
        "a/__init__.py": "",
        "a/one.py": "from loopy.b import two\n",
        "b/__init__.py": "",
        "b/two.py": "",
        "b/three.py": "import loopy.a.one\n",
        "c.py": "import loopy.a.one\n",
    }.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(body)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles("loopy") == [frozenset({"loopy.a", "loopy.b"})]


def test_an_import_for_the_type_checker_only_closes_no_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "typed"
    for name, body in {
        "__init__.py": "",
        "desk.py": "from typed.feature import state\n",
        "feature/__init__.py": "",
        "feature/state.py": "",
        "feature/use_case.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from typed import desk\n",
    }.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(body)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles("typed") == []
    assert _cycles("typed", typed_too=True) == [frozenset({"typed.desk", "typed.feature"})]
    (package / "feature/use_case.py").write_text("from typed import desk\n")
    assert _cycles("typed") == [frozenset({"typed.desk", "typed.feature"})]
