"""The one pacer between a desk's change feed and a screen's redraw, for both desks' screens and their panels.

A model announces every change where it is made (`ChangeFeed`, agent_desktop/domain/changes.py); the pacer turns any
number of announcements into one draw: at the owner's next turn (its message queue), no sooner than `every_s` after
the last draw (a floor of 1,000 agents changes hundreds of times a second), and, where asked, up to `lookups_s` later
while a lookup the change is best drawn with is under way (an offer waits a moment for its caller's record, so both
are in one frame: drawn first, the offer's frame delayed the lookup's answer). `settle` draws what was announced now,
in a key's turn, so that what the key decided is on screen before the next key is read.

It needs of its owner one thing, a turn of its own (`call_later`: Textual's `MessagePump.call_later`), so it
imports no Textual and a test can drive it on a bare loop. Dolphie paces each tab by one rule the same way; the models
here are Textual's `Signal` and toolong's `data_bind`: the model publishes, the view subscribes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from agent_desktop.domain.changes import ChangeFeed


class Turns(Protocol):
    """What a pacer needs of its owner: `callback` run in the owner's next turn (after what is queued before it)."""

    def call_later(self, callback: Callable[[], None]) -> object: ...


class Cancellable(Protocol):
    def cancel(self) -> None: ...


def loop_later(delay: float, callback: Callable[[], None]) -> Cancellable:
    """`callback` after `delay` seconds on the running loop (the pacer's own timers)."""
    return asyncio.get_running_loop().call_later(delay, callback)


class RedrawPacer:
    def __init__(
        self,
        owner: Turns,
        draw: Callable[[], None],
        *,
        feeds: Iterable[ChangeFeed] = (),
        every_s: float = 0.0,
        lookups_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        later: Callable[[float, Callable[[], None]], Cancellable] = loop_later,
    ) -> None:
        """`draw`: brings the screen (or panel) up to date with what changed; `feeds`: the models it draws, subscribed
        to now and until `stop`; `every_s`: the least time between two draws; `lookups_s`: how long a draw may wait
        for the lookups a change is drawn with (0: never waits); `clock` and `later`: time as a knob for tests
        (monotonic seconds, and a timer on the loop)."""
        self._owner, self._draw, self._clock, self._later = owner, draw, clock, later
        self._feeds = tuple(feeds)
        self._every_s, self._lookups_s = every_s, lookups_s
        self._asked = False  # something announced is not drawn yet
        self._turn_asked = False  # the owner's next turn will look
        self._timer: Cancellable | None = None
        self._timer_waits_lookups = False
        self._last = float("-inf")
        self._holding_since: float | None = None
        self._gave_up: set[asyncio.Future[object]] = set()  # lookups waited for long enough
        for feed in self._feeds:
            feed.subscribe(self.ask)

    def stop(self) -> None:
        """No more draws: the owner is going away."""
        for feed in self._feeds:
            feed.unsubscribe(self.ask)
        self._cancel_timer()
        self._asked = False

    @property
    def pending(self) -> bool:
        """Something announced is not drawn yet."""
        return self._asked

    def ask(self) -> None:
        """Something changed: drawn once, at the owner's next turn or when the pace allows."""
        self._asked = True
        if self._timer is not None and not self._timer_waits_lookups:
            return  # a draw is due at the interval's end already; a lookup's answer may end a wait sooner
        self._next_turn()

    def settle(self) -> None:
        """Draw what was announced now, whatever the interval (a key's turn), unless a lookup is still waited for."""
        if self._asked and self._lookup_wait() <= 0:
            self._draw_now()

    def _next_turn(self) -> None:
        if not self._turn_asked:
            self._turn_asked = True
            self._owner.call_later(self._due)

    def _due(self) -> None:
        self._turn_asked = False
        self._cancel_timer()
        if not self._asked:
            return
        if (wait := self._lookup_wait()) > 0:
            self._start_timer(wait, lookups=True)
        elif (wait := self._last + self._every_s - self._clock()) > 0:
            self._start_timer(wait, lookups=False)
        else:
            self._draw_now()

    def _draw_now(self) -> None:
        self._cancel_timer()
        self._asked = False
        self._last = self._clock()
        self._draw()

    def _lookup_wait(self) -> float:
        """How much longer a draw waits for the lookups its changes are drawn with (0: not at all)."""
        if self._lookups_s <= 0:
            return 0.0
        awaited = {lookup for feed in self._feeds for lookup in feed.awaited}
        self._gave_up &= awaited
        waiting = awaited - self._gave_up
        if not waiting:
            self._holding_since = None
            return 0.0
        now = self._clock()
        if self._holding_since is None:
            self._holding_since = now
        left = self._holding_since + self._lookups_s - now
        if left <= 0:  # a slow lookup: what changed is drawn without it ("Looking up…"), its answer in a later draw
            self._gave_up |= waiting
            self._holding_since = None
            return 0.0
        return left

    def _start_timer(self, wait: float, *, lookups: bool) -> None:
        self._timer_waits_lookups = lookups
        self._timer = self._later(wait, self._timed)

    def _timed(self) -> None:
        self._timer = None
        self._next_turn()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
