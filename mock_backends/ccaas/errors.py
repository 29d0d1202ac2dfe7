"""The engine's refusals, answered by the API as 404, 409 (naming the current state) and 422."""

from __future__ import annotations


class NotFound(Exception):
    def __init__(self, kind: str, id_: str) -> None:
        super().__init__(f"{kind} {id_} not found")


class Conflict(Exception):
    """An illegal transition; `state` is the current state that forbids it."""

    def __init__(self, detail: str, state: str) -> None:
        super().__init__(detail)
        self.state = state


class Invalid(Exception):
    """A request field with a value the engine refuses (answered like a validation error)."""

    def __init__(self, field: str, message: str, value: object) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


REFUSALS = (NotFound, Conflict, Invalid)
