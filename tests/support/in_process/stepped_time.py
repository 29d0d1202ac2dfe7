"""Time for the mock contact center as a test owns it: nothing moves until `advance()`.

The server runs two loops on the real clock (mock_backends/ccaas/clock_loop.py ticks the engine's
timers, wiring.py the conversation timeline's). Built on a `ManualClock`, neither loop runs;
`advance(seconds)` stops at each due timer of either, in order, so everything fires at its own
instant (a contact completed by the ACW timeout is stamped with the deadline, not the step's end).
"""

from __future__ import annotations

from mock_backends.ccaas.conversations.timeline import Timeline
from mock_backends.ccaas.engine import Engine
from mock_backends.common.clock import ManualClock


class SteppedTime:
    def __init__(self, clock: ManualClock, engine: Engine, timeline: Timeline) -> None:
        self.clock = clock
        self._engine = engine
        self._timeline = timeline

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass, firing every timer that falls due on the way, in the order they fall due."""
        until = self.clock.elapsed + seconds
        while (due := self._next_due()) is not None and due <= until:
            self.clock.advance_to(due)
            self.fire_due()
            if self._next_due() == due:  # a timer that does not leave when fired must not stall time
                break
        self.clock.advance_to(until)
        self.fire_due()

    def fire_due(self) -> None:
        """What one turn of the server's clock loops does at the current instant."""
        self._engine.tick()
        self._timeline.tick()

    def _next_due(self) -> float | None:
        dues = [due for due in (self._engine.next_due(), self._timeline.next_due()) if due is not None]
        return min(dues, default=None)
