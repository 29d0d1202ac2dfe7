"""A queue's finished contacts as the from-scratch figures hold them (stats.py): what each counts (`Finished`),
summed by the minute (`FinishedLog`), and the totals of a day, a minute or a window (`DayTotals`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState


@dataclass
class DayTotals:
    """One queue's counts of finished contacts over a span: a day (those folded out of memory), a minute
    (`FinishedLog`'s sums) or a window being added up."""

    arrived: int = 0
    cohort_abandoned: int = 0  # of those arrived, the ones that abandoned
    answered: int = 0
    within: int = 0
    wait_s: float = 0.0  # entering the queue → answer, summed over `answered`
    abandoned: int = 0
    handled: int = 0
    handle_s: float = 0.0  # answer → completion, summed over `handled`

    def add(self, other: DayTotals) -> None:
        self.arrived += other.arrived
        self.cohort_abandoned += other.cohort_abandoned
        self.answered += other.answered
        self.within += other.within
        self.wait_s += other.wait_s
        self.abandoned += other.abandoned
        self.handled += other.handled
        self.handle_s += other.handle_s


NEVER = float("-inf")


class Finished(NamedTuple):
    """What the figures count of a finished contact, in epoch seconds (NEVER: it did not happen). Held
    instead of the contact: comparing floats is several times faster than reading a model's datetimes."""

    entered: float
    answered: float
    wait_s: float  # entering the queue → answer
    gave_up: bool  # the caller abandoned (counts in the abandonment rate of the window it arrived in)
    abandoned: float  # when they gave up
    completed: float  # when it was completed after an answer
    handle_s: float  # answer → completion

    @classmethod
    def of(cls, contact: Contact) -> Finished:
        answered, completed = contact.answered_at, contact.completed_at
        gave_up = contact.state == ContactState.ABANDONED
        handled = contact.state == ContactState.COMPLETED and completed is not None and answered is not None
        return cls(
            entered=contact.entered_queue_at.timestamp(),
            answered=answered.timestamp() if answered else NEVER,
            wait_s=(answered - contact.entered_queue_at).total_seconds() if answered else 0.0,
            gave_up=gave_up,
            abandoned=contact.ended_at.timestamp() if gave_up and contact.ended_at else NEVER,
            completed=completed.timestamp() if handled and completed else NEVER,
            handle_s=(completed - answered).total_seconds() if handled and completed and answered else 0.0,
        )

    @property
    def last_touched(self) -> float:
        return max(self.entered, self.answered, self.abandoned, self.completed)

    def moments(self) -> list[float]:
        return [at for at in (self.entered, self.answered, self.abandoned, self.completed) if at != NEVER]


def fold_finished(
    finished: Finished, threshold_s: float, totals: Callable[[float], DayTotals | None], sign: int = 1
) -> None:
    """Add (or with sign -1 take away) a finished contact to the totals of the days, or minutes, it
    happened in: `totals(at)` gives the record for that moment, or None to leave that moment out."""
    if (entered := totals(finished.entered)) is not None:
        entered.arrived += sign
        entered.cohort_abandoned += sign * finished.gave_up
    if finished.answered != NEVER and (day := totals(finished.answered)) is not None:
        day.answered += sign
        day.wait_s += sign * finished.wait_s
        day.within += sign * (finished.wait_s <= threshold_s)
    if finished.abandoned != NEVER and (day := totals(finished.abandoned)) is not None:
        day.abandoned += sign
    if finished.completed != NEVER and (day := totals(finished.completed)) is not None:
        day.handled += sign
        day.handle_s += sign * finished.handle_s


class FinishedLog:
    """A queue's finished contacts still held, with the sums of what happened in each minute (arrivals,
    answers, abandons, completions by their own minute): a window adds up whole minutes and looks at
    single contacts only in the minute where it starts. "Within the threshold" is counted by the
    queue's threshold (`set_threshold` counts again when it changes)."""

    def __init__(self) -> None:
        self.contacts: dict[str, Finished] = {}
        self._threshold_s = 0.0
        self._minutes: dict[int, DayTotals] = {}
        self._touching: dict[int, list[Finished]] = {}  # minute → the contacts with a moment in it

    def put(self, contact_id: str, finished: Finished) -> None:
        self.pop(contact_id)
        self.contacts[contact_id] = finished
        self._count(finished, 1)

    def pop(self, contact_id: str) -> Finished | None:
        finished = self.contacts.pop(contact_id, None)
        if finished is not None:
            self._count(finished, -1)
        return finished

    def set_threshold(self, threshold_s: float) -> None:
        if threshold_s != self._threshold_s:
            self._threshold_s = threshold_s
            for sums in self._minutes.values():
                sums.within = 0
            for finished in self.contacts.values():
                if finished.answered != NEVER and finished.wait_s <= threshold_s:
                    self._minutes[int(finished.answered // 60)].within += 1

    def window(self, start: float) -> DayTotals:
        """What happened from `start` on."""
        cut = int(start // 60)
        total = DayTotals()
        for minute, sums in self._minutes.items():
            if minute > cut:
                total.add(sums)
        for finished in self._touching.get(cut, ()):
            fold_finished(finished, self._threshold_s, lambda at: total if start <= at < (cut + 1) * 60 else None)
        return total

    def _count(self, finished: Finished, sign: int) -> None:
        fold_finished(finished, self._threshold_s, self._minute, sign)
        for minute in {int(at // 60) for at in finished.moments()}:
            touching = self._touching.setdefault(minute, [])
            if sign > 0:
                touching.append(finished)
            else:
                touching.remove(finished)
                if not touching:
                    del self._touching[minute]
                    del self._minutes[minute]

    def _minute(self, at: float) -> DayTotals:
        return self._minutes.setdefault(int(at // 60), DayTotals())
