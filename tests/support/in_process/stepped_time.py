"""Time for the mock contact center as a test owns it: nothing moves until `advance()`.

The server runs one scheduler (agent_desktop_mocks/common/scheduler.py) on the real clock: the engine's timers and
the conversations' timeline are parts of it (the server adds housekeeping and the simulator when it starts).
Built on a `ManualClock`, it never runs; `advance(seconds)` stops at each instant a part is due, in order, so
everything fires at its own instant (a contact completed by the ACW timeout is stamped with the deadline, not
the step's end), and ticks the engine there (its statistics' pace and samples, as the server's housekeeping).
"""

from __future__ import annotations

from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.scheduler import Scheduler


class SteppedTime:
    def __init__(self, clock: ManualClock, engine: Engine, scheduler: Scheduler) -> None:
        self.clock = clock
        self._engine = engine
        self._scheduler = scheduler

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass, firing every timer that falls due on the way, in the order they fall due."""
        until = self.clock.elapsed + seconds
        while (due := self._scheduler.next_due()) is not None and due <= until:
            self.clock.advance_to(due)
            self.fire_due()
            if self._scheduler.next_due() == due:  # a timer that does not leave when fired must not stall time
                break
        self.clock.advance_to(until)
        self.fire_due()

    def fire_due(self) -> None:
        """What the server's scheduler does at the current instant, and a turn of its housekeeping."""
        self._engine.tick()
        self._scheduler.fire_due()
