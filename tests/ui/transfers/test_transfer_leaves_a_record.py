"""Whoever transfers a contact records why: a blind transfer took the agent straight to
Available with no disposition, no notes and nothing in the outbox or the CRM. Now the contact's interaction is
written back through the outbox, as a wrap-up is, with "Transferred", the target and the note for the next agent.
"""

from __future__ import annotations

from agent_desktop.domain.models import Target
from agent_desktop.domain.vocabulary import TargetKind
from agent_desktop.outbox.payloads import InteractionWrite
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, wait_until
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import agent_screen, desk_app_of


async def test_a_blind_transfer_to_a_queue_writes_a_transferred_interaction_through_the_outbox(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        screen = agent_screen(pilot)
        desk = screen.desk
        (contact_id,) = desk.held
        queue = next(q for q in desk.queues.values() if q.id != desk.held[contact_id].contact.queue_id)
        await screen.controller.transfer(
            Target(kind=TargetKind.QUEUE, id=queue.id, name=queue.name), "blind", note="Wants the fibre upgrade"
        )
        await wait_until(pilot, lambda: not desk.held, "the contact gone from the agent")
        outbox = present(desk_app_of(pilot).runtime.agent).controller.outbox
        entries = [e for e in outbox.recent() if e.contact_id == contact_id]
        assert entries, "a record of the transfer in the outbox"
        payload = of_kind(entries[0].payload, InteractionWrite)
        interaction = payload.interaction
        assert interaction.disposition == "Transferred"
        assert queue.name in interaction.notes
        assert "Wants the fibre upgrade" in interaction.notes
        assert payload.customer_id or payload.address, "attributed to the caller"
