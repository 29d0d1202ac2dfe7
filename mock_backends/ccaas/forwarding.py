"""How the engine declares the core's commands and reads one line each (engine.py): `command` runs one as a unit
of work of the engine's shell, `query` reads as it is; both name it on whichever core the engine holds when called."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar

from mock_backends.ccaas.core import Core

if TYPE_CHECKING:
    from mock_backends.ccaas.engine import Engine

P = ParamSpec("P")
T = TypeVar("T")


class _Forward(Generic[P, T]):
    """An engine attribute that is one of the core's: a read as it is, a command run as one unit of work.

    `pick` names it on whichever core the engine holds when it is called (a failed unit of work rebuilds the core).
    """

    def __init__(self, pick: Callable[[Core], Callable[P, T]], *, unit: bool) -> None:
        self._pick = pick
        self._unit = unit

    def __get__(self, engine: Engine | None, owner: type | None = None) -> Callable[P, T]:
        if engine is None:  # looked up on the class
            return self  # type: ignore[return-value]
        pick = self._pick
        if self._unit:
            return lambda *args, **kwargs: engine._run(engine._core.run, pick(engine._core), *args, **kwargs)
        return lambda *args, **kwargs: pick(engine._core)(*args, **kwargs)


def query(pick: Callable[[Core], Callable[P, T]]) -> _Forward[P, T]:
    return _Forward(pick, unit=False)


def command(pick: Callable[[Core], Callable[P, T]]) -> _Forward[P, T]:
    return _Forward(pick, unit=True)
