"""Where the desk's code reaches past Textual's public API, found by reading it (`ast`), for
tests/ui/architecture/test_textual_compat.py: a private Textual module or name imported, a private method of a Textual class
overridden (or a private class attribute shadowed), and a private attribute of a Textual object read or set.

Which object an attribute belongs to is known for `self`, `cls` and `super()` in a class built on Textual's (its
Textual bases' private names, inherited ones included, are read from Textual's source). On any other object it is
taken to be Textual's when Textual's source defines a private name of that spelling and the project's never does
(`screen._compositor`, `app._driver`); a project object's own private attribute is never reported. A class's bases
are looked up when they come from Textual or the desktop (RESOLVED).
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import textual

TEXTUAL_SOURCE = Path(textual.__file__).resolve().parent
# A base class is looked up only when imported from these (importing the tests' and the benchmarks' helpers would
# bring in the mock servers, schemathesis and the rest: seconds of a test run for classes built on no Textual class).
RESOLVED = ("textual", "agent_desktop")


@dataclass(frozen=True)
class Reach:
    path: str  # relative to the project's root
    line: int
    name: str
    how: str  # "imports", "overrides", "uses"

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.how} {self.name}"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_privates(tree: ast.AST) -> set[str]:
    """The private names a source gives its objects: class attributes and methods, and `self.<name> = ...`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                names.update(t.id for t in _targets(item) if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls")
        ):
            names.add(node.attr)
    return {name for name in names if _private(name)}


def _targets(item: ast.stmt) -> list[ast.expr]:
    if isinstance(item, ast.Assign):
        return item.targets
    return [item.target] if isinstance(item, ast.AnnAssign) else []


@lru_cache(1)
def _textual_index() -> tuple[frozenset[str], dict[tuple[str, str], frozenset[str]]]:
    """Every private name Textual's source gives its objects, and those of each of its classes by (module, name)."""
    every: set[str] = set()
    by_class: dict[tuple[str, str], frozenset[str]] = {}
    for path in TEXTUAL_SOURCE.rglob("*.py"):
        module = ".".join(path.relative_to(TEXTUAL_SOURCE.parent).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text())
        every |= defined_privates(tree)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                by_class[(module, node.name)] = frozenset(defined_privates(node))
    return frozenset(every), by_class


def textual_privates() -> frozenset[str]:
    """Every private name Textual's source gives its objects."""
    return _textual_index()[0]


@lru_cache(None)
def _class_privates(cls: type) -> frozenset[str]:
    """The private names of a class's Textual ancestors (itself included, if it is Textual's)."""
    by_class = _textual_index()[1]
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] == "textual":
            names.update(name for name in vars(klass) if _private(name))
            names |= by_class.get((klass.__module__, klass.__qualname__), frozenset())
    return frozenset(names)


def _imports(tree: ast.AST) -> dict[str, tuple[str, str | None]]:
    """Each name a source imports (anywhere in it) → (module, attribute or None for the module itself)."""
    found: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0],
                    None,
                )
    return found


def _resolve(expr: ast.expr, imports: dict[str, tuple[str, str | None]]) -> object | None:
    """The object a base class expression names, importing what it needs; None when it cannot tell."""
    if isinstance(expr, ast.Subscript):  # App[None]
        return _resolve(expr.value, imports)
    if isinstance(expr, ast.Attribute):
        owner = _resolve(expr.value, imports)
        return getattr(owner, expr.attr, None) if owner is not None else None
    if not isinstance(expr, ast.Name) or expr.id not in imports:
        return None
    module_name, attribute = imports[expr.id]
    if module_name.split(".")[0] not in RESOLVED:
        return None
    try:
        module = importlib.import_module(module_name)
        if attribute is None:
            return module
        if hasattr(module, attribute):
            found: object = getattr(module, attribute)
            return found
        return importlib.import_module(f"{module_name}.{attribute}")
    except Exception:  # noqa: BLE001 - a module this process cannot import tells nothing
        return None


def reaches(path: str, source: str | ast.Module, project_privates: Iterable[str]) -> list[Reach]:
    """Where `source` (the file at `path`, or its parsed tree) reaches past Textual's public API."""
    tree = ast.parse(source, path) if isinstance(source, str) else source
    own = set(project_privates)
    imports = _imports(tree)
    found: list[Reach] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "textual":
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(Reach(path, node.lineno, node.module, "imports"))
            found += [Reach(path, node.lineno, alias.name, "imports") for alias in node.names if _private(alias.name)]
    classes: dict[str, frozenset[str]] = {}  # the source's own classes → their Textual ancestors' private names

    def bases_privates(cls: ast.ClassDef) -> frozenset[str]:
        names: set[str] = set()
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in classes:
                names |= classes[base.id]
            elif isinstance(resolved := _resolve(base, imports), type):
                names |= _class_privates(resolved)
        return frozenset(names)

    def visit(node: ast.AST, privates: frozenset[str] | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                mine = classes[child.name] = bases_privates(child)
                for item in child.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in mine:
                        found.append(Reach(path, item.lineno, item.name, "overrides"))
                    found.extend(
                        Reach(path, item.lineno, t.id, "overrides")
                        for t in _targets(item)
                        if isinstance(t, ast.Name) and t.id in mine
                    )
                visit(child, mine or None)
                continue
            if isinstance(child, ast.Attribute) and _private(child.attr):
                owner = child.value
                on_self = (isinstance(owner, ast.Name) and owner.id in ("self", "cls")) or (
                    isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super"
                )
                if on_self and privates is not None:
                    if child.attr in privates:
                        found.append(Reach(path, child.lineno, child.attr, "uses"))
                elif child.attr in textual_privates() and child.attr not in own:
                    found.append(Reach(path, child.lineno, child.attr, "uses"))
            visit(child, privates)

    visit(tree, None)
    return found
