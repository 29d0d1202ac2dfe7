"""The wrap-up summary drafted from a transcript: the intent, the facts, what the agent said
was done, card data masked. Conversations from the real mock's simulated customers on loopback, read
through the desktop's own client."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.domain.models import ParticipantRole, TranscriptItem
from agent_desktop.writing_aids.summary import draft_summary
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN
from tests.support.conversation_rig import (  # noqa: F401  (fixtures)
    agent,
    contact_in_hand,
    customer_lines,
    expected_customer,
    send,
    supervisor,
    url,
    wait_for_transcript,
)

AT = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


async def summary_of(url: str, contact_id: str) -> str:
    """The summary drafted from the conversation as the desktop's own client reads it."""
    cc = HttpContactCenter(url, DEMO_AGENT_TOKEN, "agent-001")
    try:
        page = await cc.list_messages(contact_id, limit=200)
    finally:
        await cc.aclose()
    return draft_summary(page.items)


async def test_a_billing_chat_is_summed_up_with_its_facts_and_the_agents_promise(
    url: str, agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor, subject="Charged twice this month")
    _, customer, _ = expected_customer(contact)
    wait_for_transcript(agent, contact["id"], lambda items: len(customer_lines(items)) >= 1)
    send(
        agent,
        contact["id"],
        "I'm sorry about that. I will refund the second payment; it usually shows within 3 to 5 days.",
    )
    wait_for_transcript(agent, contact["id"], lambda items: len(customer_lines(items)) >= 2)
    summary = await summary_of(url, contact["id"])
    lines = summary.splitlines()
    assert lines[0] == "Intent: Billing dispute: charged twice", summary
    facts = lines[1]
    assert facts.startswith("Facts: "), summary
    assert customer.facts["amount"] in facts, summary
    assert customer.facts["date"] in facts, summary
    assert "Agent: I will refund the second payment; it usually shows within 3 to 5 days." in summary
    assert lines[-1].startswith("Customer's last message: ")


def item(role: ParticipantRole, text: str, index: int = 0) -> TranscriptItem:
    return TranscriptItem(
        id=f"i-{index}", contact_id="c-1", index=index, role=role, display_name="x", text=text, created_at=AT
    )


def test_card_data_never_reaches_the_summary_and_orders_and_cases_are_facts() -> None:
    items = [
        item(ParticipantRole.CUSTOMER, "My order #482913 has not arrived. Card 4111 1111 1111 1111, code 123.", 0),
        item(ParticipantRole.AGENT, "Thanks. I have opened case-000042 and I'll ask the carrier today.", 1),
        item(ParticipantRole.SYSTEM, "Agent Alex joined", 2),
    ]
    summary = draft_summary(items)
    assert "4111 1111 1111 1111" not in summary
    assert "123" not in summary.replace("482913", "")
    assert summary.splitlines()[0] == "Intent: Order not arrived"
    assert "order #482913" in summary
    assert "case 000042" in summary
    assert "today" in summary
    assert "Agent: I have opened case-000042 and I'll ask the carrier today." in summary  # not the "Thanks."
    assert "Card •••• 1111, [security code removed]" in summary


def test_an_empty_conversation_drafts_nothing_and_an_unknown_intent_asks_the_agent() -> None:
    assert draft_summary([item(ParticipantRole.SYSTEM, "Chat started")]) == ""
    assert "not recognised" in draft_summary([item(ParticipantRole.CUSTOMER, "Hello?")])


def test_a_conversation_of_thousands_of_messages_is_summed_up_from_its_start_and_its_end() -> None:
    """Why the customer came (the start) and how it was left (the end); the middle is not read, so that
    entering wrap-up on a 5,000-message chat does not hold the screen for seconds."""
    roles = (ParticipantRole.AGENT, ParticipantRole.CUSTOMER)
    middle = [item(roles[i % 2], f"Still here, line {i}.", i) for i in range(1, 5_000)]
    items = [
        item(ParticipantRole.CUSTOMER, "I was charged twice for November.", 0),
        *middle,
        item(ParticipantRole.AGENT, "I will refund the second payment today.", 5_000),
        item(ParticipantRole.CUSTOMER, "Thanks, bye", 5_001),
    ]
    summary = draft_summary(items)
    assert summary.splitlines()[0] == "Intent: Billing dispute: charged twice"
    assert "Agent: I will refund the second payment today." in summary
    assert summary.splitlines()[-1] == 'Customer\'s last message: "Thanks, bye"'


async def test_an_email_is_summed_up_from_what_the_agent_wrote_not_the_automatic_acknowledgement(
    url: str, agent: httpx.Client, supervisor: httpx.Client
) -> None:
    """The thread's acknowledgement ("We have received your message…", sent before any agent took
    the email) was credited to the agent, and the agent's own reply was left out."""
    contact = contact_in_hand(agent, supervisor, channel="email", subject="Charged twice this month")
    wait_for_transcript(agent, contact["id"], lambda items: len(customer_lines(items)) >= 2)
    send(agent, contact["id"], "The second payment has been refunded to your card.")
    summary = await summary_of(url, contact["id"])
    assert "received your message" not in summary, summary
    assert "Agent: The second payment has been refunded to your card." in summary, summary
