"""When a wrap-up's time box ends, on the desk's own clock (offer_deadline.py does the same for an offer).

The contact center stamps a contact in after-contact work with its own clock (`ended_at`, `acw_deadline`); the desk's
machine may keep another time. Ten minutes ahead, `acw_deadline - now` said "0:00" for the whole of a live wrap-up;
ten minutes behind, "11:00" for a one-minute time box. At a wrap-up's first sight the desk takes the deadline as the
contact center says it, if that leaves a time the wrap-up can have left (more than nothing, no more than its whole
box: `acw_deadline - ended_at`), else it takes the clocks to disagree by `ended_at - now` (the wrap-up began as it
arrived) and keeps that difference for the contact: an extension moves the deadline, not the difference. A wrap-up
first seen long after it began on a desk whose clock disagrees (a restart mid-wrap-up) shows its whole box until the
contact center closes it: the clocks cannot tell that apart from one just begun.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from agent_desktop.domain.models import Contact

KEPT = 50  # contacts whose difference is remembered (a desk holds a few at a time; the oldest let go first)


class WrapUpDeadlines:
    """Per contact in after-contact work, how far the contact center's clock is from the desk's."""

    def __init__(self) -> None:
        self._differences: dict[str, timedelta] = {}

    def center_now(self, contact: Contact, now: datetime) -> datetime:
        """`now` on the desk's clock as the contact center's clock reads it, for `contact`'s time box: what its
        `acw_deadline` is compared with."""
        deadline, began = contact.acw_deadline, contact.ended_at
        if deadline is None:
            return now
        difference = self._differences.get(contact.id)
        if difference is None:
            said = (deadline - now).total_seconds()
            whole = (deadline - began).total_seconds() if began is not None else 0.0
            difference = timedelta(0) if began is None or 0 < said <= whole else began - now
            self._differences[contact.id] = difference
            while len(self._differences) > KEPT:
                self._differences.pop(next(iter(self._differences)))
        return now + difference

    def left_s(self, contact: Contact, now: datetime) -> float | None:
        """What is left of `contact`'s time box at `now` (the desk's clock), None where it has none."""
        if contact.acw_deadline is None:
            return None
        return (contact.acw_deadline - self.center_now(contact, now)).total_seconds()
