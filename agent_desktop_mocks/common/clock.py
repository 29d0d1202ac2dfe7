"""Wall clock for the mocks, frozen when settings ask (deterministic screenshots)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, frozen: datetime | None = None) -> None:
        self._frozen = frozen.astimezone(UTC) if frozen else None

    def now(self) -> datetime:
        return self._frozen or datetime.now(UTC)

    def monotonic(self) -> float:
        """The seconds timers run on: the process's monotonic clock (a frozen wall clock does not stop them)."""
        return time.monotonic()


class ManualClock(Clock):
    """Virtual time: `now()` and `monotonic()` move only when `advance()` is called (simulations, tests)."""

    def __init__(self, start: datetime) -> None:
        super().__init__()
        self._start = start.astimezone(UTC)
        self.elapsed = 0.0

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    def advance_to(self, elapsed: float) -> None:
        self.elapsed = max(self.elapsed, elapsed)
