"""A summary that travels with a transfer: the transfer dialog opens on a chat with its note drafted from the
conversation so far (why the customer came, the facts, what the agent said, their last words; card data masked),
which the agent edits or clears; the contact center writes the note into the transcript the next agent reads."""

from __future__ import annotations

from textual.widgets import Input

from agent_desktop.ui.agent.dialogs.transfer_dialog import TransferDialog
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen

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
