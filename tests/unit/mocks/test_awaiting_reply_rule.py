"""Awaiting our reply, as the contact center holds it: whatever happens in a conversation, it is awaiting
our reply exactly when a customer's message has had no agent's message after it, since the oldest such message. Only
the agent's message to the customer clears it: a supervisor's whisper or barge, a transfer, a read never do. The
property searches sequences of what happens; the oracle reads the transcript the shell would store."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.conversations.schemas import ItemKind, TranscriptItem
from agent_desktop_mocks.ccaas.core.wire.schemas import ContactState
from tests.unit.mocks.test_conversation_core import ANA, BO, Chat, World

Step = tuple[str, float]  # what happens, and how many seconds after the last step

STEPS = st.lists(
    st.tuples(
        st.sampled_from(["customer", "agent", "whisper", "barge", "read", "transfer"]),
        st.floats(min_value=0.5, max_value=120.0, allow_nan=False),
    ),
    max_size=25,
)


def oracle(items: list[TranscriptItem]) -> datetime | None:
    """The oldest customer message after the last agent message, from the transcript alone."""
    since = None
    for item in sorted(items, key=lambda i: i.index):
        if item.kind != "message":
            continue
        if item.role == "agent":
            since = None
        elif item.role == "customer" and since is None:
            since = item.created_at
    return since


@given(STEPS)
def test_awaiting_our_reply_is_the_oldest_customer_message_no_agent_message_answered(steps: list[Step]) -> None:
    world = World()
    chat = Chat(world)
    chat.engine(ContactState.QUEUED)
    record = chat.connected(ANA)
    agent = ANA
    for what, after_s in steps:
        world.at += timedelta(seconds=after_s)
        record = chat.record or record
        if what == "customer":
            world.take(chat.core.customer_says(record, "Any news on my refund?")[1])
        elif what == "agent":
            world.take(chat.core.agent_says(record, agent, "Looking into it now.")[1])
        elif what in ("whisper", "barge"):
            kind: ItemKind = "whisper" if what == "whisper" else "message"
            world.take(chat.core.add_item(record, "supervisor", "Sam Super", "Offer the credit", kind=kind)[1])
        elif what == "read":
            unread = sorted((n, i) for n, i in world.items.items() if i.role == "agent" and i.read_at is None)
            if unread:
                world.take(chat.core.customer_read(record, unread[-1][1].id, unread))
        else:  # a transfer to the other agent: the transcript goes with it, and so does what awaits a reply
            agent = BO if agent == ANA else ANA
            chat.engine(ContactState.CONNECTED, agent, hop=f"agent:{agent}")
        record = chat.record or record
        items = [i for i in world.items.values() if i.contact_id == record.contact_id]
        assert record.awaiting_reply_since == oracle(items), (what, [(i.role, i.kind) for i in items])
