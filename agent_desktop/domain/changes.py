"""One shape for "what changed": each model a screen draws from (the agent's desk, its expert directory, the
supervisor's floor and the contacts it monitors) hands over what changed since it was last asked, as a record
that is true when anything did. The screen draws only that, so a burst of events costs one redraw."""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable


@runtime_checkable
class Changes(Protocol):
    """A record of what changed since the last one was taken: named fields, true when anything changed."""

    def __bool__(self) -> bool: ...


ChangesT_co = TypeVar("ChangesT_co", bound=Changes, covariant=True)


class TakesChanges(Protocol[ChangesT_co]):
    """A model a screen draws from: `take_changes()` hands over what changed, and starts afresh."""

    def take_changes(self) -> ChangesT_co: ...
