"""One story per queue: the staffing advice read together with the live service level (item 8).

The queues panel shows the level measured over the last 30 minutes; the staffing panel shows what Erlang C
forecasts for the load of the same 30 minutes with the agents staffed now. Side by side they used to
contradict each other with no word of which to believe ("91 % OK" beside "2 short"; "Below" beside "OK,
6 spare"; every queue "short" a minute after start). Here the advice says what it is based on whenever the
two differ, and gives the reason in a sentence (the panel under the table):

- warming up: the window holds less than floor.WARM_UP_MINUTES of data (a contact center's first minutes: the rate
  is the arrivals over the time it has been open, the AHT that of the first, short, contacts); no advice, but what
  is known ("warming up: 2.8/min so far") and when the advice comes (`ready_in_min`: the panel under the table
  says why, in one line for every such queue), unless contacts wait and nobody is staffed for them (that is short
  on any data: "forecast: N short").
- both agree (short and below target, enough and on target): the advice alone ("2 short", "OK, 1 spare").
- the level holds though Erlang C says short: "forecast 2 short" beside the level that holds, and why (the
  level was met with these agents; at this load the model says it may not last).
- the level is below though Erlang C says enough: "SL low: <first cause>" (why_service_level.py), never "OK".
- too few contacts for the level to mean anything: the advice is Erlang C's, labelled a forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.staffing.why_service_level import Cause

if TYPE_CHECKING:
    from agent_desktop.staffing.floor import Floor


@dataclass(frozen=True)
class QueueStory:
    kind: str  # no_contacts | warming_up | short | holds_though_short | forecast_short | low | ok_now | ok
    words: str  # the Advice cell
    style: str
    why: str | None = None  # the sentence under the table, where the live level and the forecast differ
    ready_in_min: int = 0  # warming up: minutes until the advice


def _agents(agents: float) -> str:
    rounded = round(agents, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded}"


def queue_story(floor: Floor, queue_id: str, causes: list[Cause]) -> QueueStory:
    checked = floor.advice(queue_id)
    if checked is None or checked.erlang is None:
        return QueueStory("no_contacts", "no contacts in 30 min", "dim")
    if floor.warming_up(queue_id) and not (checked.waiting and round(checked.erlang.staffed, 1) < 1):
        return QueueStory(
            "warming_up",
            f"warming up: {checked.erlang.arrivals_per_min:.1f}/min so far",
            "dim",
            ready_in_min=max(1, floor.warm_up_left_min(queue_id)),
        )
    erlang = checked.erlang
    level = floor.service_level_of(queue_id)
    target, threshold = floor.target_of(queue_id)
    settled = level is not None and floor.service_level_settled(queue_id)
    met = settled and level is not None and level >= target
    below = settled and level is not None and level < target
    short = checked.shortfall
    if short > 0:
        if met:
            aht = f"{'~' if checked.aht_assumed else ''}{format_duration(round(erlang.aht_s), 'short')}"
            return QueueStory(
                "holds_though_short",
                f"{level:.0f}% holds; forecast {short} short",
                "bold yellow",
                f"{level:.0f}% in {threshold} s held with these agents, but Erlang C on the same 30 min "
                f"({erlang.arrivals_per_min:.1f}/min × {aht}) needs {erlang.agents_needed} for {target:.0f}%, "
                f"{_agents(erlang.staffed)} staffed: it may not hold",
            )
        if below:
            return QueueStory("short", f"{short} short", "bold red", checked.why())
        return QueueStory("forecast_short", f"forecast: {short} short", "bold red", checked.why())
    if below:
        if causes:
            return QueueStory("low", f"SL low: {causes[0].short}", "bold yellow")
        return QueueStory(
            "low",
            f"SL low, {checked.free} free now",
            "bold yellow",
            f"{level:.0f}% < {target:.0f}% over the last 30 min; with {checked.free} Available now for "
            f"{checked.waiting} waiting, Erlang C finds the staffing enough at this load: the level should recover",
        )
    if checked.free_beyond_erlang:
        return QueueStory("ok_now", f"OK now, {checked.free} Available", "yellow", checked.why())
    if erlang.spare:
        return QueueStory("ok", f"OK, {erlang.spare} spare", "green")
    return QueueStory("ok", "OK, exactly", "green")
