"""The contact center's clock as the desk reads it, so that what the desk times against the contact center's stamps
(time in state, time on a contact, hold, SLA clocks, a conversation's idle time) is right on a machine whose own
clock is minutes off.

Every HTTP answer carries `Date`, when the server made it, to the second (RFC 9110, section 6.6.1). An answer to a
request received at monotonic time `received` was made before then, and its `Date` names that moment or one before it
(the second it was in, or an older one: a server may write a `Date` it keeps for a second, as uvicorn does, or a busy
server an older one): so the contact center's time less the monotonic clock is at least `date - received`. The
greatest of the last `KEPT` such bounds is the reading; an answer whose `Date` is in its own second it is at most
`DATE_SPAN_S` beyond, and the reading is taken midway. A stale `Date` only lowers a bound, which the greatest ignores;
a step forward of the contact center's clock is followed from its next answer, a step back after `KEPT`. The reading
is on the monotonic clock: a step of the machine's own wall clock (NTP, a hand) does not move it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol, runtime_checkable

AGREES_S = 2.0  # within this, the machine's clock is taken as the contact center's (the reading is coarser)
DATE_SPAN_S = 2.0  # a fresh `Date` names its whole second, and may be a second old
KEPT = 8  # answers whose bounds are kept


def _machine_now() -> datetime:
    return datetime.now(UTC)


class CenterClock:
    def __init__(
        self, local: Callable[[], datetime] = _machine_now, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._local = local
        self.monotonic = monotonic
        self._lows: deque[float] = deque(maxlen=KEPT)  # (contact center's time - monotonic) is at least each

    def heard(self, date: datetime, received: float) -> None:
        """An answer dated `date` (its `Date`, whole seconds) received at `received` (`monotonic`)."""
        self._lows.append(date.timestamp() - received)

    def heard_header(self, date: str | None, received: float) -> None:
        """`heard` for an answer's `Date` header as written (none, or one that is no date, tells nothing)."""
        if not date:
            return
        try:
            when = parsedate_to_datetime(date)
        except (TypeError, ValueError):
            return
        if when.tzinfo is not None:  # (HTTP dates are GMT; one without a zone is not one)
            self.heard(when, received)

    def now(self) -> datetime:
        """The contact center's time now, as well as its answers tell it."""
        local = self._local()
        if not self._lows:
            return local
        center = max(self._lows) + DATE_SPAN_S / 2 + self.monotonic()
        return local if abs(center - local.timestamp()) < AGREES_S else datetime.fromtimestamp(center, UTC)


@runtime_checkable
class ReadsCenterClock(Protocol):
    """A backend that reads its server's clock from its answers (the HTTP adapters)."""

    center_clock: CenterClock


def center_clock_of(backend: object) -> CenterClock:
    """The backend's reading of its server's clock; the machine's clock for one that has none (in-process, a
    recorded scene: the same clock as the desk's)."""
    return backend.center_clock if isinstance(backend, ReadsCenterClock) else CenterClock()
