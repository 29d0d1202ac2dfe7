"""When the offer in front runs out, on the desk's own clock.

The contact center stamps an offer with its own clock (`offered_at`, `expires_at`); the desk's machine may keep
another time. Ten minutes ahead, `expires_at - now` said "0 s left" for the whole of a live offer; ten minutes
behind, the countdown bar ran past its end. At its first drawing the desk takes what is left as the contact
center says it, if that is a time the offer can have left (more than nothing, no more than its whole timeout),
else the whole timeout (the clocks disagree); from then on it counts down on its own clock. An offer delivered
after its end on a desk whose clock agrees shows its whole timeout until the contact center's timeout arrives
(within a second or so): the clocks cannot tell that apart from a skewed one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from agent_desktop.domain.models import Offer


class OfferDeadline:
    """The end of the offer in front, on the desk's clock (one offer at a time, as a desk has)."""

    def __init__(self) -> None:
        self._ends: tuple[str, datetime] | None = None  # the offer, and when it ends on the desk's clock

    def seen(self, offer: Offer, now: datetime) -> None:
        """The offer arrived on the desk: its end on the desk's clock, read now (`now`: the clock as it is, not as
        last drawn: a screen's clock a tick old, or many minutes old after a sleep, would read as a skew)."""
        if self._ends is None or self._ends[0] != offer.id:
            said = (offer.expires_at - now).total_seconds()
            whole = _whole(offer)
            self._ends = (offer.id, now + timedelta(seconds=said if 0 < said <= whole else whole))

    def left_s(self, offer: Offer, now: datetime) -> float:
        """What is left at `now`, never more than the offer's whole timeout nor less than nothing."""
        self.seen(offer, now)
        assert self._ends is not None
        return min(_whole(offer), max(0.0, (self._ends[1] - now).total_seconds()))


def _whole(offer: Offer) -> float:
    return max(1.0, (offer.expires_at - offer.offered_at).total_seconds())
