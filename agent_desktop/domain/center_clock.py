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

A `Date` more than `MOST_SKEW_S` (a day) from the machine's clock is no reading: it is ignored, and said once in the
log. One answer dated 2100 set the desk's clock for the next eight answers, one dated 1970 as the first set it back, and
one dated 9999 crashed the desk as it drew (year 10000 is no `datetime`). A day is the most a machine's clock can
plausibly be off and still be used: its clock kept in local time rather than UTC (a dual-boot machine) is at most 14 h
off, drift minutes; a machine off by years (a dead clock battery) fails every TLS handshake anyway. Within the day the
reading is as above: one answer still moves it, by at most the day, until `KEPT` answers have replaced it.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol, runtime_checkable

AGREES_S = 2.0  # within this, the machine's clock is taken as the contact center's (the reading is coarser)
DATE_SPAN_S = 2.0  # a fresh `Date` names its whole second, and may be a second old
KEPT = 8  # answers whose bounds are kept
MOST_SKEW_S = 24 * 3600.0  # a `Date` further than this from the machine's clock is no reading (module docstring)

log = logging.getLogger(__name__)


def _machine_now() -> datetime:
    return datetime.now(UTC)


class CenterClock:
    def __init__(
        self, local: Callable[[], datetime] = _machine_now, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._local = local
        self.monotonic = monotonic
        self._lows: deque[float] = deque(maxlen=KEPT)  # (contact center's time - monotonic) is at least each
        self._said_implausible = False

    def heard(self, date: datetime, received: float) -> None:
        """An answer dated `date` (its `Date`, whole seconds) received at `received` (`monotonic`); ignored when
        that is more than `MOST_SKEW_S` from the machine's clock."""
        low = date.timestamp() - received
        off = low + self.monotonic() - self._local().timestamp()  # the contact center ahead of the machine by this
        if abs(off) <= MOST_SKEW_S:
            self._lows.append(low)
        elif not self._said_implausible:  # once: a server that always answers so would fill the log
            self._said_implausible = True
            log.warning(
                "an answer dated %s is %.0f h from this machine's clock: a date that far off is ignored",
                date,
                off / 3600,
            )

    def heard_header(self, date: str | None, received: float) -> None:
        """`heard` for an answer's `Date` header as written (none, or one that is no date, tells nothing)."""
        if not date:
            return
        try:
            when = parsedate_to_datetime(date)
        except (TypeError, ValueError, OverflowError):  # (a year no C long holds overflows)
            return
        if when.tzinfo is not None:  # (HTTP dates are GMT; one without a zone is not one)
            self.heard(when, received)

    def now(self) -> datetime:
        """The contact center's time now, as well as its answers tell it."""
        local = self._local()
        if not self._lows:
            return local
        center = max(self._lows) + DATE_SPAN_S / 2 + self.monotonic()
        if abs(center - local.timestamp()) < AGREES_S:
            return local
        try:
            return datetime.fromtimestamp(center, UTC)
        except (OverflowError, ValueError, OSError):  # past year 9999: only on a machine whose own clock is near it
            return local


@runtime_checkable
class ReadsCenterClock(Protocol):
    """A backend that reads its server's clock from its answers (the HTTP adapters)."""

    center_clock: CenterClock


def center_clock_of(backend: object) -> CenterClock:
    """The backend's reading of its server's clock; the machine's clock for one that has none (in-process, a
    recorded scene: the same clock as the desk's)."""
    return backend.center_clock if isinstance(backend, ReadsCenterClock) else CenterClock()
