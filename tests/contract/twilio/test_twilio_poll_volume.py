"""The supervisor's poll on Twilio costs a handful of requests whatever the number of queues: the TaskQueues
statistics list, the open Tasks, the Workers and the Events (not two statistics requests per queue, one task
list per queue and one reservations list per task, as before). Checked against Twilio's pinned spec."""

from __future__ import annotations

from pathlib import Path

import httpx
from openapi_core import OpenAPI

from agent_desktop.adapters.twilio.supervisor import REQUESTS_PER_MINUTE, TwilioSupervisorConsole
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.twilio.app import create_app as create_twilio
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.twilio import TwilioFloor

QUEUES = 100


async def test_a_poll_at_100_queues_costs_a_few_requests_and_a_minute_stays_within_the_budget(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    ccaas = create_ccaas(
        MockSettings(data_dir=tmp_path, seed=7, customers=40, agents=40, queues=QUEUES, simulator=False, fresh=True)
    )
    engine = ccaas.state.engine
    app = create_twilio(ccaas)
    for agent in engine.read.agents()[:20]:
        engine.agents.set_agent_state(agent.id, AgentState.AVAILABLE)
    queues = [q.id for q in engine.read.queues()]
    for n in range(60):  # some taken, the rest waiting
        engine.arrivals.create_contact(queues[n % QUEUES], Channel.VOICE, f"+1512555{n:04d}")
    floor = TwilioFloor(None, "", "http://taskrouter.test", "http://relay.test", app, app)  # type: ignore[arg-type]
    transport = TwilioContractTransport(httpx.ASGITransport(app))
    console = TwilioSupervisorConsole(floor.config("agent-001"), transport=transport)
    try:
        console.budget.poll_started()
        snapshot = await console._snapshot()
        assert len(snapshot.queues) == QUEUES
        assert len(snapshot.today) == QUEUES
        assert snapshot.waiting
        per_poll = []
        for _ in range(6):
            console.budget.poll_started()
            snapshot, _ = await console._changes(snapshot)
            per_poll.append(console.budget.this_poll)
    finally:
        await console.aclose()
    assert max(per_poll) <= 5, per_poll  # Workers, Tasks, Events, today's statistics (+ the 30 minutes' every fifth)
    assert per_poll.count(5) <= 2, per_poll
    polls_a_minute = 60 / max(2.0, max(per_poll) * 60 / REQUESTS_PER_MINUTE)
    assert polls_a_minute * sum(per_poll) / len(per_poll) <= REQUESTS_PER_MINUTE
