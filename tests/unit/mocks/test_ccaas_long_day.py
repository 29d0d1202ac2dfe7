"""A day of any length in constant memory: finished contacts leave memory, today's figures do not change.

Virtual time across midnight (22:30 → 02:00) on a busy floor. The same run, with the same seed, is made
twice: once as the server runs (finished contacts and agent segments folded into the day's totals after
FOLD_AFTER) and once holding everything. Every figure a supervisor reads must be the same, the folding
run must hold only about the last hour, and a restart at the end must read the same figures again.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import TERMINAL, StatsWindow, last_touched
from agent_desktop_mocks.ccaas.figures import stats_projection
from agent_desktop_mocks.ccaas.shell import engine as engine_module
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig, TeamSpec
from agent_desktop_mocks.ccaas.simulator.traffic import Simulator
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database
from tests.support.narrowing import present

QUEUES = ("billing", "tech_support", "sales")
START = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)
HOURS = 3.5
SEED = 8
# The claim is about time (folding after FOLD_AFTER, across midnight), not the size of the floor: twelve agents
# carry it as well as thirty did, at the same load per agent, in less than half the CPU.
AGENTS_PER_QUEUE = 4
PER_MINUTE = 0.9 * AGENTS_PER_QUEUE  # arrivals per queue: a little over what the team handles
EXPECTED = PER_MINUTE * len(QUEUES) * HOURS * 60  # contacts in the whole run


def busy_floor() -> SimulatorConfig:
    """Four agents per queue, a little over capacity: queues, abandons, breaks, callbacks."""
    return SimulatorConfig(
        arrivals_per_minute=dict.fromkeys(QUEUES, PER_MINUTE),
        backlog=0,
        team=[TeamSpec(count=AGENTS_PER_QUEUE, skills={q: 3}) for q in QUEUES],
    )


def run_day(db: sqlite_utils.Database) -> Simulator:
    sim = Simulator.virtual(busy_floor(), seed=SEED, start=START, db=db)
    sim.run_for(HOURS * 3600)
    return sim


def figures(engine: Engine, window: StatsWindow) -> dict[str, dict[str, Any]]:
    return {s.queue_id: s.model_dump(exclude={"ewt_s"}) for s in engine.queue_stats(window)}


def comparable(stats: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Means are sums divided: the order of the additions may move the last digit."""
    return {
        q: {k: (pytest.approx(v, abs=0.11) if isinstance(v, float) else v) for k, v in s.items()}
        for q, s in stats.items()
    }


def test_a_night_shift_s_figures_are_the_same_whether_the_day_is_held_or_folded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folded_db = open_database(tmp_path / "folded", "ccaas", fresh=True)
    folded = run_day(folded_db)
    with monkeypatch.context() as held_everything:
        for module in (stats_projection, engine_module):
            held_everything.setattr(module, "FOLD_AFTER", timedelta(days=3))
        held = run_day(open_database(tmp_path / "held", "ccaas", fresh=True))

    now = present(folded.clock).now()
    assert now.hour == 2
    assert now.date() > START.date()  # the run crossed midnight
    every = folded.contacts()
    assert every == held.contacts()  # the same run: folding changes no routing decision
    assert len(every) > 0.7 * EXPECTED  # (was > 4000 of 5,670 expected with ten agents per queue)

    # what a supervisor reads is the same
    for window in ("today", "60m", "30m", "15m"):
        assert figures(folded.engine, window) == comparable(figures(held.engine, window)), window
    today = {s.queue_id: s for s in folded.engine.queue_stats("today")}
    since_midnight_per_queue = PER_MINUTE * 120  # 00:00 → 02:00
    assert all(
        s.arrived > 0.45 * since_midnight_per_queue and s.abandoned > 0 and s.occupancy_pct for s in today.values()
    )
    since_midnight = [c for c in every if c.entered_queue_at >= now.replace(hour=0, minute=0)]
    assert sum(s.arrived for s in today.values()) == len(since_midnight)  # yesterday's callers are not today's

    # and the folding run holds about the last hour only
    kept = folded.engine.read.contacts()
    assert len(kept) < len(every) / 2.5
    line = now - stats_projection.FOLD_AFTER - timedelta(minutes=1)
    assert all(c.state not in TERMINAL or last_touched(c) >= line for c in kept)
    assert {c.id for c in every if c.state not in TERMINAL} <= {c.id for c in kept}
    for contact in every[:50]:  # a finished contact still reads whole, from the store
        assert folded.engine.read.contact(contact.id) == contact

    # a restart on the same data reads the same day (occupancy starts again: agents' segments are not stored)
    again = Engine(
        Store(folded_db),
        EventLog(folded_db, present(folded.clock)),
        present(folded.clock),
        monotonic=present(folded.clock).monotonic,
        far_end=RandomFarEnd(random.Random(0)),
    )
    again.load()
    assert _without_occupancy(figures(again, "today")) == _without_occupancy(figures(folded.engine, "today"))
    assert {c.id for c in again.read.contacts()} == {c.id for c in kept}


def test_an_agent_s_contacts_today_include_those_that_left_memory() -> None:
    sim = Simulator.virtual(busy_floor(), seed=SEED, start=START)
    sim.run_for(HOURS * 3600)
    now = present(sim.clock).now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    agent_id = sim.agent_ids[0]
    expected = sorted(
        (
            c.id
            for c in sim.contacts()
            if agent_id in c.handled_by and (c.answered_at or c.entered_queue_at) >= midnight
        ),
    )
    listed = sim.engine.read.contacts_today(agent_id)
    assert sorted(c.id for c in listed) == expected
    assert len(expected) > 30
    assert any(c.id not in {k.id for k in sim.engine.read.contacts()} for c in listed)  # some came from the store


def _without_occupancy(stats: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {q: {k: v for k, v in s.items() if k != "occupancy_pct"} for q, s in stats.items()}
