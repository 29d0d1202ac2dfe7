"""A mock's clock a test steps forward instead of waiting: the wall clock plus the seconds stepped so far
(a vendor's search lag, a rate limit's window), so nothing waits for a vendor's timer at its real length."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from agent_desktop_mocks.common.clock import Clock


class SteppedClock(Clock):
    def __init__(self) -> None:
        super().__init__()
        self.stepped = 0.0

    def step(self, seconds: float) -> None:
        self.stepped += seconds

    def now(self) -> datetime:
        return super().now() + timedelta(seconds=self.stepped)

    def monotonic(self) -> float:
        return super().monotonic() + self.stepped

    def time(self) -> float:
        """Epoch seconds on the same steps (what the outbox's due times are in)."""
        return time.time() + self.stepped
