"""A kind of outbox write is the one place that says what in it is free text (agent_desktop/outbox/kinds/): no other
module of the desk writes those paths, and the outbox's machinery (the store, the sender, the masking, the registry,
the kinds' base) names none of the fields in them. So a new kind is its own file and its line in the registry, and
which of its text is masked is said once, where its model is."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import agent_desktop
from agent_desktop.outbox.kinds import KINDS

PACKAGE = Path(agent_desktop.__file__).parent
MACHINERY = [
    "outbox/store.py",
    "outbox/sender.py",
    "outbox/pci_fields.py",
    "outbox/payloads.py",
    "outbox/sqlite_thread.py",
    "outbox/kinds/__init__.py",
    "outbox/kinds/kind.py",
]
# Each path of free text, and the file of the kind that says it.
PATHS = {
    path: Path(inspect.getfile(type(kind))).resolve()
    for kind in KINDS.values()
    for path in (*kind.free_text, *kind.conversations)
}
# The fields named in those paths (a kind's name is not one: the registry names each kind, as it must).
FIELDS = {step for path in PATHS for step in path} - {"*"} - set(KINDS)


def _tree(module: Path) -> ast.AST:
    return ast.parse(module.read_text(encoding="utf-8"))


def _texts_in(tree: ast.AST) -> set[str]:
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _paths_in(tree: ast.AST) -> set[tuple[str, ...]]:
    """Tuples of strings written in `tree` (as a path into a payload is)."""
    return {
        tuple(element.value for element in node.elts)  # type: ignore[attr-defined]
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple)
        and node.elts
        and all(isinstance(element, ast.Constant) and isinstance(element.value, str) for element in node.elts)
    }


def test_the_kinds_say_what_is_free_text() -> None:
    assert len(PATHS) >= 8, PATHS  # the walk below has something to look for
    assert {"text", "body", "notes", "subject", "comments", "transcript"} <= FIELDS


def test_no_module_but_its_kind_writes_where_free_text_is() -> None:
    found = sorted(
        (str(module.relative_to(PACKAGE)), path)
        for module in PACKAGE.rglob("*.py")
        for path in _paths_in(_tree(module)) & set(PATHS)
        if module.resolve() != PATHS[path]
    )
    assert found == []


def test_the_outbox_machinery_names_no_field_of_a_kind() -> None:
    found = {
        name: sorted(_texts_in(_tree(PACKAGE / name)) & FIELDS)
        for name in MACHINERY
        if _texts_in(_tree(PACKAGE / name)) & FIELDS
    }
    assert found == {}
