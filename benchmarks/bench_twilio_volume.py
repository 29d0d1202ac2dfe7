"""Requests a supervisor's desk and an agent's desk make to Twilio, on a floor of 1,000 agents and 100 queues.

The Twilio-shaped mock runs in-process over the mock CCaaS on a clock this benchmark steps; the supervisor's
console (agent_desktop/adapters/twilio/supervisor.py) polls it through an httpx transport that counts requests.
Over a simulated minute the floor churns (each simulated second a few calls finish and new ones are taken,
the rest wait) and the console polls as its `PollBudget` lets it; every request is counted.

Figures:
- `twilio_supervisor_requests_per_minute`: the console's requests in a simulated minute of polls, after
  its first snapshot. Target: within 180 a minute (3 requests a second, the lowest per-endpoint TaskRouter
  limit Twilio publishes; a workspace's own limits are on its Console's Limits page). The old console's poll
  cost 5 + 5·queues + tasks requests every 2 s (about 40,000 a minute here).
- `twilio_supervisor_requests_per_poll`: one poll's requests at this size (Workers, open Tasks, Events,
  statistics; whatever the number of queues and agents).
- `twilio_agent_desk_requests_per_contact`: an agent's desk through one call (offer, accept, end, wrap-up)
  from its callbacks, as the relay hands them over; `…_per_minute` at 12 calls an hour.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.adapters.twilio.contact_center import TwilioConfig, TwilioContactCenter
from agent_desktop.adapters.twilio.supervisor import REQUESTS_PER_MINUTE, TwilioSupervisorConsole
from agent_desktop.domain.models import AgentState as DeskState
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.twilio.app import create_app as create_twilio
from agent_desktop_mocks.twilio.settings import (
    DEMO_ACCOUNT_SID,
    DEMO_API_KEY_SECRET,
    DEMO_API_KEY_SID,
    DEMO_WORKSPACE_SID,
)

AGENTS, QUEUES = 1000, 100
MINUTE_S = 60.0
LIMIT_PER_MINUTE = 180  # 3 requests a second: Twilio's changelog, 2024-10-18 (docs/vendors/twilio-taskrouter.md)
CALLS_PER_HOUR = 12
BASE = "http://taskrouter.bench"


class Counting(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.count = inner, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return await self.inner.handle_async_request(request)


def _config(worker_sid: str, dispositions: dict[str, list[str]] | None = None) -> TwilioConfig:
    return TwilioConfig(
        account_sid=DEMO_ACCOUNT_SID,
        api_key_sid=DEMO_API_KEY_SID,
        api_key_secret=DEMO_API_KEY_SECRET,
        workspace_sid=DEMO_WORKSPACE_SID,
        worker_sid=worker_sid,
        base_url=BASE,
        api_base_url=BASE,
        flex_base_url=BASE,
        conversations_base_url=BASE,
        relay_url="http://relay.bench",
        relay_token="relay-reader-token-for-bench",
        dispositions=dispositions or {},
    )


class Floor:
    def __init__(self, folder: Path) -> None:
        self.rng = random.Random(40)
        self.clock = ManualClock(datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0))
        settings = MockSettings(
            data_dir=folder, seed=7, customers=200, agents=AGENTS, queues=QUEUES, simulator=False, fresh=True
        )
        self.ccaas = create_ccaas(settings, clock=self.clock)
        self.engine: Engine = self.ccaas.state.engine
        self.app = create_twilio(self.ccaas)
        self.twilio = self.app.state.twilio
        self.queues = [q.id for q in self.engine.read.queues()]
        self.calls = 0

    def call(self) -> None:
        self.calls += 1
        self.engine.arrivals.create_contact(
            self.rng.choice(self.queues), Channel.VOICE, f"+1512555{self.calls % 10_000:04d}"
        )

    def answer_all(self) -> None:
        for agent in self.engine.read.agents():
            for offer_id in list(self.twilio.offers_of.get(agent.id, ())):
                offer = self.engine.read.offer(offer_id)
                if offer.state.value == "pending":
                    self.engine.contacts.accept(offer_id)

    def staff(self) -> None:
        for agent in self.engine.read.agents()[: int(AGENTS * 0.8)]:
            self.engine.agents.set_agent_state(agent.id, AgentState.AVAILABLE)
        for _ in range(int(AGENTS * 0.9)):
            self.call()
        self.answer_all()

    def churn(self, seconds: float) -> None:
        """About 200 calls a minute finish and as many arrive (1,000 agents, five-minute calls)."""
        finishing = [c for c in self.engine.read.contacts() if c.state.value == "connected"]
        for contact in self.rng.sample(finishing, min(len(finishing), round(3.3 * seconds))):
            self.engine.contacts.end(contact.id)
            self.engine.contacts.complete(contact.id, contact_disposition(self, contact.queue_id))
        for _ in range(round(3.3 * seconds)):
            self.call()
        self.answer_all()


def contact_disposition(floor: Floor, queue_id: str) -> str:
    return floor.engine.read.queue(queue_id).dispositions[0]


async def supervisor_minute(floor: Floor) -> tuple[int, list[int]]:
    counting = Counting(httpx.ASGITransport(floor.app))
    console = TwilioSupervisorConsole(_config(floor.twilio.sids.of("WK", "agent-001")), transport=counting)
    try:
        console.budget.poll_started()
        snapshot = await console._snapshot()
        at_start, elapsed, per_poll = counting.count, 0.0, []
        while True:
            wait = console.budget.wait_s()
            if elapsed + wait > MINUTE_S:
                break
            elapsed += wait
            floor.clock.advance_to(floor.clock.elapsed + wait)
            floor.churn(wait)
            console.budget.poll_started()
            snapshot, _ = await console._changes(snapshot)
            per_poll.append(console.budget.this_poll)
        return counting.count - at_start, per_poll
    finally:
        await console.aclose()


async def agent_contact(floor: Floor) -> int:
    """One call through an agent's desk: each callback of it translated as the relay hands it over, and the
    desk's own requests (accept, end, wrap-up)."""
    agent = floor.engine.read.agents()[-1]  # one not yet on the floor
    counting = Counting(httpx.ASGITransport(floor.app))
    dispositions = {q.name: q.dispositions for q in floor.engine.read.queues()}
    desk = TwilioContactCenter(_config(floor.twilio.sids.of("WK", agent.id), dispositions), transport=counting)
    history = floor.app.state.callbacks.history
    try:
        await desk.set_state(DeskState.AVAILABLE)
        start = floor.clock.now()
        floor.engine.arrivals.create_contact(floor.queues[0], Channel.VOICE, "+15125550199")
        counting.count = 0
        seen: set[str] = set()

        async def callbacks() -> None:
            worker = floor.twilio.sids.of("WK", agent.id)
            for event in reversed(history.read(start, floor.clock.now(), WorkerSid=worker)):
                if event.params["Sid"] not in seen:
                    seen.add(event.params["Sid"])
                    async for _ in desk._translate(len(seen), event.params):
                        pass

        await callbacks()
        offers = await desk.list_offers()
        if not offers:
            return -1
        contact = await desk.accept_offer(offers[0].id)
        await callbacks()
        await desk.end_contact(contact.id)
        await callbacks()
        await desk.complete_contact(contact.id, dispositions[contact.queue_name][0])
        await callbacks()
        return counting.count
    finally:
        await desk.aclose()


