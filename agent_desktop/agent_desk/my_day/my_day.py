"""The agent's own figures for today ("my day"), worked out of the day the contact center keeps
(`AgentDay`): contacts handled by channel, average handle and wrap-up time, answer rate, missed offers, time in
each state, and today's contacts with their dispositions. Textless: the panel
(agent_desktop/ui/agent/my_day/my_day_view.py) only lays these out.

What each figure means, where the issue is silent:
- handled: contacts the agent was connected to today and finished talking or writing on (ended: wrapping up or
  completed), by channel; those still in hand (a chat or SMS under way) are counted apart, "in hand";
- handle time: connected to ended (talk and hold), over the contacts ended; wrap-up: ended to completed, over
  those completed (a contact still in hand counts in neither);
- answer rate: offers accepted out of those the agent decided or let lapse (accepted, rejected, missed); an offer
  the caller gave up on first is not the agent's to answer. None before any offer;
- time in each state from the state changes, the last one lasting until the contact center's "now"; logged in is
  every state but offline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.domain.changes import Notice
from agent_desktop.domain.models import Contact, Evaluation, EvaluationEvent
from agent_desktop.domain.vocabulary import AgentState, Channel

if TYPE_CHECKING:  # the day's models load with My day (agent_desktop/domain/__init__.py)
    from agent_desktop.domain.workforce.agent_day import AgentDay, OfferCounts, StateSpan

ZERO = timedelta(0)


def answered(evaluation: Evaluation) -> bool:
    """The agent acknowledged it, or disputed it instead: nothing is left for them to do."""
    return evaluation.acknowledged_at is not None or evaluation.disputed_at is not None


@dataclass(frozen=True)
class DayContact:
    """One of today's contacts, as the panel's table lists it."""

    id: str
    channel: Channel
    at: datetime  # connected (or queued, for one never answered)
    address: str
    queue: str
    handle: timedelta | None
    disposition: str | None  # None: not completed yet


@dataclass(frozen=True)
class DayFigures:
    since: datetime
    as_of: datetime
    handled: dict[Channel, int]  # every channel, in the desk's order
    average_handle: timedelta | None
    average_wrap_up: timedelta | None
    offers: OfferCounts
    answer_rate: float | None  # 0..1
    in_state: dict[AgentState, timedelta]  # the states taken today, in the vocabulary's order
    logged_in: timedelta
    contacts: tuple[DayContact, ...]  # newest first
    in_hand: int = 0  # connected and not ended yet: not handled yet

    @property
    def handled_total(self) -> int:
        return sum(self.handled.values())


def time_in_states(spans: Sequence[StateSpan], since: datetime, until: datetime) -> dict[AgentState, timedelta]:
    """Time in each state between `since` and `until`: each span lasts until the next begins (the last until
    `until`), clipped to the interval; the first counts from `since` (the state the day began in), and spans out
    of order count from the latest start so far, so none overlap and nothing is left out."""
    if not spans:
        return {}
    totals: dict[AgentState, timedelta] = {}
    start = since
    for n, (span, following) in enumerate(zip(spans, [*spans[1:], None], strict=True)):
        begin = min(since if n == 0 else max(span.since, start), until)
        end = min(max(following.since, begin) if following is not None else until, until)
        totals[span.state] = totals.get(span.state, ZERO) + (end - begin)
        start = end
    return {state: totals[state] for state in AgentState if state in totals}


def _mean(durations: Iterable[timedelta]) -> timedelta | None:
    values = list(durations)
    return sum(values, ZERO) / len(values) if values else None


def _handle(contact: Contact) -> timedelta | None:
    if contact.answered_at is None or contact.ended_at is None:
        return None
    return max(ZERO, contact.ended_at - contact.answered_at)


def _wrap_up(contact: Contact) -> timedelta | None:
    if contact.ended_at is None or contact.completed_at is None:
        return None
    return max(ZERO, contact.completed_at - contact.ended_at)


def answer_rate(offers: OfferCounts) -> float | None:
    decided = offers.accepted + offers.rejected + offers.missed
    return offers.accepted / decided if decided else None


def figures(day: AgentDay) -> DayFigures:
    in_state = time_in_states(day.states, day.since, day.as_of)
    handled = dict.fromkeys(Channel, 0)
    in_hand = 0
    for contact in day.contacts:
        if contact.ended_at is None and contact.completed_at is None:
            in_hand += 1
        else:
            handled[contact.channel] += 1
    contacts = tuple(
        DayContact(
            id=c.id,
            channel=c.channel,
            at=c.answered_at or c.entered_queue_at,
            address=c.from_address,
            queue=c.queue_name,
            handle=_handle(c),
            disposition=c.disposition if c.completed_at is not None else None,
        )
        for c in sorted(day.contacts, key=lambda c: (c.answered_at or c.entered_queue_at, c.id), reverse=True)
    )
    return DayFigures(
        since=day.since,
        as_of=day.as_of,
        handled=handled,
        in_hand=in_hand,
        average_handle=_mean(h for c in day.contacts if (h := _handle(c)) is not None),
        average_wrap_up=_mean(w for c in day.contacts if (w := _wrap_up(c)) is not None),
        offers=day.offers,
        answer_rate=answer_rate(day.offers),
        in_state=in_state,
        logged_in=sum((t for state, t in in_state.items() if state != AgentState.OFFLINE), ZERO),
        contacts=contacts,
    )


def duration_words(value: timedelta | None) -> str:
    """1:05:09, 4:07 or 0:12; "—" for none."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


# --- quality evaluations released to the agent: a notice when one arrives, read and acknowledged here ---


def score_words(evaluation: Evaluation) -> str:
    return f"{evaluation.score:g}" + (" (auto-fail)" if evaluation.auto_failed else "")


class MyEvaluations:
    def __init__(self, changes: Callable[[], DeskChanges]) -> None:
        self._changes = changes
        self.by_id: dict[str, Evaluation] = {}

    def apply(self, event: EvaluationEvent) -> None:
        fresh = event.evaluation.id not in self.by_id
        self.take([event.evaluation])
        if event.type == "evaluation_released" and fresh:
            e = event.evaluation
            who = e.evaluator_name or "A supervisor"
            self._changes().notices.append(
                Notice(
                    f"{who} evaluated {e.contact_id} ({e.form_name or e.form_id}): {score_words(e)}. "
                    "d: my day, to read and acknowledge it.",
                    "Evaluation",
                )
            )

    def take(self, evaluations: list[Evaluation]) -> None:
        for evaluation in evaluations:
            known = self.by_id.get(evaluation.id)
            if known is not None and answered(known) and not answered(evaluation):
                continue  # an older copy: acknowledged (or disputed) stays so
            self.by_id[evaluation.id] = evaluation

    def newest_first(self) -> list[Evaluation]:
        return sorted(self.by_id.values(), key=lambda e: (e.released_at, e.id), reverse=True)

    @property
    def unacknowledged(self) -> int:
        return sum(not answered(e) for e in self.by_id.values())
