"""The `SupervisorConsole` protocol suite: the HTTP client against a real mock CCaaS on loopback, and the
in-process console over the engine's statistics, seeing the same floor and the same events."""

from __future__ import annotations

import pytest

from desktop.backends.link_status import LinkStatus
from desktop.backends.models import AgentState, AgentStateEvent, ContactEvent, ContactState
from desktop.backends.supervisor_models import FloorSnapshot, QueueStatsEvent
from tests.support.protocol_rigs.contact_center import KINDS, OTHER_AGENT_ID, contact_center_rig
from tests.support.protocol_rigs.event_tap import tapped
from tests.support.protocol_rigs.refusals import refused

pytestmark = pytest.mark.parametrize("kind", KINDS)


async def test_the_floor_its_statistics_and_a_supervisor_s_actions(kind, tmp_path):
    async with contact_center_rig(kind, tmp_path) as rig:
        console = rig.supervisor_console
        await console.check_access()
        assert [q.id for q in await console.list_queues()] == ["billing", "tech_support", "sales"]
        waiting = await rig.place_call("(512) 555-0100", subject="Charged twice")
        assert [c.id for c in await console.waiting_contacts("billing")] == [waiting.id]
        billing = {s.queue_id: s for s in await console.queue_stats("30m")}["billing"]
        assert (billing.window, billing.waiting, billing.arrived, billing.staffed) == ("30m", 1, 1, 0)
        moved = await console.move_contact(waiting.id, "sales")
        assert (moved.queue_id, moved.state) == ("sales", ContactState.QUEUED)
        assert (await console.set_queue_priority("sales", 7)).priority == 7

        agent = await console.set_agent_state(OTHER_AGENT_ID, AgentState.NOT_READY, "Coaching")
        assert (agent.state, agent.reason) == (AgentState.NOT_READY, "Coaching")
        floor = {activity.agent.id: activity for activity in await console.list_agents()}
        assert len(floor) == 7 and floor[OTHER_AGENT_ID].agent.state == AgentState.NOT_READY
        assert await console.agent_contacts_today(OTHER_AGENT_ID) == []
        assert (await refused(console.move_contact("c-999999", "sales"))).status == 404


async def test_the_stream_starts_with_the_floor_then_pushes_changes_and_statistics(kind, tmp_path):
    async with contact_center_rig(kind, tmp_path) as rig:
        async with tapped(rig.supervisor_console.events()) as events:
            assert (await events.next(lambda e: isinstance(e, LinkStatus), rig.pass_time, 5, "the link")).connected
            floor = await events.next(lambda e: isinstance(e, FloorSnapshot), rig.pass_time, 5, "the floor")
            assert len(floor.agents) == 7 and [q.id for q in floor.queues] == ["billing", "tech_support", "sales"]
            await rig.backend.set_state(AgentState.AVAILABLE)
            changed = await events.next(lambda e: isinstance(e, AgentStateEvent), rig.pass_time, 5, "an agent's state")
            assert (changed.agent.id, changed.agent.state) == ("agent-001", AgentState.AVAILABLE)
            contact = await rig.place_call("(512) 555-0100")
            seen = await events.next(lambda e: isinstance(e, ContactEvent), rig.pass_time, 5, "the new contact")
            assert seen.contact.id == contact.id
            stats = await events.next(lambda e: isinstance(e, QueueStatsEvent), rig.pass_time, 6, "queue statistics")
            assert {s.queue_id for s in stats.today} == {"billing", "tech_support", "sales"}
