"""The estimated wait announced to each caller against the wait the simulator then measured.

Virtual time, the Erlang C set-up (Poisson arrivals, exponential handle time, six agents, no
abandonment) at 75 % occupancy, 4 simulated hours, fixed seed. The method (engine.py): 0 when an
agent is free and nobody is ahead, else (ahead + 1) × recent AHT ÷ agents serving. Seeds 1 and 2
measured a mean announced wait of 24.9 s against 27.0 s waited, and 9.6 s against 9.4 s.
"""

from __future__ import annotations

import statistics

import pytest

from agent_desktop_mocks.ccaas.simulator import config as simulator_config
from agent_desktop_mocks.ccaas.simulator import traffic as simulator
from tests.support.narrowing import present


def test_announced_waits_match_the_waits_measured() -> None:
    config = simulator_config.erlang_c_config("billing", per_minute=4.5, aht_s=60.0, agents=6)
    run = simulator.Simulator.virtual(config, seed=1)
    run.run_for(4 * 3600)
    answered = [c for c in run.contacts() if c.answered_at is not None]
    assert len(answered) > 900
    assert all(c.ewt_s is not None for c in answered)
    waited = {c.id: (present(c.answered_at) - c.entered_queue_at).total_seconds() for c in answered}
    ewt = {c.id: present(c.ewt_s) for c in answered}

    told_none = [waited[c.id] for c in answered if ewt[c.id] == 0]
    told_some = [c for c in answered if ewt[c.id] > 0]
    assert told_none
    assert told_some
    assert max(told_none) == 0.0  # "no wait" was true: an agent was free
    announced = statistics.mean(ewt[c.id] for c in told_some)
    measured = statistics.mean(waited[c.id] for c in told_some)
    assert announced == pytest.approx(measured, rel=0.15)
    # longer announcements meant longer waits: the upper half of announcements waited longer on average
    told_some.sort(key=lambda c: ewt[c.id])
    half = len(told_some) // 2
    low = statistics.mean(waited[c.id] for c in told_some[:half])
    high = statistics.mean(waited[c.id] for c in told_some[half:])
    assert high > 1.5 * low