def measure() -> Iterator[dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-twilio-volume-"))
    try:
        floor = Floor(folder)
        floor.staff()
        minute, per_poll = asyncio.run(supervisor_minute(floor))
        per_contact = asyncio.run(agent_contact(floor))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    target = f"<= {LIMIT_PER_MINUTE} (Twilio: 3 req/s, the lowest TaskRouter limit it publishes); budget {REQUESTS_PER_MINUTE:g}"
    yield {
        "name": "twilio_supervisor_requests_per_minute",
        "unit": "requests/min",
        "value": minute,
        "polls": len(per_poll),
        "agents": AGENTS,
        "queues": QUEUES,
        "target": target,
    }
    yield {
        "name": "twilio_supervisor_requests_per_poll",
        "unit": "requests",
        "p50": sorted(per_poll)[len(per_poll) // 2],
        "p99": max(per_poll),
        "runs": len(per_poll),
        "target": "independent of the floor's size",
    }
    yield {
        "name": "twilio_agent_desk_requests_per_contact",
        "unit": "requests",
        "value": per_contact,
        "target": "informational",
    }
    yield {
        "name": "twilio_agent_desk_requests_per_minute",
        "unit": "requests/min",
        "value": round(per_contact * CALLS_PER_HOUR / 60, 1),
        "calls_per_hour": CALLS_PER_HOUR,
        "target": f"<= {LIMIT_PER_MINUTE} (per desk, far below)",
    }


def run() -> Iterator[dict[str, Any]]:
    yield from measure()


if __name__ == "__main__":
    for figure in measure():
        print(json.dumps(figure), flush=True)
