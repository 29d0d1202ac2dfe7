"""How the engine offers the core's commands without restating them (engine.py): a part of the core seen through the
engine, whose every method runs as one unit of work of the engine's shell.

`engine.contacts.accept(offer_id)` is `ContactLifecycle.accept` run by `Engine._run` (commit, then publish); a type
checker sees the part's own class, so the signatures are the core's. The method is looked up on whichever core
the engine holds when it is called (a failed unit of work rebuilds the core), never on the one it held before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast

from agent_desktop_mocks.ccaas.core import Core

PartT = TypeVar("PartT")


class Engine(Protocol):
    """The engine (engine.py) as its parts see it: the core of the moment, and its unit of work. A protocol, so
    the engine imports this module and not the other way round."""

    _core: Core

    def _run(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...


class _Units:
    """One part of the core, every method of it a unit of work (what `part_of` hands out, typed as the part)."""

    def __init__(self, engine: Engine, pick: Callable[[Core], object]) -> None:
        self._engine = engine
        self._pick = pick

    def __getattr__(self, name: str) -> Callable[..., Any]:
        """The unit that runs the part's `name` (made once: it names the method on the core of the moment)."""
        engine, pick = self._engine, self._pick
        if name.startswith("_") or not callable(getattr(pick(engine._core), name)):
            raise AttributeError(name)

        def unit(*args: Any, **kwargs: Any) -> Any:
            core = engine._core
            return engine._run(core.run, getattr(pick(core), name), *args, **kwargs)

        unit.__name__ = name
        setattr(self, name, unit)  # found without `__getattr__` from now on
        return unit


class part_of(Generic[PartT]):  # noqa: N801 (a declaration, as `property` is: `contacts = part_of(...)`)
    """An engine attribute that is one part of the core, each of its methods run as one unit of work."""

    def __init__(self, pick: Callable[[Core], PartT]) -> None:
        self._pick = pick
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, engine: Engine | None, owner: type | None = None) -> PartT:
        if engine is None:  # looked up on the class
            return cast(PartT, self)
        units = _Units(engine, self._pick)
        engine.__dict__[self._name] = units  # the engine's own from now on (this is not a data descriptor)
        return cast(PartT, units)
