"""A polling console's budget in requests per minute: each poll's requests are counted (an httpx request
hook), and the next poll waits until they fit in the budget, never less than the console's own period. A
429 from the vendor doubles the wait (up to a minute) until a poll goes through unrefused."""

from __future__ import annotations

import httpx

MOST_WAIT_S = 60.0


class PollBudget:
    def __init__(self, poll_s: float, per_minute: float) -> None:
        self.poll_s, self.per_minute = poll_s, per_minute
        self.made = 0  # requests sent since this console started
        self._at_poll_start = 0
        self._backoff_s = 0.0

    async def count(self, request: httpx.Request) -> None:
        self.made += 1

    def poll_started(self) -> None:
        self._at_poll_start = self.made

    @property
    def this_poll(self) -> int:
        return self.made - self._at_poll_start

    def wait_s(self, rate_limited: bool = False) -> float:
        """How long until the next poll: its period, or longer so the last poll's requests keep within the budget."""
        spread = self.this_poll * 60.0 / self.per_minute
        if rate_limited:
            self._backoff_s = min(max(self._backoff_s * 2, self.poll_s * 2), MOST_WAIT_S)
        else:
            self._backoff_s = 0.0
        return min(max(self.poll_s, spread, self._backoff_s), MOST_WAIT_S) if spread <= MOST_WAIT_S else spread
