"""The `SupervisorConsole` protocol suite: the HTTP client against a real mock CCaaS on loopback, the in-process
console over the engine's statistics, and the Twilio console over TaskRouter's statistics endpoints (the
Twilio-shaped mock, every exchange checked against Twilio's pinned spec), seeing the same floor and the same
changes. Twilio names things by SID (`rig.queue_ref`, `agent_ref`, `contact_ref`), and refuses in words what
TaskRouter leaves to its workflow: moving a task to another queue, a queue's priority."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.domain.models import AgentState, AgentStateEvent, ContactEvent, ContactState
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.supervisor.models import FloorSnapshot, QueueStatsEvent
from tests.support.narrowing import of_kind
from tests.support.protocol_rigs.contact_center import OTHER_AGENT_ID, SUPERVISOR_KINDS, contact_center_rig
from tests.support.protocol_rigs.event_tap import tapped
from tests.support.protocol_rigs.refusals import refused

pytestmark = pytest.mark.parametrize("kind", SUPERVISOR_KINDS)
QUEUES = ["billing", "tech_support", "sales"]
QUEUE_NAMES = ["Billing", "Technical support", "Sales"]


async def test_the_floor_its_statistics_and_a_supervisor_s_actions(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        console = rig.supervisor_console
        await console.check_access()
        queues = await console.list_queues()
        assert [(q.id, q.name) for q in queues] == [
            (rig.queue_ref(q), name) for q, name in zip(QUEUES, QUEUE_NAMES, strict=True)
        ]
        billing_id, sales_id = rig.queue_ref("billing"), rig.queue_ref("sales")
        waiting = await rig.place_call("(512) 555-0100", subject="Charged twice")
        assert [c.id for c in await console.waiting_contacts(billing_id)] == [rig.contact_ref(waiting.id)]
        billing = {s.queue_id: s for s in await console.queue_stats("30m")}[billing_id]
        assert (billing.window, billing.waiting, billing.arrived, billing.staffed) == ("30m", 1, 1, 0)
        assert billing.agents_by_state["offline"] >= 1
        assert billing.longest_wait_s >= 0
        if kind == "twilio":  # the workflow routes a task by its attributes; TaskRouter has no queue priority
            assert not console.capabilities.queue_priority
            assert "workflow" in (await refused(console.move_contact(rig.contact_ref(waiting.id), sales_id))).message
            assert (await refused(console.set_queue_priority(sales_id, 7))).status == 501
        else:
            moved = await console.move_contact(waiting.id, "sales")
            assert (moved.queue_id, moved.state) == ("sales", ContactState.QUEUED)
            assert (await console.set_queue_priority("sales", 7)).priority == 7

        other = rig.agent_ref(OTHER_AGENT_ID)
        agent = await console.set_agent_state(other, AgentState.NOT_READY, "Coaching")
        assert (agent.state, agent.reason) == (AgentState.NOT_READY, "Coaching")
        floor = {activity.agent.id: activity for activity in await console.list_agents()}
        assert len(floor) == 7
        assert floor[other].agent.state == AgentState.NOT_READY
        assert await console.agent_contacts_today(other) == []
        if console.capabilities.native_next_state:  # the state after the contact in hand
            agent = await console.set_agent_next_state(other, AgentState.OFFLINE)
            assert (agent.state, agent.next_state) == (AgentState.OFFLINE, None)  # nothing in hand: it applies now
        else:  # TaskRouter keeps no next state: refused in words, never sent
            assert kind == "twilio"
            assert (await refused(console.set_agent_next_state(other, AgentState.OFFLINE))).status == 501
        if kind != "twilio":
            assert (await refused(console.move_contact("c-999999", "sales"))).status == 404


async def test_the_stream_starts_with_the_floor_then_pushes_changes_and_statistics(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.supervisor_console.events()) as events:
        assert (await events.next(lambda e: isinstance(e, LinkStatus), rig.pass_time, 5, "the link")).connected
        floor = await events.next(lambda e: isinstance(e, FloorSnapshot), rig.pass_time, 5, "the floor")
        assert len(floor.agents) == 7
        assert [q.name for q in floor.queues] == QUEUE_NAMES
        await rig.backend.set_state(AgentState.AVAILABLE)
        changed = await events.next(lambda e: isinstance(e, AgentStateEvent), rig.pass_time, 5, "an agent's state")
        assert (changed.agent.id, changed.agent.state) == (rig.agent_ref("agent-001"), AgentState.AVAILABLE)
        contact = await rig.place_call("(512) 555-0100")
        seen = await events.next(lambda e: isinstance(e, ContactEvent), rig.pass_time, 5, "the new contact")
        assert seen.contact.id == rig.contact_ref(contact.id)
        stats = await events.next(lambda e: isinstance(e, QueueStatsEvent), rig.pass_time, 6, "queue statistics")
        assert {s.queue_id for s in stats.today} == {rig.queue_ref(q) for q in QUEUES}


async def test_the_twilio_figures_follow_the_floor(kind: str, tmp_path: Path) -> None:
    """Waiting, the longest wait, answered within the service level, and agents by Activity, as TaskRouter's
    statistics say them, against what the engine did: a call answered by the demo agent, one left waiting."""
    if kind != "twilio":
        pytest.skip("the Twilio console's reading of TaskRouter's figures")
    async with contact_center_rig(kind, tmp_path) as rig:
        console = rig.supervisor_console
        await rig.backend.set_state(AgentState.AVAILABLE)
        first = await rig.place_call("(512) 555-0100")
        offers = []
        for _ in range(50):
            offers = await rig.backend.list_offers()
            if offers:
                break
            await rig.pass_time(0.1)
        contact = await rig.backend.accept_offer(offers[0].id)
        assert contact.id == rig.contact_ref(first.id)
        second = await rig.place_call("(512) 555-0101")  # nobody free: it waits
        await rig.pass_time(1.1)
        billing = {s.queue_id: s for s in await console.queue_stats("today")}[rig.queue_ref("billing")]
        assert (billing.waiting, billing.arrived, billing.answered, billing.abandoned) == (1, 2, 1, 0)
        assert billing.answered_within_threshold == 1
        assert billing.service_level_pct == 100.0
        assert billing.longest_wait_s >= 1
        assert billing.asa_s is not None
        assert billing.agents_by_state["available"] >= 1, (
            billing.agents_by_state
        )  # on a call: still Available in TaskRouter
        assert [c.id for c in await console.waiting_contacts(rig.queue_ref("billing"))] == [rig.contact_ref(second.id)]
        floor = {a.agent.id: a for a in await console.list_agents()}  # busy from the reservation, not the Activity
        me = floor[rig.agent_ref("agent-001")]
        assert (me.agent.state, [c.id for c in me.contacts]) == (AgentState.BUSY, [contact.id])
        today = await console.agent_contacts_today(rig.agent_ref("agent-001"))
        assert [c.id for c in today] == [contact.id]
    from tests.support.protocol_rigs.twilio import TwilioRig

    exchanges = of_kind(rig, TwilioRig).floor.transports[-1].exchanges
    console_read = {path.rsplit("/", 1)[-1] for _, path, status in exchanges if status == 200}
    # checked against the spec: the TaskQueues statistics list, the open Tasks, the Workers and the Events
    assert {"Statistics", "Tasks", "Workers", "Events"} <= console_read, console_read
