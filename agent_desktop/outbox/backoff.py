"""How long the outbox waits before sending a failed write again: capped exponential backoff, jittered."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """`base_s` the first wait, doubled by each failure up to `cap_s` (the `[outbox_retry]` configuration)."""

    base_s: float = 0.5
    cap_s: float = 30.0

    def wait_s(self, attempts: int, draw: Callable[[], float] = random.random) -> float:
        """How long to wait before attempt `attempts + 1` (full jitter, never under 10 % of the step)."""
        step = min(self.cap_s, self.base_s * 2.0**attempts)  # (a float power: int ** int is typed Any)
        return step * (0.1 + 0.9 * draw())


class LookAgain(Exception):
    """A writer's answer for a write on its way that is not done yet (a follow-up's message not delivered yet): the
    sender looks at it again after the backoff's wait. Not a refusal, and no backend's error."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why
