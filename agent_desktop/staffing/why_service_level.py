"""Why a queue misses its service level while Erlang C says its staffing suffices, in words.

Erlang C assumes every agent counted is ready all the window, no caller gives up, arrivals
come at a steady rate and handle time holds. When the measured service level of the last
30 minutes is below target although the agents staffed now are enough by Erlang C, each of
those assumptions is checked against what the floor saw, and the broken ones are named:

- agents not ready: the queue's agents (each for their share of it) spent at least
  AWAY_AGENT_MINUTES agent-minutes of the window Not ready or Missed;
- abandonment: at least ABANDON_SHARE of the contacts that left the queue were abandoned
  (short abandons included: each counts as a miss);
- arrivals up: the last RECENT minutes brought at least MIN_RECENT_ARRIVALS contacts, at
  ARRIVALS_UP times the 30-minute rate or more;
- handle time up: contacts completed in the last RECENT minutes took AHT_UP times the
  30-minute AHT or more on average (at least two of them), or two contacts or more have
  been in hand for over LONG_IN_HAND times the AHT.

None found: with fewer than FEW_CONTACTS contacts one slow answer moves the level a lot,
and that is said; otherwise that no cause was seen. A level from fewer contacts than the
floor's alert minimum is not explained at all: it is not called low yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.vocabulary import AWAY
from agent_desktop.staffing.work_log import KEEP

if TYPE_CHECKING:
    from agent_desktop.staffing.floor import Floor

RECENT = timedelta(minutes=5)
AWAY_AGENT_MINUTES = 5.0
ABANDON_SHARE = 0.05
ARRIVALS_UP = 1.5
MIN_RECENT_ARRIVALS = 3
AHT_UP = 1.25
LONG_IN_HAND = 2.0  # × AHT
FEW_CONTACTS = 10


@dataclass(frozen=True)
class Cause:
    kind: str  # not_ready | abandonment | arrivals | handle_time | few_contacts | unseen
    short: str  # a few words, for the staffing table
    text: str  # the sentence the supervisor reads


def why_service_level_is_low(floor: Floor, queue_id: str) -> list[Cause]:
    """The causes, most telling first; empty unless the level is below target and Erlang C says enough."""
    level = floor.service_level_of(queue_id)
    target, _ = floor.target_of(queue_id)
    stats = floor.last_30m.get(queue_id)
    now = floor.clock_now()
    if level is None or level >= target or stats is None or now is None or not floor.service_level_settled(queue_id):
        return []  # a level from too few contacts is not "low" yet (the queues panel says "few")
    advice = floor.staffing(queue_id)
    if advice is None or advice.shortfall > 0 or floor.warming_up(queue_id):
        return []  # (warming up: Erlang C says nothing yet, so nothing "although" it)
    causes = [
        cause
        for cause in (
            _not_ready(floor, queue_id, now),
            _abandonment(stats.abandoned or 0, stats.answered or 0),
            _arrivals(floor, queue_id, now, stats.arrival_rate_per_min or 0.0),
            _handle_time(floor, queue_id, now, stats.aht_s or 0.0),
        )
        if cause is not None
    ]
    if causes:
        return causes
    left = (stats.answered or 0) + (stats.abandoned or 0)
    if left < FEW_CONTACTS:
        return [
            Cause(
                "few_contacts",
                "few contacts",
                f"only {left} contacts left the queue in 30 min: each slow answer moves the level "
                f"by {100 / max(left, 1):.0f} points",
            )
        ]
    return [
        Cause(
            "unseen",
            "cause unseen",
            "no cause seen: readiness, abandons, arrivals and handle time look as Erlang C assumes",
        )
    ]


def _not_ready(floor: Floor, queue_id: str, now: datetime) -> Cause | None:
    start = now - KEEP
    agent_minutes = 0.0
    reasons: set[str] = set()
    now_away = 0
    for agent in floor.agents_serving(queue_id):
        seconds, why = floor.log.away_time(agent.id, start, now)
        if seconds <= 0:
            continue
        agent_minutes += seconds / 60 * floor.shares(agent.id).get(queue_id, 1.0)
        reasons |= why
        if agent.state in AWAY:
            now_away += 1
    if agent_minutes < AWAY_AGENT_MINUTES:
        return None
    given = f" ({', '.join(sorted(reasons))})" if reasons else ""
    still = f"; {now_away} still not ready" if now_away else ""
    return Cause(
        "not_ready",
        "not ready",
        f"agents not ready: {agent_minutes:.0f} agent-minutes of the last 30{given}{still}",
    )


def _abandonment(abandoned: int, answered: int) -> Cause | None:
    left = abandoned + answered
    if not abandoned or abandoned / left < ABANDON_SHARE:
        return None
    return Cause(
        "abandonment",
        "abandons",
        f"abandonment: {abandoned} of {left} callers hung up before an answer ({100 * abandoned / left:.0f}%), "
        "each a miss",
    )


def _arrivals(floor: Floor, queue_id: str, now: datetime, rate_30m: float) -> Cause | None:
    minutes = RECENT.total_seconds() / 60
    recent = floor.log.arrived(queue_id, now - RECENT)
    if recent < MIN_RECENT_ARRIVALS or recent / minutes < ARRIVALS_UP * rate_30m:
        return None
    return Cause(
        "arrivals",
        "arrivals up",
        f"arrivals up: {recent} in the last {minutes:.0f} min ({recent / minutes:.1f}/min) "
        f"against {rate_30m:.1f}/min over 30 min",
    )


def _handle_time(floor: Floor, queue_id: str, now: datetime, aht_30m: float) -> Cause | None:
    if aht_30m <= 0:
        return None
    recent = floor.log.handle_times(queue_id, now - RECENT)
    minutes = RECENT.total_seconds() / 60
    if len(recent) >= 2 and sum(recent) / len(recent) >= AHT_UP * aht_30m:
        mean = sum(recent) / len(recent)
        return Cause(
            "handle_time",
            "handle time up",
            f"handle time up: {format_duration(round(mean), 'short')} on the {len(recent)} contacts completed in the "
            f"last {minutes:.0f} min against {format_duration(round(aht_30m), 'short')} over 30 min",
        )
    long = [s for s in floor.log.in_hand_for(queue_id, now) if s > LONG_IN_HAND * aht_30m]
    if len(long) >= 2:
        return Cause(
            "handle_time",
            "handle time up",
            f"handle time up: {len(long)} contacts in hand for over "
            f"{format_duration(round(LONG_IN_HAND * aht_30m), 'short')} (the AHT is {format_duration(round(aht_30m), 'short')})",
        )
    return None
