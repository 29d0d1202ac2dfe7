"""The simulated contact center agrees with queueing theory.

The engine's simulator runs in virtual time with the set-up Erlang C describes (Poisson
arrivals at a fixed rate, exponential handle time, no abandonment, no after-contact work,
no breaks, N identical agents): the service level it measures lands within a few points of
Erlang C's prediction for the traffic that actually arrived (the measured arrival rate and
handle time). Fixed seed. Over 8 simulated hours, seeds 1–5 and 13–19 measured between 4.8
points below and 3.7 above that prediction (mean −0.2): the noise of one shift is larger than
the 3-point tolerance (the earlier 8-hour version passed on its seed's luck), so the run is
23.5 hours (one "today" window); seed 1 over 23 hours measured +2.3 points.
"""

from __future__ import annotations

import pytest

from agent_desktop.staffing.erlang_c import average_speed_of_answer, service_level

simulator = pytest.importorskip("agent_desktop_mocks.ccaas.simulator.traffic")
simulator_config = pytest.importorskip("agent_desktop_mocks.ccaas.simulator.config")

PER_MINUTE = 4.0
AHT_S = 60.0
AGENTS = 6
HOURS = 23.5
SEED = 1


def test_measured_service_level_matches_erlang_c() -> None:
    config = simulator_config.erlang_c_config("billing", per_minute=PER_MINUTE, aht_s=AHT_S, agents=AGENTS)
    run = simulator.Simulator.virtual(config, seed=SEED)
    run.run_for(HOURS * 3600)
    stats = next(s for s in run.engine.queue_stats("today") if s.queue_id == "billing")

    assert stats.abandoned == 0
    assert stats.answered > 0.9 * PER_MINUTE * 60 * HOURS  # about 5,640 contacts
    assert stats.aht_s == pytest.approx(AHT_S, rel=0.05)  # the handle times drawn are the ones asked for
    assert stats.arrival_rate_per_min == pytest.approx(PER_MINUTE, rel=0.05)

    nominal = 100 * service_level(AGENTS, PER_MINUTE / 60 * AHT_S, AHT_S, stats.service_level_threshold_s)
    assert nominal == pytest.approx(85.4, abs=0.05)
    traffic = stats.arrival_rate_per_min / 60 * stats.aht_s
    predicted = 100 * service_level(AGENTS, traffic, stats.aht_s, stats.service_level_threshold_s)
    assert stats.service_level_pct == pytest.approx(predicted, abs=3.0)
    assert stats.asa_s == pytest.approx(average_speed_of_answer(AGENTS, traffic, stats.aht_s), abs=3.0)
