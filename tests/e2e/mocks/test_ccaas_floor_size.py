"""A contact center of any size (`--agents`, `--queues`): what it seeds, and that the simulator works it live.

The live test serves a real CCaaS over loopback with the simulator on (real time, sped up) and reads
what a supervisor would: every queue staffed and answering, the team signed in.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.tables import floor_plan
from agent_desktop_mocks.ccaas.tables import seed as demo
from agent_desktop_mocks.ccaas.tables.contact_subjects import subjects_for
from agent_desktop_mocks.common.runner import serve_in_thread

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_the_default_floor_is_the_demo_s_own() -> None:
    size = floor_plan.FloorSize()
    assert size.is_demo()
    assert floor_plan.queues(size.queues) == demo.demo_queues()
    assert floor_plan.simulated_agents(size, demo.demo_queues(), 42, NOW) == demo.simulated_agents(42, NOW)


def test_a_floor_of_a_thousand_agents_and_a_hundred_queues_is_staffed_everywhere() -> None:
    size = floor_plan.FloorSize(agents=1000, queues=100)
    queues = floor_plan.queues(size.queues)
    team = floor_plan.simulated_agents(size, queues, 42, NOW)
    assert len(queues) == 100
    assert len({q.id for q in queues}) == 100
    assert len({q.name for q in queues}) == 100
    assert [q.id for q in queues[:3]] == [q.id for q in demo.demo_queues()]
    assert len(team) == 999
    assert len({a.id for a in team}) == 999
    assert "agent-001" not in {a.id for a in team}  # the demo agent is seeded beside the team
    serving = Counter(q.id for q in queues for a in team if set(q.skills) <= set(a.skills))
    assert min(serving[q.id] for q in queues) >= 8  # nobody's queue is left unstaffed
    assert all(1 <= level <= 5 for a in team for level in a.proficiency.values())
    rates = floor_plan.arrivals_per_minute(queues, team, minutes_per_contact=1.2)
    # each agent's minute is given once, across the queues they serve
    assert sum(rates.values()) == pytest.approx(floor_plan.OCCUPANCY * 999 / 1.2, rel=0.01)


def test_past_a_hundred_queues_the_names_come_round_again_numbered() -> None:
    queues = floor_plan.queues(230)
    assert len({q.id for q in queues}) == 230
    assert queues[103].name.endswith(" 2")
    assert queues[203].name.endswith(" 3")


def test_a_generated_queue_s_callers_ask_about_its_line_of_business() -> None:
    assert subjects_for("billing_north") == subjects_for("billing")
    assert "I want to cancel" in subjects_for("retention_premium_2")


def test_a_bad_floor_size_is_one_line_and_exit_code_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "agent_desktop_mocks", "--agents", "0"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["mock_backends: agents: Input should be greater than or equal to 1"]


def test_the_simulator_works_a_bigger_floor_live(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, fresh=True, agents=120, queues=12, speed=5.0, customers=200, seed=7)
    running = serve_in_thread([create_app(settings)])
    headers = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
    try:
        with httpx.Client(base_url=running.urls[0], headers=headers, timeout=5) as client:
            deadline = time.monotonic() + 60
            while True:
                stats = client.get("/v1/queues/stats", params={"window": "30m"}).json()
                if all(s["answered"] > 0 for s in stats) or time.monotonic() > deadline:
                    break
                time.sleep(0.25)
            agents = client.get("/v1/supervisor/agents").json()
    finally:
        running.stop()
    assert len(stats) == 12
    assert "Retention — North" in {s["queue_name"] for s in stats}
    assert [s["queue_name"] for s in stats if s["answered"] == 0] == []  # every queue answers its callers
    states = Counter(a["agent"]["state"] for a in agents)
    assert len(agents) == 120
    assert states["offline"] == 1  # the team is signed in; the demo agent waits for the desktop
    working = {c["queue_id"] for a in agents for c in a["contacts"]}
    assert len(working) >= 6  # contacts in hand across the floor, not in the demo's three queues only


def test_a_fresh_contact_center_s_arrival_rate_counts_the_minutes_it_has_been_open() -> None:
    """Five minutes after opening, 10 arrivals are 2 a minute over the last 30 minutes, not 0.33."""
    from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
    from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig
    from agent_desktop_mocks.ccaas.simulator.traffic import Simulator

    simulator = Simulator.virtual(SimulatorConfig(arrivals_per_minute={}, backlog=0, team=[]), seed=3)
    engine, clock = simulator.engine, simulator.clock
    assert clock is not None
    for _ in range(10):
        clock.advance_to(clock.elapsed + 30)
        engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    billing = next(s for s in engine.queue_stats("30m") if s.queue_id == "billing")
    assert billing.arrived == 10
    assert billing.arrival_rate_per_min == pytest.approx(2.0)
