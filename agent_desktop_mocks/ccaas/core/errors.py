"""The engine's refusals, answered by the API as 404, 409 (naming the current state) and 422."""

from __future__ import annotations

from typing import Literal


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


class NotHeld(Exception):
    """A command named a contact or an offer the core does not hold in memory, where its commands read (the core
    reads no store mid-command). Only finished contacts and closed offers leave memory and no command acts on those,
    so the shell answers it after the unit of work with the refusal the archived record gets: `NotFound` when there
    is none, else the `Conflict` its state gets (`action`: the transition tables' name of what was asked)."""

    def __init__(self, kind: Literal["contact", "offer"], id_: str, action: str) -> None:
        super().__init__(f"{kind} {id_} is not held in memory")
        self.kind = kind
        self.id = id_
        self.action = action


REFUSALS = (NotFound, Conflict, Invalid)
