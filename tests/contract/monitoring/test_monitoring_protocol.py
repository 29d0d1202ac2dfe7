"""The `MonitoringConsole` protocol suite: the HTTP supervisor console against a real mock CCaaS on
loopback and the in-process console over the mock's own engine, with the same assertions, refusal words
included. The Twilio console does not serve monitoring (`capabilities.monitor` is False: TaskRouter's
`supervise` instruction is not mapped yet, docs/backends.md), so the suite does not run on it; the last scenario
checks that it says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.domain.models import AgentState, MessageEvent, MonitorEvent, OfferEvent, ParticipantRole, ReadEvent
from agent_desktop.domain.monitoring.participants import MonitorMode
from agent_desktop.domain.monitoring.protocol import MonitoringConsole, monitoring_console, serves_monitoring
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.in_process.supervisor import InProcessSupervisorConsole
from tests.support.protocol_rigs.contact_center import KINDS, ContactCenterRig, HttpRig, contact_center_rig
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.refusals import refused

pytestmark = pytest.mark.parametrize("kind", KINDS)
CHAT_FROM = "billy.smith3@example.com"


def console_of(rig: ContactCenterRig) -> MonitoringConsole:
    assert serves_monitoring(rig.supervisor_console), "the mock's supervisor console serves monitoring"
    return monitoring_console(rig.supervisor_console)


def console_as(rig: Any, token: str, role: str, subject: str) -> Any:
    """The supervisor console with other credentials (an agent's, a supervisor of other queues)."""
    if isinstance(rig, HttpRig):
        return HttpSupervisorConsole(str(rig.supervisor.base_url), token)
    return InProcessSupervisorConsole(rig.mocks.ccaas_app, rig.mocks.clock.now, who=Principal(token, role, subject))  # type: ignore[arg-type]


async def chat_in_hand(rig: ContactCenterRig, events: EventTap, queue_id: str = "billing") -> str:
    await rig.backend.set_state(AgentState.AVAILABLE)
    await rig.place_call(CHAT_FROM, queue_id=queue_id, channel="chat", subject="Late fee")
    offer = await events.next(lambda e: isinstance(e, OfferEvent), rig.pass_time, 5, "the offer")
    return (await rig.backend.accept_offer(offer.offer.id)).id


async def test_a_supervisor_monitors_a_chat_and_sees_the_next_message_without_a_read_receipt(
    kind: str, tmp_path: Path
) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        console = console_of(rig)
        async with tapped(rig.backend.events()) as agent_events, tapped(console.monitoring_events()) as watching:
            contact_id = await chat_in_hand(rig, agent_events)
            await watching.next(lambda e: isinstance(e, LinkStatus) and e.connected, rig.pass_time, 5, "the link")
            joined = await console.monitor(contact_id)
            assert (joined.mode, joined.supervisor_name, joined.contact_id) == (
                MonitorMode.MONITOR,
                "Riley Chen",
                contact_id,
            )
            seen = await watching.next(lambda e: isinstance(e, MonitorEvent), rig.pass_time, 5, "the join")
            assert (seen.type, seen.mode) == ("supervisor_joined", MonitorMode.MONITOR)
            page = await console.monitored_transcript(contact_id)
            assert page.items
            assert page.items[0].role == ParticipantRole.CUSTOMER
            said = await rig.customer_says(contact_id, "Are you still there?")
            arrived = await watching.next(
                lambda e: isinstance(e, MessageEvent) and e.item.id == said.id, rig.pass_time, 5, "the message"
            )
            assert arrived.item.text == "Are you still there?"
            assert (
                await rig.backend.get_conversation(contact_id)
            ).agent_last_read_item_id is None  # nobody read for the agent
            assert not [e for e in watching.seen if isinstance(e, ReadEvent)]
            roles = [(p.role, p.mode) for p in (await console.participants(contact_id)).participants]
            assert roles == [("customer", None), ("agent", None), ("supervisor", MonitorMode.MONITOR)]
            assert [m.contact_id for m in await console.monitored()] == [contact_id]
            await console.leave(contact_id)
            left = await watching.next(
                lambda e: isinstance(e, MonitorEvent) and e.type == "supervisor_left", rig.pass_time, 5, "the leave"
            )
            assert (left.mode, left.previous_mode) == (None, MonitorMode.MONITOR)
            assert await console.monitored() == []
            assert not [e for e in agent_events.seen if isinstance(e, MonitorEvent)], (
                "silent monitoring is not announced"
            )


async def test_a_whisper_reaches_the_agent_only_and_a_barge_message_the_conversation(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        console = console_of(rig)
        async with tapped(rig.backend.events()) as agent_events:
            contact_id = await chat_in_hand(rig, agent_events)
            await console.monitor(contact_id)
            whisper = await console.whisper(contact_id, "Offer the fee refund")
            assert (whisper.kind, whisper.role, whisper.display_name) == (
                "whisper",
                ParticipantRole.SUPERVISOR,
                "Riley Chen",
            )
            told = await agent_events.next(lambda e: isinstance(e, MonitorEvent), rig.pass_time, 5, "the whisper mode")
            assert (told.type, told.mode, told.supervisor_name) == (
                "supervisor_mode_changed",
                MonitorMode.WHISPER,
                "Riley Chen",
            )
            line = await agent_events.next(
                lambda e: isinstance(e, MessageEvent) and e.item.kind == "whisper", rig.pass_time, 5, "the whisper"
            )
            assert line.item.text == "Offer the fee refund"
            barge = await console.barge_message(contact_id, "Hello, I am the team lead.")
            assert (barge.kind, barge.role) == ("message", ParticipantRole.SUPERVISOR)
            reached = await agent_events.next(
                lambda e: isinstance(e, MessageEvent) and e.item.id == barge.id, rig.pass_time, 5, "the barge"
            )
            assert reached.item.display_name == "Riley Chen"
            assert (await console.participants(contact_id)).participants[-1].mode == MonitorMode.BARGE


async def test_only_a_supervisor_of_the_contact_s_queue_may_monitor(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        async with tapped(rig.backend.events()) as agent_events:
            sales = await chat_in_hand(rig, agent_events, queue_id="sales")
            agent = console_as(rig, "demo-agent-token", "agent", "agent-001")
            jordan = console_as(rig, "supervisor-billing-token", "supervisor", "supervisor-billing")
            try:
                as_agent = await refused(agent.monitor(sales))
                assert (as_agent.status, as_agent.message) == (
                    403,
                    "403 only a supervisor may monitor, whisper or barge",
                )
                outside = await refused(jordan.monitor(sales))
                assert outside.status == 403
                assert outside.message == f"403 contact {sales} is in the Sales queue, outside your queues (billing)"
                assert (await refused(jordan.whisper(sales, "psst"))).status == 403
                not_on_it = await refused(console_of(rig).whisper(sales, "psst"))
                assert (not_on_it.status, not_on_it.state) == (409, "not_monitoring")
                assert (await refused(console_of(rig).monitor("c-999999"))).status == 404
            finally:
                await agent.aclose()
                await jordan.aclose()
        assert rig.supervisor_console.capabilities.monitor
        from agent_desktop.adapters.twilio.contact_center import TWILIO_CAPABILITIES

        assert not TWILIO_CAPABILITIES.monitor, "Twilio: supervise is not mapped, so no monitoring keys are offered"
