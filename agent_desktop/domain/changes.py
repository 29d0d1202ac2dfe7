"""One shape for "what changed": each model a screen draws from (the agent's desk, its expert directory, the
supervisor's floor and the contacts it monitors) hands over what changed since it was last asked, as a record
that is true when anything did. The screen draws only that, so a burst of events costs one redraw.

A desk says that it changed through its `ChangeFeed`, where the change is made (as a Textual widget publishes on a
`Signal`, textual/signal.py, without the terminal): whoever draws it subscribes (a screen's `RedrawPacer`,
agent_desktop/ui/shared/redraw_pacer.py), and nobody has to ask for a redraw by hand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
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


class ChangeFeed:
    """A model's announcements that it changed, for its subscribers (the screen's pacer, a use case's follow-up
    work). Announcing is cheap and may happen many times a turn: the subscriber coalesces. A change may also name a
    lookup whose answer belongs with it on screen (an offer and its caller's record): `drawn_with`."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[], None]] = []
        self._awaited: set[asyncio.Future[object]] = set()

    def subscribe(self, subscriber: Callable[[], None]) -> None:
        if subscriber not in self._subscribers:
            self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber: Callable[[], None]) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def announce(self) -> None:
        """The model changed: each subscriber is told, now."""
        for subscriber in list(self._subscribers):
            subscriber()

    def drawn_with(self, lookup: asyncio.Future[object]) -> None:
        """The change just announced is best drawn with `lookup`'s answer: a subscriber may wait for it (how long is
        the screen's to say, not the model's). Its end, however it ends, is announced."""
        if not lookup.done():
            self._awaited.add(lookup)
            lookup.add_done_callback(self._answered)

    def _answered(self, lookup: asyncio.Future[object]) -> None:
        self._awaited.discard(lookup)
        self.announce()

    @property
    def awaited(self) -> frozenset[asyncio.Future[object]]:
        """The lookups still under way that a change announced is best drawn with."""
        return frozenset(self._awaited)
