"""The agent desktop. Its packages load some parts on demand one way (`on_demand`; docs/architecture.md, "What loads
on demand"): a table of names and modules, read by the package's module `__getattr__` (PEP 562)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module


def on_demand(package: str, table: Mapping[str, str]) -> Callable[[str], object]:
    """A package's module `__getattr__`: a name of `table` read from the package imports its module (`table[name]`,
    under the package) the first time, and Python keeps the module for the next."""

    def attribute(name: str) -> object:
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{table[name]}"), name)

    return attribute
