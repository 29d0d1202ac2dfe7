"""The desktop's contact-center client for routing (hold, next state, transfers, consult) against the
real mock CCaaS: what an integrator's own `ContactCenter` must do for the desktop's routing keys."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    AgentState,
    ConsultState,
    Contact,
    ContactEvent,
    ContactState,
    NextState,
    OfferEvent,
    Target,
    TargetKind,
)
from tests.support.narrowing import of_kind, present
from tests.support.scenes.scenes import SceneServers, scene_servers
from tests.support.streams import close_stream

SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}


async def next_event(
    events: AsyncIterator[object], condition: Callable[[object], bool], timeout_s: float = 10.0
) -> object | None:
    """The next event that meets `condition` (None if the stream ends first)."""

    async def find() -> object | None:
        async for item in events:
            if condition(item):
                return item
        return None

    return await asyncio.wait_for(find(), timeout_s)


async def connected_contact(
    cc: HttpContactCenter, events: AsyncIterator[object], servers: SceneServers, address: str = "+15125550100"
) -> Contact:
    servers.place_call(address)
    offer = of_kind(await next_event(events, lambda e: isinstance(e, OfferEvent)), OfferEvent).offer
    return await cc.accept_offer(offer.id)


async def test_hold_resume_next_state_and_a_completed_contact(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        cc = HttpContactCenter(servers.ccaas_url, "demo-agent-token", "agent-001")
        events = cc.events()
        try:
            await cc.set_state(AgentState.AVAILABLE)
            contact = await connected_contact(cc, events, servers)

            held = await cc.hold_contact(contact.id)
            assert held.state is ContactState.ON_HOLD
            assert held.held_at is not None
            with pytest.raises(BackendError) as twice:
                await cc.hold_contact(contact.id)
            assert (twice.value.status, twice.value.state) == (409, "on_hold")
            resumed = await cc.resume_contact(contact.id)
            assert resumed.state is ContactState.CONNECTED
            assert resumed.held_at is None
            assert resumed.hold_s >= 0

            agent = await cc.set_next_state(AgentState.NOT_READY, "Lunch")
            assert agent.next_state == NextState(state=AgentState.NOT_READY, reason="Lunch")
            assert (await cc.set_next_state(None)).next_state is None
            await cc.set_next_state(AgentState.NOT_READY, "Break")

            await cc.end_contact(contact.id)
            done = await cc.complete_contact(contact.id, "Resolved")
            assert done.state is ContactState.COMPLETED
            with pytest.raises(BackendError) as again:
                await cc.complete_contact(contact.id, "Resolved")
            assert (again.value.status, again.value.state) == (409, "completed")
            agent = await cc.get_agent()
            assert (agent.state, agent.reason, agent.next_state) == (AgentState.NOT_READY, "Break", None)
        finally:
            await close_stream(events)
            await cc.aclose()


async def test_blind_transfer_to_an_agent_and_consult_an_address(tmp_path: Path) -> None:
    # The consult leg rings 1-3 s of the mock's time: 0.25-0.75 s at 4x; offers keep 20 s of real time.
    with scene_servers(tmp_path, frozen=False, customers=20, time_scale=4.0, offer_timeout_s=80.0) as servers:
        cc = HttpContactCenter(servers.ccaas_url, "demo-agent-token", "agent-001")
        events = cc.events()
        try:
            await cc.set_state(AgentState.AVAILABLE)
            first = await connected_contact(cc, events, servers)
            # agent-003 is not available: the transfer is refused with their state.
            with pytest.raises(BackendError) as refused:
                await cc.transfer_contact(first.id, Target(kind=TargetKind.AGENT, id="agent-003"))
            assert refused.value.status == 409
            assert refused.value.state == "offline"
            httpx.put(
                f"{servers.ccaas_url}/v1/agents/agent-003/state", json={"state": "available"}, headers=SUPERVISOR
            ).raise_for_status()
            moved = await cc.transfer_contact(first.id, Target(kind=TargetKind.AGENT, id="agent-003"))
            assert (moved.state, moved.agent_id, moved.transfer_path) == (
                ContactState.OFFERED,
                "agent-003",
                ["agent:agent-003"],
            )
            assert first.id not in {c.id for c in await cc.list_contacts()}

            second = await connected_contact(cc, events, servers, "+15125550111")
            expert = Target(kind=TargetKind.ADDRESS, id="sip:ana@example.com", name="Ana")
            ringing = await cc.start_consult(second.id, expert)
            assert ringing.consult is not None
            assert ringing.consult.target.id == expert.id
            assert ringing.state is ContactState.ON_HOLD
            answered = await next_event(
                events,
                lambda e: (
                    isinstance(e, ContactEvent)
                    and e.contact.id == second.id
                    and e.contact.consult is not None
                    and e.contact.consult.state is ConsultState.CONNECTED
                ),
            )
            assert present(of_kind(answered, ContactEvent).contact.consult).target.kind is TargetKind.ADDRESS
            cancelled = await cc.cancel_consult(second.id)
            assert cancelled.state is ContactState.CONNECTED
            assert cancelled.consult is None

            await cc.start_consult(second.id, expert)
            await next_event(
                events,
                lambda e: (
                    isinstance(e, ContactEvent)
                    and e.contact.consult is not None
                    and e.contact.consult.state is ConsultState.CONNECTED
                ),
            )
            gone = await cc.complete_consult(second.id)
            assert gone.state is ContactState.AFTER_CONTACT_WORK
            assert gone.transfer_path[-1] == f"address:{expert.id}"
        finally:
            await close_stream(events)
            await cc.aclose()
