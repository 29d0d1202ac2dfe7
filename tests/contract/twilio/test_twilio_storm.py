"""A 429 storm or answers slower than the desk waits, on the Twilio floor: the relay is fine, Twilio
is not, so each event's read fails. Before, each was logged and dropped while the status line said the link was
fine: an offer made then was silently missed. Now the link is said to be down in words ("rate limited by Twilio",
"Twilio answers slowly"), and once Twilio answers the desk resyncs: the offer still pending is shown.

The storm is a transport under the contract checker (every exchange that reaches the Twilio-shaped mock and every
answer, 429s included, is checked against Twilio's pinned spec). A stall raises the timeout httpx would raise
after the configured `timeout_s` (short here): nothing waits 30 s.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from openapi_core import OpenAPI

from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import AgentState, AgentStateEvent, OfferEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.event_tap import tapped
from tests.support.protocol_rigs.twilio import TwilioFloor, twilio_floor

TIMEOUT_S = 2.0  # a stall is said after it; at 0.3 s a loaded machine read a 429 storm as a stall


class Storm(httpx.AsyncBaseTransport):
    """Twilio's REST API, failing every request while `kind` is set: `429` (Twilio's 20429, no Retry-After) or
    `stall` (no answer within the client's timeout)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.kind: str | None = None
        self.met = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.kind is not None:
            self.met += 1
            if self.kind == "stall":
                await asyncio.sleep(TIMEOUT_S)
                raise httpx.ReadTimeout("no answer", request=request)
            return httpx.Response(
                429,
                json={
                    "code": 20429,
                    "message": "Too Many Requests",
                    "more_info": "https://www.twilio.com/docs/errors/20429",
                    "status": 429,
                },
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _settings(tmp_path: Path) -> MockSettings:
    return MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=30, simulator=False, fresh=True)


async def _place_call(floor: TwilioFloor, subject: str) -> None:
    async with httpx.AsyncClient(
        base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
    ) as sup:
        body = {"queue_id": "billing", "channel": "voice", "from_address": "(512) 555-0100", "subject": subject}
        (await sup.post("/v1/contacts", json=body)).raise_for_status()


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("429", "rate limited by Twilio: offers may be late"),
        ("stall", f"Twilio answers slowly: no answer in {TIMEOUT_S:g} s"),
    ],
)
async def test_an_offer_made_while_twilio_fails_is_said_then_shown_once_it_answers(
    kind: str, said: str, tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        storm = Storm()
        backend = TwilioContactCenter(
            floor.config("agent-001", rate_limit_wait_s=0.2, timeout_s=TIMEOUT_S),
            transport=TwilioContractTransport(storm),
            heartbeat_timeout_s=5.0,
        )
        async with tapped(backend.events()) as events:
            await events.next(lambda e: isinstance(e, LinkStatus) and e.connected, asyncio.sleep, 5.0, "the link up")
            await backend.set_state(AgentState.AVAILABLE)
            storm.kind = kind
            await _place_call(floor, "During the storm")
            down = await events.next(
                lambda e: isinstance(e, LinkStatus) and not e.connected, asyncio.sleep, 5.0, "the link down"
            )
            assert (down.detail, down.url, down.refused) == (said, floor.twilio_url, False)
            assert not any(isinstance(e, OfferEvent) for e in events.seen), "nothing to show yet: Twilio did not answer"

            await asyncio.sleep(1.0)  # the storm goes on a while: still down, and said again as the resync fails
            assert [e.connected for e in events.seen if isinstance(e, LinkStatus)][-1] is False
            storm.kind = None
            offer = await events.next(
                lambda e: isinstance(e, OfferEvent), asyncio.sleep, 10.0, "the offer, once healed"
            )
            assert offer.offer.contact.subject == "During the storm"
            statuses = [e for e in events.seen if isinstance(e, LinkStatus)]
            assert statuses[-1].connected, "up again once Twilio answers the resync"
            assert statuses[-1].detail == "", "up again once Twilio answers the resync"
            assert events.seen.index(statuses[-1]) < events.seen.index(offer), "said up, then the offer"
        await backend.aclose()


async def test_an_offer_that_timed_out_during_the_storm_is_said_missed_once_twilio_answers(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    settings = _settings(tmp_path).model_copy(update={"offer_timeout_s": 1.0})
    async with twilio_floor(settings) as floor:
        storm = Storm()
        backend = TwilioContactCenter(
            floor.config("agent-001", rate_limit_wait_s=0.2, timeout_s=TIMEOUT_S),
            transport=TwilioContractTransport(storm),
            heartbeat_timeout_s=5.0,
        )
        async with tapped(backend.events()) as events:
            await events.next(lambda e: isinstance(e, LinkStatus) and e.connected, asyncio.sleep, 5.0, "the link up")
            await backend.set_state(AgentState.AVAILABLE)
            storm.kind = "429"
            await _place_call(floor, "Gone before the storm ends")
            await events.next(
                lambda e: isinstance(e, LinkStatus) and not e.connected, asyncio.sleep, 5.0, "the link down"
            )
            await asyncio.sleep(2.0)  # the reservation times out meanwhile: TaskRouter puts the worker in Missed
            storm.kind = None
            missed = await events.next(
                lambda e: isinstance(e, AgentStateEvent) and e.agent.state is AgentState.MISSED,
                asyncio.sleep,
                10.0,
                "the agent as Missed",
            )
            assert [e.connected for e in events.seen[: events.seen.index(missed)] if isinstance(e, LinkStatus)][-1]
            assert not any(isinstance(e, OfferEvent) for e in events.seen), "an offer no longer pending is not offered"
            # The desk fed what the stream said: it says in words that an offer was missed unseen, not only Missed.
            desk = Desk("agent-001")
            for item in events.seen:
                desk.set_link(item, "contact_center") if isinstance(item, LinkStatus) else desk.apply(item)
            said = [n.text for n in desk.take_changes().notices]
            assert any("missed an offer while the contact center was unreachable" in text for text in said), said
        await backend.aclose()


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("429", "rate limited by Twilio: offers may be late"),
        ("stall", f"Twilio answers slowly: no answer in {TIMEOUT_S:g} s"),
    ],
)
async def test_twilio_failing_the_read_as_the_relay_connects_is_said_as_twilio_at_twilios_address(
    kind: str, said: str, tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    # The relay answers, then the state is read from Twilio, which fails: the relay is not the one to blame.
    async with twilio_floor(_settings(tmp_path)) as floor:
        storm = Storm()
        storm.kind = kind
        backend = TwilioContactCenter(
            floor.config("agent-001", rate_limit_wait_s=0.2, timeout_s=TIMEOUT_S),
            transport=TwilioContractTransport(storm),
            heartbeat_timeout_s=5.0,
        )
        async with tapped(backend.events()) as events:
            down = await events.next(
                lambda e: isinstance(e, LinkStatus) and not e.connected, asyncio.sleep, 5.0, "the link down"
            )
            assert (down.detail, down.url, down.refused) == (said, floor.twilio_url, False)
            storm.kind = None
            await events.next(lambda e: isinstance(e, AgentStateEvent), asyncio.sleep, 10.0, "the state, once healed")
            assert [e.connected for e in events.seen if isinstance(e, LinkStatus)][-1] is True
        await backend.aclose()
