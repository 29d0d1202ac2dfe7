"""Erlang C (M/M/N queue): probability of waiting, service level, ASA and agents needed.

The probability of waiting is computed from the Erlang B recursion
B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), then C = N·B / (N − A·(1 − B)):
every step stays between 0 and 1, so hundreds or thousands of agents neither
overflow nor lose precision (A^N / N! is never formed).
Formulas as in shared/PRODUCT.md: SL(t) = 1 − C·e^(−(N−A)·t/AHT), ASA = C·AHT/(N−A).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

MAX_AGENTS = 100_000
EPSILON = 1e-9  # shares of agents add up with rounding errors: 2.9999999 agents are 3


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of `agents` servers offered `traffic` erlangs (no queue)."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic must not be negative")
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def probability_of_waiting(agents: int, traffic: float) -> float:
    """Erlang C: the chance an arriving contact waits. 1.0 when the agents cannot keep up (N ≤ A)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = erlang_b(agents, traffic)
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def service_level(agents: int, traffic: float, aht_s: float, threshold_s: float) -> float:
    """Share (0..1) of contacts answered within `threshold_s`."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    p_wait = probability_of_waiting(agents, traffic)
    return max(0.0, 1.0 - p_wait * math.exp(-(agents - traffic) * threshold_s / aht_s))


def average_speed_of_answer(agents: int, traffic: float, aht_s: float) -> float:
    """Mean wait in seconds over all contacts; infinite when the agents cannot keep up."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return probability_of_waiting(agents, traffic) * aht_s / (agents - traffic)


def agents_needed(
    traffic: float, aht_s: float, threshold_s: float, target: float, *, max_occupancy: float | None = None
) -> int:
    """The smallest N with SL(threshold) ≥ target (a share, 0..1) and, if given, A/N ≤ max_occupancy."""
    if not 0 < target < 1:
        raise ValueError("target must be a share between 0 and 1 (exclusive)")
    if traffic <= 0:
        return 0
    agents = max(1, math.floor(traffic) + 1)
    if max_occupancy is not None:
        agents = max(agents, math.ceil(traffic / max_occupancy))
    while service_level(agents, traffic, aht_s, threshold_s) < target:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError(f"more than {MAX_AGENTS} agents needed")
    return agents


def _between(agents: float, figure: Callable[[int], float]) -> float:
    """A figure for a fractional number of agents (a shared agent counts in part): linear between
    the whole numbers around it. Infinite below (N ≤ A) stays infinite: part of an agent may not keep up."""
    low = math.floor(agents)
    below = figure(low)
    if agents == low or math.isinf(below):
        return below
    return below + (figure(low + 1) - below) * (agents - low)


@dataclass(frozen=True)
class StaffingAdvice:
    """Erlang C's view of one queue: what it needs, and what the agents staffed now would give.

    `staffed` may be fractional: an agent who serves several queues counts in each for a share.
    """

    arrivals_per_min: float
    aht_s: float
    traffic: float  # erlangs
    agents_needed: int
    p_wait: float  # at agents_needed
    asa_s: float  # at agents_needed
    service_level: float  # at agents_needed, a share
    staffed: float
    staffed_p_wait: float
    staffed_asa_s: float
    staffed_service_level: float

    @property
    def shortfall(self) -> int:
        """Whole agents missing (0.4 of an agent missing is one more person to find)."""
        return max(0, math.ceil(self.agents_needed - self.staffed - EPSILON))

    @property
    def spare(self) -> int:
        """Whole agents beyond what is needed."""
        return max(0, math.floor(self.staffed - self.agents_needed + EPSILON))


def advise(
    arrivals_per_min: float,
    aht_s: float,
    threshold_s: float,
    target_pct: float,
    staffed: float,
    *,
    max_occupancy: float | None = None,
) -> StaffingAdvice:
    traffic = arrivals_per_min / 60.0 * aht_s
    needed = agents_needed(traffic, aht_s, threshold_s, target_pct / 100.0, max_occupancy=max_occupancy)
    return StaffingAdvice(
        arrivals_per_min=arrivals_per_min,
        aht_s=aht_s,
        traffic=traffic,
        agents_needed=needed,
        p_wait=probability_of_waiting(needed, traffic),
        asa_s=average_speed_of_answer(needed, traffic, aht_s),
        service_level=service_level(needed, traffic, aht_s, threshold_s),
        staffed=staffed,
        staffed_p_wait=_between(staffed, lambda n: probability_of_waiting(n, traffic)),
        staffed_asa_s=_between(staffed, lambda n: average_speed_of_answer(n, traffic, aht_s)),
        staffed_service_level=_between(staffed, lambda n: service_level(n, traffic, aht_s, threshold_s)),
    )
