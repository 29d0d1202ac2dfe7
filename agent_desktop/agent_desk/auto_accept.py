"""Auto-accept: where the contact center's queue says so for the offer's channel, the desk accepts the
offer by itself after a short countdown the agent sees on the offer card and may stop with a key; a stopped offer
then waits for the agent as any offer does, with its own timeout. No I/O, no terminal: the card asks `countdown`
at each tick and carries out the accept through the controller's own when `due` says so (once per offer).

The countdown starts when the desk first asks about the offer (its first drawing), not at the backend's
`offered_at`: the agent must see the whole of it, whatever the clocks of the two machines say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.domain.models import AutoAcceptRule, Offer


@dataclass(frozen=True)
class AutoAcceptCountdown:
    offer_id: str
    left_s: float  # 0 once due
    total_s: float

    @property
    def text(self) -> str:
        return f"Accepts in {max(0, round(self.left_s + 0.49))} s"


class AutoAccept:
    """One offer's auto-accept at a time (a desk has one offer at a time)."""

    def __init__(self, rule_of: Callable[[Offer], AutoAcceptRule | None], changed: Callable[[], DeskChanges]) -> None:
        """`rule_of`: the queue's rule for the offer's channel, None where the contact center gives none (or the
        backend declares `auto_accept` off); `changed`: the desk's, when the stop key stops applying."""
        self.rule_of, self._changed = rule_of, changed
        self._started: tuple[str, datetime] | None = None  # the offer counted down, and since when
        self._stopped: str | None = None  # the offer whose countdown the agent stopped
        self._accepted: str | None = None  # the offer the countdown accepted (once)

    def running(self, offer: Offer | None) -> bool:
        """The offer is being counted down to its accept (the stop key applies)."""
        return offer is not None and offer.id not in (self._stopped, self._accepted) and self.rule_of(offer) is not None

    def countdown(self, offer: Offer | None, now: datetime) -> AutoAcceptCountdown | None:
        """What the card shows of it now; None when the offer is not auto-accepted (or was stopped)."""
        if offer is None or not self.running(offer):
            return None
        rule = self.rule_of(offer)
        assert rule is not None
        if self._started is None or self._started[0] != offer.id:
            self._started = (offer.id, now)
        elapsed = (now - self._started[1]).total_seconds()
        return AutoAcceptCountdown(offer.id, max(0.0, rule.after_s - elapsed), float(rule.after_s))

    def due(self, offer: Offer | None, now: datetime) -> bool:
        """True once, when the offer's countdown has run out: the caller accepts it now."""
        shown = self.countdown(offer, now)
        if offer is None or shown is None or shown.left_s > 0:
            return False
        self._accepted = offer.id
        self._changed().offer = True
        return True

    def stop(self, offer: Offer | None) -> bool:
        """The agent stopped the countdown: the offer waits for their answer. False if none was running."""
        if not self.running(offer):
            return False
        assert offer is not None
        self._stopped = offer.id
        self._changed().offer = True
        return True
