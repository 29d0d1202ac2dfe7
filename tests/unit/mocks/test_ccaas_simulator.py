"""The traffic simulator in virtual time: reproducible, fast, its arrivals, patience, IVR and callbacks as
configured. That it agrees with M/M/N theory is tests/unit/mocks/test_simulator_vs_erlang_c.py."""

from __future__ import annotations

import time

import pytest

from agent_desktop_mocks.ccaas.core.far_end import AlwaysAnswers
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, ContactState, QueueStats
from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig
from agent_desktop_mocks.ccaas.simulator.traffic import Simulator
from tests.support.narrowing import present


def figures(sim: Simulator, queue_id: str = "billing") -> QueueStats:
    return next(s for s in sim.engine.queue_stats("today") if s.queue_id == queue_id)


@pytest.mark.timing
def test_a_virtual_day_is_fast_and_the_same_for_a_seed() -> None:
    began = time.monotonic()
    first = Simulator.virtual(SimulatorConfig(), seed=5)
    first.run_for(2 * 3600)
    elapsed = time.monotonic() - began
    second = Simulator.virtual(SimulatorConfig(), seed=5)
    second.run_for(2 * 3600)
    one = [c.model_dump() for c in first.contacts()]
    assert one == [c.model_dump() for c in second.contacts()]
    assert len(one) > 500
    assert elapsed < 30  # ~650 contacts in two simulated hours
    assert {c["state"] for c in one} >= {ContactState.COMPLETED, ContactState.ABANDONED}
    third = Simulator.virtual(SimulatorConfig(), seed=6)
    third.run_for(2 * 3600)
    assert [c.model_dump() for c in third.contacts()] != one


def test_time_of_day_profile_and_patience() -> None:
    config = SimulatorConfig(
        arrivals_per_minute={"sales": 6.0},
        time_of_day_profile={0: 0.0, 1: 2.0},
        channel_mix={Channel.CHAT: 1.0},
        mean_patience_s=30.0,
        backlog=0,
    )
    sim = Simulator.virtual(config, seed=2)  # starts at midnight
    sim.run_for(3600)
    assert figures(sim, "sales").arrived == 0  # closed in the first hour
    sim.run_for(3600)
    stats = figures(sim, "sales")
    assert 600 < stats.arrived < 840  # ~12 a minute in the second hour
    assert stats.abandoned > 50  # three agents cannot keep up: impatient callers leave


def test_voice_callers_come_through_the_ivr_and_some_are_served_by_self_service() -> None:
    """Demo menus: billing offers self-service (15 %, paying a bill 40 %), tech support 10 %, sales none."""
    sim = Simulator.virtual(SimulatorConfig(backlog=0), seed=3)
    sim.run_for(2 * 3600)
    stats = {s.queue_id: s for s in sim.engine.queue_stats("today")}
    assert stats["billing"].contained > 0
    assert stats["tech_support"].contained > 0
    assert stats["sales"].contained == 0
    voice = [c for c in sim.contacts() if c.channel == Channel.VOICE]
    assert voice
    assert all(c.attached and c.attached.intent and c.attached.menu_path for c in voice)
    # Each caller dials the number of their language; the call scripts are English, so only English speakers do.
    assert {present(c.attached).language for c in voice} == {"en"}
    assert all(c.attached is None for c in sim.contacts() if c.channel != Channel.VOICE)
    billing_calls = sum(1 for c in voice if c.queue_id == "billing") + stats["billing"].contained
    assert 0.1 < stats["billing"].contained / billing_calls < 0.4  # between the two options' shares


def test_callers_take_the_callbacks_offered_and_are_called_back() -> None:
    """Demo queues offer callbacks after 60 s (billing) and 90 s (tech support); 40 % of those still there take it."""
    config = SimulatorConfig(arrivals_per_minute={"billing": 6.0}, channel_mix={Channel.VOICE: 1.0}, backlog=0)
    sim = Simulator.virtual(config, seed=4)
    sim.run_for(2 * 3600)
    callbacks = [c for c in sim.contacts() if c.callback is not None]
    assert len(callbacks) > 20
    assert all((present(c.callback).requested_at - c.entered_queue_at).total_seconds() >= 60 for c in callbacks)
    states = {present(c.callback).state for c in callbacks}
    assert "answered" in states
    assert ContactState.ABANDONED not in {c.state for c in callbacks}
    assert all(present(c.callback).attempts <= present(c.callback).max_attempts for c in callbacks)


def test_the_far_end_the_simulator_is_given_is_the_one_that_answers() -> None:
    """The simulator chooses the far end and injects it: with customers who always answer, no callback is dialled
    twice or given up on; with the mock's own (the seed's rng, 75 % answered) on the same run, some are."""
    config = SimulatorConfig(arrivals_per_minute={"billing": 6.0}, channel_mix={Channel.VOICE: 1.0}, backlog=0)
    runs = {}
    for name, far_end in (("always", AlwaysAnswers()), ("the mock's own", None)):
        sim = Simulator.virtual(config, seed=4, far_end=far_end)
        sim.run_for(3600)
        runs[name] = [c.callback for c in sim.contacts() if c.callback is not None]
    assert len(runs["always"]) > 10
    assert all(cb.state not in ("no_answer", "failed") and cb.attempts <= 1 for cb in runs["always"])
    assert any(cb.state in ("no_answer", "failed") or cb.attempts > 1 for cb in runs["the mock's own"])
