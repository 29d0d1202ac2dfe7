"""The staffing advice of one queue: Erlang C on the last 30 minutes, checked against the floor now.

Erlang C alone misled in two ways (item 10):
- "no traffic yet" while contacts waited: it had no AHT until a contact was completed. Now an AHT
  is assumed until then (the floor's, else DEFAULT_AHT_S, and said so), and the contacts waiting
  count as arrivals of the window: traffic is never 0 while someone waits.
- "2 short" while three agents who take the queue's contacts sat Available: Staffed counts an agent
  who takes several queues' contacts in part in each (agent_desktop/staffing/floor.py), and the 30-minute
  rate can be behind the floor. Agents free now who can take the queue's contacts are counted whole
  here: when they are at least the contacts waiting plus what Erlang C needs, they can answer every
  waiting contact at once and still leave Erlang C's agents idle for the next ones, so the queue is
  not short now whatever the half hour says; the advice says "OK now" and why it differs.
Short is the whole agents between Needed and Staffed as the table shows them (one decimal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.staffing.erlang_c import EPSILON, StaffingAdvice, advise

WINDOW_MIN = 30.0


@dataclass(frozen=True)
class QueueAdvice:
    erlang: StaffingAdvice | None  # None: nothing arrived in the window and nothing waits
    waiting: int
    free: int  # Available now and able to take the queue's contacts, whole agents
    aht_assumed: bool  # no contact of the queue completed in the window: the AHT is assumed

    @property
    def covered_now(self) -> bool:
        """The agents free now answer every waiting contact at once and leave Erlang C's need idle."""
        return self.erlang is not None and self.free >= self.waiting + self.erlang.agents_needed

    @property
    def shortfall(self) -> int:
        """Whole agents to find: Needed − Staffed as shown (0 when the agents free now cover the queue)."""
        if self.erlang is None or self.covered_now:
            return 0
        return max(0, math.ceil(self.erlang.agents_needed - self.erlang.staffed - EPSILON))

    @property
    def spare(self) -> int:
        return 0 if self.erlang is None else self.erlang.spare

    @property
    def free_beyond_erlang(self) -> bool:
        """Erlang C on the half hour says short, the agents free now say not."""
        return self.covered_now and self.erlang is not None and self.erlang.shortfall > 0

    def why(self) -> str | None:
        """In words, when the advice is not what Erlang C on the half hour alone would say."""
        if self.erlang is None:
            return None
        erlang = self.erlang
        if self.free_beyond_erlang:
            return (
                f"OK now: {self.free} Available cover the {self.waiting} waiting and the {erlang.agents_needed} "
                f"Erlang C needs (the half hour counts {_agents(erlang.staffed)} staffed, shared agents in part)"
            )
        if self.shortfall and self.free:
            aht = f"{'~' if self.aht_assumed else ''}{format_duration(round(erlang.aht_s), 'short')}"
            return (
                f"{self.free} Available, but {erlang.arrivals_per_min:.1f}/min × {aht} needs {erlang.agents_needed}; "
                f"its agents' time here counts {_agents(erlang.staffed)} (they also take other queues)"
            )
        return None


def queue_advice(
    arrivals_per_min: float | None,
    aht_s: float | None,
    *,
    assumed_aht_s: float,
    threshold_s: float,
    target_pct: float,
    staffed: float,
    waiting: int,
    free: int,
    max_occupancy: float | None = None,
) -> QueueAdvice:
    rate = max(arrivals_per_min or 0.0, waiting / WINDOW_MIN)  # those waiting arrived in the window at least
    assumed = not aht_s
    if rate <= 0:
        return QueueAdvice(None, waiting, free, assumed)
    staffed = round(staffed, 1)  # as the Staffed column shows it: 0.96 of an agent reads 1, and is 1
    erlang = advise(rate, aht_s or assumed_aht_s, threshold_s, target_pct, staffed, max_occupancy=max_occupancy)
    return QueueAdvice(erlang, waiting, free, assumed)


def _agents(agents: float) -> str:
    rounded = round(agents, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded}"
