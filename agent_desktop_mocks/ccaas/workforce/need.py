"""The agents each half-hour needs: Erlang C on the forecast, to the queue's service level.

The contact center's own calculation, as a WFM product makes it (the mock may not import the desk's staffing
code, agent_desktop/staffing/erlang_c.py): the textbook form, with the Poisson terms summed in log space so a
large floor neither overflows nor underflows. tests/unit/mocks/test_workforce_need.py checks it against the desk's
Erlang C, an independent implementation (the Erlang B recursion), agent count for agent count.
"""

from __future__ import annotations

import math

from agent_desktop_mocks.ccaas.workforce.forecast import IntervalForecast
from agent_desktop_mocks.ccaas.workforce.history import INTERVAL_S

MOST_AGENTS = 100_000


def waiting_probability(agents: int, erlangs: float) -> float:
    """Erlang C: the chance a contact waits, with `agents` agents offered `erlangs` of work (1 when N ≤ A)."""
    if erlangs <= 0:
        return 0.0
    if agents <= erlangs:
        return 1.0
    log_a = math.log(erlangs)
    logs = [k * log_a - math.lgamma(k + 1) for k in range(agents)]
    logs.append(agents * log_a - math.lgamma(agents + 1) + math.log(agents / (agents - erlangs)))
    top = max(logs)
    weights = [math.exp(value - top) for value in logs]
    return weights[-1] / sum(weights)


def answered_within(agents: int, erlangs: float, aht_s: float, threshold_s: float) -> float:
    """The share of contacts answered within `threshold_s`."""
    if erlangs <= 0:
        return 1.0
    if agents <= erlangs:
        return 0.0
    return 1.0 - waiting_probability(agents, erlangs) * math.exp(-(agents - erlangs) * threshold_s / aht_s)


def agents_for(arrivals: float, aht_s: float, target: float, threshold_s: float) -> int:
    """The fewest agents answering `target` (a share) of a half-hour's `arrivals` within `threshold_s`."""
    erlangs = arrivals * aht_s / INTERVAL_S
    if erlangs <= 0:
        return 0
    agents = math.floor(erlangs) + 1
    while answered_within(agents, erlangs, aht_s, threshold_s) < target:
        agents += 1
        if agents > MOST_AGENTS:
            raise ValueError(f"more than {MOST_AGENTS} agents")
    return agents


def need(forecast: list[IntervalForecast], target_pct: float, threshold_s: float) -> list[int]:
    """Agents needed per interval of a queue's forecast, to its service level (`target_pct` % in `threshold_s`)."""
    return [agents_for(row.arrivals, row.aht_s, target_pct / 100, threshold_s) for row in forecast]
