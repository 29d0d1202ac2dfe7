"""A feature a backend may not serve (flags, evaluations, monitoring): the backend where it says it serves the
feature (a capability) and answers it (the protocol's methods), else a stand-in whose every call refuses in one
sentence (`NotServed`). The desk asks `serves` to decide which keys to offer and takes `resolve`'s port to call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

P = TypeVar("P")


def serves(backend: object, protocol: type, *capabilities: str) -> bool:
    """Whether `backend` says one of `capabilities` (its `capabilities` flags) and answers `protocol` (a
    runtime-checkable Protocol)."""
    said = getattr(backend, "capabilities", None)
    return any(getattr(said, name, False) for name in capabilities) and isinstance(backend, protocol)


def resolve(backend: object, protocol: type, stand_in: Callable[[], P], *capabilities: str) -> P:
    """`backend` as `protocol` where it `serves` it, else `stand_in()`."""
    return cast(P, backend) if serves(backend, protocol, *capabilities) else stand_in()
