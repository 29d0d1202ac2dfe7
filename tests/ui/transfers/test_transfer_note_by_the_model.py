"""The assistant's summary in a transfer's note, where a model is configured: the transfer dialog opens with the
rules' note at once, marked "the assistant is drafting one"; the model's summary (masked) replaces it when it comes,
the box saying whose draft it is, and it is what the next agent reads; a note the agent edited meanwhile is kept
(`n` puts the cursor after the draft: what they type adds to it).
On the in-process mocks and the mock model server's own engine."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import wait_until
from tests.support.scenes.pilot_steps import type_burst
from tests.ui.assist.test_reply_suggestions_in_process import CARD, assisted, chat_in_hand

SIZE = (120, 40)


async def open_transfer(pilot: Pilot[None], mocks: InProcessMocks, address: str) -> tuple[str, Input]:
    contact_id = await chat_in_hand(pilot, mocks, address, "Charged twice this month")
    await mocks.customer_says(contact_id, f"I was charged twice on my card {CARD}, please refund one")
    desk = pilot.app.screen.desk  # type: ignore[attr-defined]  # the agent screen's
    await wait_until(pilot, lambda: len(desk.conversations[contact_id].items) >= 2, "the customer's message")
    await pilot.press("escape")  # out of the composer, back to the contacts
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TransferDialog), "the transfer dialog")
    return contact_id, pilot.app.screen.query_one("#transfer-note", Input)


async def test_the_models_summary_replaces_the_rules_note_and_reaches_the_next_agent(mocks: InProcessMocks) -> None:
    app, model = assisted(mocks, first_token_s=2.0, token_s=0.01)  # the dialog opens well before it answers
    async with app.run_test(size=SIZE) as pilot:
        contact_id, box = await open_transfer(pilot, mocks, "ivy@example.com")
        assert box.value.startswith("Intent: "), "the rules' note at once"
        assert "the assistant is drafting one" in str(box.border_subtitle)
        await wait_until(pilot, lambda: "drafted by mock-grounded" in str(box.border_title), "the model's note")
        assert not box.value.startswith("Intent: "), box.value
        assert box.value, "the model's summary"
        assert "\n" not in box.value
        assert CARD not in box.value
        assert not str(box.border_subtitle)
        assert all(CARD not in body for body in model.bodies()), "the card never reached the model"
        note = box.value

        await pilot.press("1", "enter")  # the first queue offered, transferred blind
        desk = pilot.app.screen.desk  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: contact_id not in desk.held, "the chat gone to the queue")
        handover = mocks.engine.read.contact(contact_id).handover
        assert handover is not None
        assert handover.note == note


async def test_a_note_the_agent_edited_is_kept_when_the_model_answers(mocks: InProcessMocks) -> None:
    app, _ = assisted(mocks, first_token_s=3.0, token_s=0.01)  # slower than the typing below
    async with app.run_test(size=SIZE) as pilot:
        _, box = await open_transfer(pilot, mocks, "lee@example.com")
        await pilot.press("n")
        await wait_until(pilot, lambda: pilot.app.focused is box, "in the note")
        await type_burst(pilot, " Mine.")
        typed = box.value
        assert typed.startswith("Intent: "), "n edits the drafted note: the keys typed do not replace it"
        assert typed.endswith(" Mine."), typed
        await wait_until(pilot, lambda: not str(box.border_subtitle), "the model answered", timeout_s=20)
        assert box.value == typed
        assert "drafted by" not in str(box.border_title)
