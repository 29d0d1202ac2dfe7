"""A card number a customer splits between two conversations — half at the end of a chat another agent's desk wrote
back, the rest at the start of a later email to this agent — must not reach their CRM history whole.
Round four masked across the write-backs of one outbox only; the chat written by another desk is
in the CRM, not here. The desk now reads the customer's latest conversation from the CRM at the screen pop
(`CallerUseCases.read_earlier_lines`) and the wrap-up masks this one's customer text as going on from it.

On the mock CRM in-process: the screen pop's real read, the wrap-up's outbox entry, and the sender's write; the CRM
is read afterwards as any agent would read the history. (The mock contact center opens every chat and email with a
message of its own, so the email's first line is written here as the desk would hold it.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from agent_desktop.agent_desk.callers.lookups import CallerLookup
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Contact, InteractionCreate, TranscriptLine
from agent_desktop.domain.vocabulary import Channel, ContactState
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from tests.support.in_process.mocks import InProcessMocks
from tests.support.write_back_search import until

CARD = "4111111111111111"  # Luhn-valid: the classic test Visa
NOW = datetime.now(UTC)


def digits_in_a_row(texts: list[str]) -> str:
    """The customer's text as one run of digits, message after message (what a reader of the history could join)."""
    return "".join(re.sub(r"\D", "", text) for text in texts)


def said(text: str) -> TranscriptLine:
    return TranscriptLine(role="customer", name="Customer", text=text, at=NOW)


async def test_a_card_number_split_between_a_chat_and_a_later_email_is_not_whole_in_the_crm(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path / "m", seed=7, customers=20, simulator=False, fresh=True))
    crm = mocks.crm()
    outbox = Outbox(tmp_path / "outbox.db")
    controller = DeskController(Desk(DEMO_AGENT_ID), mocks.contact_center(), crm, mocks.presence(), outbox)
    try:
        customer = next(c for c in await crm.search_customers("a") if c.emails)
        chat = InteractionCreate(
            customer_id=customer.id,
            contact_id="c-elsewhere",
            channel=Channel.CHAT,
            agent_id="agent-002",
            queue_id="billing",
            disposition="Resolved",
            transcript=[said("Hi"), said("my card is 4111 1111")],
        )
        await crm.log_interaction(chat, "another-desk-1")  # another agent's desk wrote the chat back

        controller.desk.lookups["c-email"] = CallerLookup(customer.emails[0])  # as the email's offer starts it
        await controller.caller.look_up("c-email", customer.emails[0])  # the screen pop of the email
        lookup = controller.desk.lookups.get("c-email")
        assert lookup is not None
        assert lookup.record is not None
        await until(lambda: lookup.earlier_customer is not None, "the chat's last lines read from the CRM")
        email = Contact(
            id="c-email",
            channel=Channel.EMAIL,
            queue_id="billing",
            queue_name="Billing",
            from_address=customer.emails[0],
            state=ContactState.AFTER_CONTACT_WORK,
            entered_queue_at=NOW,
        )
        entry = enqueue_wrap_up(
            outbox,
            email,
            DEMO_AGENT_ID,
            "Resolved",
            "Refund confirmed",
            customer.id,
            transcript=[said("1111 1111 is the rest of it, thanks")],
            earlier_in_crm=lookup.earlier_customer,
        )
        await OutboxSender(outbox, crm).send_due()
        assert (outbox.get(entry.key) or entry).state is EntryState.SENT

        history = sorted((await crm.customer_record(customer.id)).interactions, key=lambda i: i.created_at)
        texts = [
            line.text
            for interaction in history
            if interaction.transcript_count
            for line in (await crm.interaction(interaction.id)).transcript
            if line.role == "customer"
        ]
        assert texts[:2] == ["Hi", "my card is 4111 1111"], "the chat as the other desk wrote it"
        assert CARD not in digits_in_a_row(texts), texts
        assert texts[-1].endswith("is the rest of it, thanks"), texts
        assert "1111 1111" not in texts[-1], texts
    finally:
        await controller.aclose()
        outbox.close()
        await mocks.aclose()
