"""A summary that travels with a transfer: the transfer dialog opens with its note drafted from the conversation
(or the call) so far (why the customer came, the facts, what the agent said, their last words; card data masked),
which the agent edits or clears; the contact center writes the note into the transcript the next agent reads, and
keeps it on the contact: the next agent reads it on the offer, before answering, and on a call above what is said
(the lines said before they joined sent to them too)."""

from __future__ import annotations

from textual.widgets import Input

from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop_mocks.ccaas.api.routers import contacts
from agent_desktop_mocks.ccaas.core.wire.requests import ContactCreate
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState as CenterState
from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData, Target
from agent_desktop_mocks.demo_people import callers
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, take, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen
from tests.ui.transcripts.test_call_transcript_in_process import answered_call, heard, step_until

CARD = "4111 1111 1111 1111"


def transcript_texts(mocks: InProcessMocks, contact_id: str) -> list[str]:
    items, _ = mocks.ccaas_app.state.conversations.service.store.page(contact_id, None, 200)
    return [item.text for item in items]


async def test_the_note_is_the_conversation_so_far_and_reaches_the_next_agents_transcript(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        contact_id = await take(pilot, mocks, "web:dana", "chat", "Charged twice")
        await mocks.customer_says(contact_id, f"It was order 12345, paid with {CARD}. Please refund one.")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: len(desk.conversations[contact_id].items) >= 2, "the customer's second message")

        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TransferDialog), "the transfer dialog")
        note = pilot.app.screen.query_one("#transfer-note", Input).value
        assert note.startswith("Intent: Billing dispute: charged twice"), note
        assert "12345" in note
        assert CARD not in note
        assert "Customer's last message" in note

        await pilot.press("1", "enter")  # the first queue offered, transferred blind
        await wait_until(pilot, lambda: contact_id not in desk.held, "the chat gone to the queue")
        (transferred,) = [text for text in transcript_texts(mocks, contact_id) if "transferred" in text]
        assert f"Note: {note}" in transferred


async def test_a_calls_note_is_drafted_from_what_was_said_and_travels_on_the_contact(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await answered_call(pilot, mocks)
        await step_until(pilot, mocks, lambda: "money back" in heard(pilot), "the caller asking for their money")
        contact_id = agent_screen(pilot).desk.selected_id

        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TransferDialog), "the transfer dialog")
        box = pilot.app.screen.query_one("#transfer-note", Input)
        assert box.display, "a call's note is offered too: it travels on the contact"
        assert "drafted from the call" in str(box.border_title)
        assert box.value.startswith("Intent: Billing dispute: charged twice"), box.value
        assert "money back" in box.value

        await pilot.press("1", "enter")  # the first queue offered, transferred blind
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: contact_id not in desk.held, "the call gone to the queue")
        handover = mocks.engine.read.contact(contact_id).handover
        assert handover is not None
        assert (handover.note, handover.by) == (box.value, "Alex Morgan")


async def test_a_call_transferred_to_the_agent_shows_the_note_on_the_offer_and_above_the_lines(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        mocks.engine.agents.set_agent_state("agent-001", CenterState.NOT_READY, reason="Meeting")
        mocks.engine.agents.set_agent_state("agent-002", CenterState.AVAILABLE)
        caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
        body = ContactCreate(
            queue_id="billing",
            channel="voice",
            from_address=caller.phone_e164,
            attached=AttachedData(intent="billing_inquiry"),
        )
        contact = await contacts.create(body, SUPERVISOR, mocks.engine, mocks.ccaas_app.state.scope)
        await mocks.connect_offer("agent-002")
        mocks.time.advance(20)  # Stephanie and the caller speak
        await pilot.press("v")  # Alex available again
        await wait_until(
            pilot, lambda: present(agent_screen(pilot).desk.agent).state == AgentState.AVAILABLE, "available"
        )
        note = "Charged twice, refund promised; card 4111 1111 1111 1111 on file"
        mocks.engine.transfers.transfer(contact.id, Target(kind="agent", id="agent-001"), note=note)

        offer = pilot.app.screen.query_one("#offer")
        await wait_until(pilot, lambda: "↪ Stephanie Cox: Charged twice" in str(offer.render()), "the note offered")
        assert "4111 1111" not in str(offer.render())
        await pilot.press("a")
        await step_until(pilot, mocks, lambda: "charged twice this month" in heard(pilot), "what was said before")
        above = str(pilot.app.screen.query_one("#call-handover").render())
        assert "Note from Stephanie Cox" in above, above
        assert "refund promised; card •••• 1111 on file" in above, above
