"""My day in the `ContactCenter` protocol suite: the agent reads their own day (the states taken since
midnight, the offers made and how each ended, the contacts handled with their dispositions) from the mock over
HTTP and in-process alike; another agent's token never reads it; Twilio declares it off and refuses the call."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.domain.models import AgentState, ContactEvent, OfferEvent
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, DEMO_AGENT_TOKEN
from tests.support.protocol_rigs.contact_center import (
    KINDS,
    OTHER_AGENT_ID,
    ROUTING_KINDS,
    ContactCenterRig,
    contact_center_rig,
    rig_settings,
)
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.refusals import refused
from tests.support.protocol_rigs.served import served

CALLER = "(512) 555-0100"


async def _offered(rig: ContactCenterRig, events: EventTap) -> OfferEvent:
    await rig.place_call(CALLER)
    offer: OfferEvent = await events.next(lambda e: isinstance(e, OfferEvent), rig.pass_time, 5.0, "offer")
    return offer


@pytest.mark.parametrize("kind", KINDS)
async def test_the_agent_reads_their_day_with_states_offers_and_dispositions(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert rig.backend.capabilities.my_day
        async with tapped(rig.backend.events()) as events:
            await rig.backend.set_state(AgentState.AVAILABLE)
            offer = await _offered(rig, events)
            contact = await rig.backend.accept_offer(offer.offer.id)
            await rig.pass_time(1)
            await rig.backend.end_contact(contact.id)
            await rig.pass_time(1)  # a state of no length is not kept
            await rig.backend.complete_contact(contact.id, "Resolved")
            await events.next(
                lambda e: isinstance(e, ContactEvent) and e.contact.state == "completed", rig.pass_time, 5.0, "done"
            )
            await rig.backend.set_state(AgentState.AVAILABLE)
            second = await _offered(rig, events)
            await rig.backend.reject_offer(second.offer.id)
        day = await rig.backend.my_day()
        assert day.agent_id == DEMO_AGENT_ID
        assert [(c.id, c.disposition) for c in day.contacts] == [(contact.id, "Resolved")]
        assert (day.offers.offered, day.offers.accepted, day.offers.rejected) == (2, 1, 1)
        taken = [span.state for span in day.states]
        for state in (AgentState.AVAILABLE, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK, AgentState.MISSED):
            assert state in taken, f"{state} is in the day"
        assert day.states[0].since == day.since
        assert [s.since for s in day.states] == sorted(s.since for s in day.states)
        assert day.as_of >= day.states[-1].since
        other = await rig.other.my_day()
        assert other.agent_id == OTHER_AGENT_ID, "each agent reads their own day"
        assert other.contacts == (), "each agent reads their own day"


async def test_an_agents_token_never_reads_another_agents_day(tmp_path: Path) -> None:
    async with served(create_ccaas(rig_settings(tmp_path)), DEMO_AGENT_TOKEN) as (_, agent):
        assert (await agent.get(f"/v1/agents/{DEMO_AGENT_ID}/day")).status_code == 200
        theirs = await agent.get(f"/v1/agents/{OTHER_AGENT_ID}/day")
        assert theirs.status_code == 403, theirs.text


@pytest.mark.parametrize("kind", sorted(set(ROUTING_KINDS) - set(KINDS)))
async def test_a_backend_without_the_agents_day_declares_it_off_and_refuses_it(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert not rig.backend.capabilities.my_day
        error = await refused(rig.backend.my_day())
        assert error.status == 501
