"""An AI-drafted wrap-up saved while the disk refuses the outbox: whatever the order of the
assistant's answer, the save, the disk filling and freeing, the CRM ends with exactly one interaction for the contact,
under one key, holding the disposition and notes the agent saved.

Before, a save the disk refused left the desk's draft as it was; the assistant's draft, answering after the save,
found the draft it was asked about unchanged, took it for the agent's and replaced it, and the wrap-up saved by
itself once the disk had room was the model's, not the one the agent had saved.

The desk is the app's own session and outbox sender over the mocks' real code in process, the model the mock model
server's engine (tests/support/in_process/model.py) held until the test lets it answer, the outbox on a disk the
test fills and frees (tests/support/full_disk_outbox.py). Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.session import AgentSession
from agent_desktop.domain.assist.protocol import AnswerSchema, ChatMessage, Usage
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.model.settings import ModelMockSettings
from tests.support.full_disk_outbox import FullDiskOutbox
from tests.support.hypothesis_profiles import examples
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.model import InProcessModel
from tests.support.write_back_search import until

SAVED = ("Resolved", "Refunded the duplicate charge; the customer is happy.")
# When each happens, in the order the desk meets them: the assistant answers, the agent saves, the disk fills, frees.
EVENTS = ["answer", "save", "fill", "free"]
WRAP_UP_ASKED = "Write the wrap-up's two lines"  # what the wrap-up's prompt asks the model (assist/prompt.py)


class HeldModel(InProcessModel):
    """The mock model's engine, answering a wrap-up only once the test lets it (`answer`); a suggested reply at
    once."""

    def __init__(self) -> None:
        super().__init__(ModelMockSettings(first_token_s=0.0, token_s=0.0))
        self.may_answer = asyncio.Event()
        self.wrap_ups_asked = 0

    async def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        if any(WRAP_UP_ASKED in message.content for message in messages):
            self.wrap_ups_asked += 1
            async with asyncio.timeout(10):
                await self.may_answer.wait()
        async for piece in super().reply(messages, max_tokens=max_tokens):
            yield piece


def plans() -> st.SearchStrategy[list[str]]:
    """The four events in any order where the disk frees after it fills and the save comes while it is full (the
    case the issue is about: a save the disk refused)."""
    return st.permutations(EVENTS).filter(lambda order: order.index("fill") < order.index("save") < order.index("free"))


@settings(max_examples=examples(24))
@given(order=plans())
def test_an_ai_wrap_up_saved_on_a_full_disk_reaches_the_crm_once_as_saved(order: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(played(Path(folder), order))


async def played(folder: Path, order: list[str]) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=folder / "mocks", seed=7, customers=20, experts=3, simulator=False, fresh=True)
    )
    model = HeldModel()
    backends = mocks.backends(folder / "desk" / "outbox.db", assist=model)
    backends.outbox.close()
    outbox = FullDiskOutbox(folder / "desk" / "outbox.db")
    backends = replace(backends, outbox=outbox)
    session = AgentSession(backends, mocks.clock.now, disk_retry_s=0.01)
    sender = OutboxSender(outbox, backends.crm, retry=Backoff(0.01, 0.05), disk_retry_s=0.01)
    controller, desk = session.controller, session.desk
    tasks = [asyncio.create_task(sender.run()), asyncio.create_task(controller.follow_contact_center())]
    try:
        await until(lambda: desk.agent is not None and bool(desk.queues), "the agent and the queues")
        await controller.go_available()
        contact = await mocks.place_call("gus@example.com", channel="chat", subject="Charged twice")
        await until(lambda: desk.offer is not None, "the offer")
        await controller.accept()
        await until(lambda: contact.id in desk.held, "the chat in hand")
        desk.selected_id = contact.id
        await mocks.customer_says(contact.id, "I was charged twice, please refund the duplicate charge")
        await until(lambda: any("refund" in i.text for i in desk.conversations[contact.id].items), "their message")
        await controller.end()
        await until(lambda: desk.held[contact.id].phase is Phase.WRAP_UP, "after-contact work")
        controller.settle()  # the redraw that asks the assistant for the wrap-up
        await until(lambda: model.wrap_ups_asked == 1, "the assistant asked for the wrap-up")
        for event in order:
            if event == "answer":
                model.may_answer.set()
                await until(
                    lambda: (
                        "Drafted by" in desk.wrap_ups.status.get(contact.id, ("",))[0]
                        or "kept" in desk.wrap_ups.status.get(contact.id, ("",))[0]
                    ),
                    "the assistant's draft said",
                )
            elif event == "save":
                await controller.wrap_up.save_wrap_up(contact.id, *SAVED)
            elif event == "fill":
                outbox.full = True
            else:
                outbox.full = False
        await until(lambda: contact.id not in desk.held, "the contact completed once the disk had room")
        await until(lambda: outbox.counts().pending == 0, "the outbox sent")
        crm = mocks.crm_app.state.crm.db.conn
        written = crm.execute(
            "select disposition, notes from interactions where contact_id = ?", [contact.id]
        ).fetchall()
        assert len(written) == 1, f"the CRM holds {len(written)} interactions of the contact: {written}"
        assert tuple(written[0]) == SAVED, "the wrap-up the agent saved, not the assistant's draft"
        keys = [key for (key,) in crm.execute("select key from idempotency_keys") if not key.endswith(":customer")]
        assert len(keys) == 1, f"one wrap-up, one key: {keys}"
    finally:
        model.may_answer.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await session.aclose()
        outbox.close()
        await mocks.aclose()
