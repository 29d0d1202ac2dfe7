"""One shape for "what changed": each model a screen draws from (the agent's desk, its expert directory, the
supervisor's floor and the contacts it monitors) hands over what changed since it was last asked, as a record
that is true when anything did. The screen draws only that, so a burst of events costs one redraw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar, runtime_checkable

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Notice:
    """A toast for whoever works the desk (a refusal in words, an action done), handed over with the changes."""

    text: str
    title: str
    severity: Severity = "information"
    timeout: float | None = None


@runtime_checkable
class Changes(Protocol):
    """A record of what changed since the last one was taken: named fields, true when anything changed."""

    def __bool__(self) -> bool: ...


ChangesT_co = TypeVar("ChangesT_co", bound=Changes, covariant=True)


class TakesChanges(Protocol[ChangesT_co]):
    """A model a screen draws from: `take_changes()` hands over what changed, and starts afresh."""

    def take_changes(self) -> ChangesT_co: ...
