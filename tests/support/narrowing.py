"""What a test expects a value to be, said where it reads the value: `present(x)` for a value that may be None,
`of_kind(x, Kind)` for one of a union. Each fails the test with what it got, and gives the type checker the
narrowed type (one line, where an attribute of the value is asserted on)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def present(value: T | None) -> T:
    """`value`, which the test expects to be there."""
    assert value is not None, "expected a value, got None"
    return value


def of_kind(value: object, kind: type[T]) -> T:
    """`value`, which the test expects to be a `kind`."""
    assert isinstance(value, kind), f"expected a {kind.__name__}, got {value!r}"
    return value
