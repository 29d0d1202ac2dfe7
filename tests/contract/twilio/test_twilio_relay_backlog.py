"""A burst of ten thousand callbacks for one worker costs its desk one read of the present, not a REST read per
event (agent_desktop/adapters/twilio/relay/relay_backlog.py): the desk is not left minutes behind, and the next offer reaches it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.domain.models import AgentState, OfferEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.event_tap import tapped
from tests.support.protocol_rigs.twilio import twilio_floor

BURST = 10_000


class Counting(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.count = inner, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return await self.inner.handle_async_request(request)


async def test_a_burst_of_ten_thousand_callbacks_costs_the_desk_one_resync_not_a_read_each(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=30, simulator=False, fresh=True)
    async with twilio_floor(settings) as floor:
        transport = Counting(TwilioContractTransport())
        backend = TwilioContactCenter(floor.config("agent-001"), transport=transport, heartbeat_timeout_s=5.0)
        worker, store = backend.agent_id, floor.relay_app.state.store
        async with tapped(backend.events()) as events:
            await events.next(lambda e: isinstance(e, LinkStatus) and e.connected, asyncio.sleep, 10.0, "connected")
            before = transport.count
            now_ms = int(time.time() * 1000)
            for n in range(BURST):  # as the relay keeps them (its own code), faster than posting each
                store._record(
                    f"burst-{n}",
                    {"EventType": "worker.activity.update", "WorkerSid": worker, "Sid": f"EV{n:032x}"},
                    now_ms,
                )
            await backend.set_state(AgentState.AVAILABLE)  # its callback wakes the relay's reader
            async with httpx.AsyncClient(
                base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
            ) as sup:
                body = {"queue_id": "billing", "channel": "voice", "from_address": "+15125550100"}
                (await sup.post("/v1/contacts", json=body)).raise_for_status()
            await events.next(lambda e: isinstance(e, OfferEvent), asyncio.sleep, 15.0, "the offer")  # relayed or read
            reads = transport.count - before
        await backend.aclose()
    assert reads < 200, f"{reads} REST reads for a burst of {BURST} events"
