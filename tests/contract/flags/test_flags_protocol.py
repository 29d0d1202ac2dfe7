"""Help from the supervisor in the protocol suite: the agent's `AgentFlags` and the supervisor's
`SupervisorFlags` over HTTP against a real mock CCaaS and in-process over the mock's own engine, with the same
assertions: a flag raised on a contact in hand reaches the supervisor's stream and the open flags, the answer comes
back on the agent's stream, the thread is masked and ordered, a second flag on the contact and a supervisor of other
queues are refused in the same words, a broadcast reaches the queue's agents. Twilio declares both off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.flags.protocol import (
    AgentFlags,
    SupervisorFlags,
    agent_flags,
    serves_agent_flags,
    serves_supervisor_flags,
    supervisor_flags,
)
from agent_desktop.domain.models import AgentState, BroadcastEvent, FlagEvent, OfferEvent
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.in_process.supervisor import InProcessSupervisorConsole
from tests.support.protocol_rigs.contact_center import (
    KINDS,
    ROUTING_KINDS,
    ContactCenterRig,
    HttpRig,
    contact_center_rig,
)
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.refusals import refused

CALLER = "(512) 555-0100"


def flags_of(rig: ContactCenterRig) -> tuple[AgentFlags, SupervisorFlags]:
    assert serves_agent_flags(rig.backend), "the mock's keep flags"
    assert serves_supervisor_flags(rig.supervisor_console), "the mock's keep flags"
    return agent_flags(rig.backend), supervisor_flags(rig.supervisor_console)


def console_as(rig: Any, token: str, subject: str) -> Any:
    if isinstance(rig, HttpRig):
        return HttpSupervisorConsole(str(rig.supervisor.base_url), token)
    return InProcessSupervisorConsole(
        rig.mocks.ccaas_app, rig.mocks.clock.now, who=Principal(token, "supervisor", subject)
    )


async def call_in_hand(rig: ContactCenterRig, events: EventTap, queue_id: str = "billing") -> str:
    await rig.backend.set_state(AgentState.AVAILABLE)
    await rig.place_call(CALLER, queue_id=queue_id)
    offer = await events.next(lambda e: isinstance(e, OfferEvent), rig.pass_time, 5, "the offer")
    return (await rig.backend.accept_offer(offer.offer.id)).id


@pytest.mark.parametrize("kind", KINDS)
async def test_a_flag_reaches_the_supervisor_and_the_answer_comes_back(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        agent, supervisor = flags_of(rig)
        async with tapped(rig.backend.events()) as agent_events, tapped(rig.supervisor_console.events()) as floor:
            contact_id = await call_in_hand(rig, agent_events)
            raised = await agent.raise_flag(contact_id, "Card 4111 1111 1111 1111 refused twice")
            assert (raised.contact_id, raised.state, raised.agent_id) == (contact_id, "open", "agent-001")
            assert "4111 1111 1111 1111" not in raised.lines[0].text
            seen = await floor.next(lambda e: isinstance(e, FlagEvent), rig.pass_time, 5, "the raise")
            assert (seen.type, seen.flag.id) == ("flag_raised", raised.id)
            assert [f.id for f in await supervisor.open_flags()] == [raised.id]
            answered = await supervisor.add_flag_line(raised.id, "Offer the credit")
            assert [(line.author, line.name) for line in answered.lines] == [
                ("agent", "Alex Morgan"),
                ("supervisor", "Riley Chen"),
            ]
            back = await agent_events.next(
                lambda e: isinstance(e, FlagEvent) and e.type == "flag_line", rig.pass_time, 5, "the answer"
            )
            assert back.flag.lines[-1].text == "Offer the credit"
            async with tapped(rig.backend.events()) as reconnected:  # a desk (re)starting: the thread in the snapshot
                kept = await reconnected.next(lambda e: isinstance(e, FlagEvent), rig.pass_time, 5, "the snapshot")
                assert (kept.flag.id, len(kept.flag.lines), kept.event_id) == (raised.id, 2, None)
            again = await refused(agent.raise_flag(contact_id, "Still stuck"))
            assert (again.status, again.state) == (409, "flagged")
            closed = await agent.close_flag(raised.id)
            assert (closed.state, closed.closed_by) == ("closed", "Alex Morgan")
            assert await supervisor.open_flags() == []
            late = await refused(supervisor.add_flag_line(raised.id, "Here now"))
            assert (late.status, late.state) == (409, "closed")


@pytest.mark.parametrize("kind", KINDS)
async def test_a_supervisor_of_other_queues_is_refused_and_a_broadcast_reaches_the_queue(
    kind: str, tmp_path: Path
) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        agent, supervisor = flags_of(rig)
        async with tapped(rig.backend.events()) as agent_events:
            sales = await call_in_hand(rig, agent_events, queue_id="sales")
            flag = await agent.raise_flag(sales, "Help")
            jordan = console_as(rig, "supervisor-billing-token", "supervisor-billing")
            try:
                outside = await refused(jordan.add_flag_line(flag.id, "Mine?"))
                assert outside.status == 403
                assert "outside your queues (billing)" in outside.message
                assert await jordan.open_flags() == []
                assert (await refused(jordan.broadcast("Hi", 5, "sales"))).status == 403
            finally:
                await jordan.aclose()
            sent = await supervisor.broadcast("System slow: take notes on paper", 10, "billing")
            assert "agent-001" in sent.agent_ids
            told = await agent_events.next(lambda e: isinstance(e, BroadcastEvent), rig.pass_time, 5, "broadcast")
            assert (told.broadcast.text, told.broadcast.supervisor_name) == (sent.text, "Riley Chen")
            assert (told.broadcast.expires_at - told.broadcast.sent_at).total_seconds() == 600


@pytest.mark.parametrize("kind", sorted(set(ROUTING_KINDS) - set(KINDS)))
async def test_a_contact_center_without_flags_declares_them_off(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert not rig.backend.capabilities.flags
        assert not rig.backend.capabilities.broadcasts
        assert not serves_agent_flags(rig.backend)
        assert not serves_supervisor_flags(rig.supervisor_console)
        agent, supervisor = agent_flags(rig.backend), supervisor_flags(rig.supervisor_console)
        with pytest.raises(NotServed, match="Flags are not on this contact center"):
            await agent.raise_flag("c-1", "help")  # the stand-in: nothing reaches the contact center
        with pytest.raises(NotServed, match="Flags and broadcasts are not on this contact center"):
            await supervisor.broadcast("hello", 10)
