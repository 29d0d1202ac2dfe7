"""The conversation core's rules with no store, no event log and no engine: the routing engine's contact goes in,
what the customer, the agents and the supervisor would see comes out (the transcript's items, the events and
whose streams they go to)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from agent_desktop_mocks.ccaas.conversations.core import Changes, ConversationCore, Setup, item_number
from agent_desktop_mocks.ccaas.conversations.core.transcript import add_item
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import MessageEvent, TranscriptItem
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact, ContactState
from agent_desktop_mocks.ccaas.tables.intents import shipped
from agent_desktop_pci import CARD_MASK
from tests.support.narrowing import of_kind

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ANA, BO = "agent-ana", "agent-bo"


@dataclass
class World:
    """What the shell answers the core (`core.Facts`), kept in memory: names, timeouts, the items taken in so far."""

    at: datetime = START
    agents: dict[str, str] = field(default_factory=lambda: {ANA: "Ana Lima", BO: "Bo Chen"})
    timeouts: dict[str, int | None] = field(default_factory=lambda: {"chat": 300, "sms": 1800, "email": None})
    items: dict[int, TranscriptItem] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.at

    def agent_name(self, agent_id: str) -> str:
        return self.agents.get(agent_id, agent_id)

    def queue_name(self, queue_id: str) -> str:
        return queue_id.title()

    def timeout_s(self, record: ConversationRecord) -> int | None:
        return self.timeouts[record.channel.value]

    def next_item_number(self) -> int:
        return max(self.items, default=0) + 1

    def messages(self, contact_id: str, role: str, *, newest: int) -> list[tuple[int, TranscriptItem]]:
        found = [
            (n, item)
            for n, item in sorted(self.items.items())
            if item.contact_id == contact_id and item.role == role and item.kind == "message"
        ]
        return found[-newest:]

    def take(self, changes: Changes) -> Changes:
        """What the shell would store of it (the transcript: the core reads it back through `messages`)."""
        self.items.update(changes.added)
        self.items.update(changes.updated)
        return changes


class Chat:
    """One chat's contact as the engine changes it, and its conversation as the core keeps it."""

    def __init__(self, world: World, *, time_scale: float = 1.0) -> None:
        self.world = world
        self.core = ConversationCore(world, Setup(seed=7, customers_count=60, intents=shipped(), time_scale=time_scale))
        self.contact = Contact(
            id="c-1",
            channel=Channel.CHAT,
            queue_id="billing",
            queue_name="Billing",
            from_address="web-visitor",
            subject="Charged twice",
            state=ContactState.QUEUED,
            entered_queue_at=START,
        )
        self.record: ConversationRecord | None = None

    def engine(self, state: ContactState, agent_id: str | None = None, hop: str | None = None) -> Changes:
        path = [*self.contact.transfer_path, hop] if hop else self.contact.transfer_path
        self.contact = self.contact.model_copy(update={"state": state, "agent_id": agent_id, "transfer_path": path})
        changes = self.world.take(self.core.contact_changed(self.record, self.contact))
        self.record = changes.saved.get(self.contact.id, self.record)
        return changes

    def connected(self, agent_id: str) -> ConversationRecord:
        self.engine(ContactState.CONNECTED, agent_id)
        assert self.record is not None
        return self.record


def lines(changes: Changes) -> list[str]:
    return [item.text for item in changes.added.values()]


def kind(event: BaseModel) -> object:
    """An outgoing event's `type` tag (each kind of event has one; the changes hold them as BaseModel)."""
    return event.model_dump(include={"type"})["type"]


def test_an_arriving_chat_opens_with_the_customers_message_and_nothing_is_written_by_the_core() -> None:
    world = World()
    chat = Chat(world)

    changes = chat.core.contact_changed(None, chat.contact)

    assert world.items == {}  # the shell writes; the core only says what to
    (opening,) = changes.added.values()
    assert opening.role == "customer"
    assert opening.kind == "message"
    assert opening.text
    record = changes.saved["c-1"]
    assert (record.state, record.agent_id, record.customer_name) == ("active", None, "Web visitor")
    assert [(kind(out.event), out.supervisor, out.agents) for out in changes.events] == [("message", True, ())]


def test_an_agent_joining_is_told_to_the_customer_and_starts_the_inactivity_clock() -> None:
    world = World()
    chat = Chat(world, time_scale=10.0)
    chat.engine(ContactState.QUEUED)

    changes = chat.engine(ContactState.CONNECTED, ANA)

    assert lines(changes) == ["Ana Lima joined the conversation"]
    assert chat.record is not None
    assert chat.record.agent_id == ANA
    assert chat.record.inactivity_deadline == START + timedelta(seconds=30)  # 300 mock seconds at ten a second
    assert [(kind(out.event), out.agents) for out in changes.events] == [("participant_joined", (ANA,))]
    assert [notice.kind for notice in changes.notices] == ["joined"]  # the timeline arms the deadline


def test_a_transfer_moves_the_conversation_to_the_new_agent_with_the_note() -> None:
    world = World()
    chat = Chat(world)
    chat.engine(ContactState.QUEUED)
    chat.connected(ANA).transfer_note = (ANA, "wants a refund")

    changes = chat.engine(ContactState.CONNECTED, BO, hop=f"agent:{BO}")

    assert lines(changes) == [
        "Ana Lima transferred the conversation to Bo Chen. Note: wants a refund",
        "Ana Lima left the conversation",
        "Bo Chen joined the conversation",
    ]
    assert chat.record is not None
    assert (chat.record.agent_id, chat.record.transfer_note) == (BO, None)
    # Ana hears she left, Bo that he joined; each event goes to the agent who held the chat then
    assert [(kind(out.event), out.agents) for out in changes.events] == [
        ("message", (ANA,)),
        ("participant_left", (ANA,)),
        ("participant_joined", (BO,)),
    ]


def test_the_customer_is_told_when_the_agent_leaves_for_a_queue_and_no_clock_runs_while_nobody_holds_it() -> None:
    world = World()
    chat = Chat(world)
    chat.engine(ContactState.QUEUED)
    chat.connected(ANA)

    changes = chat.engine(ContactState.QUEUED, hop="queue:sales")

    left = [item for item in changes.added.values() if item.kind == "participant_left"]
    assert [(item.role, item.text, item.participant_id) for item in left] == [
        ("agent", "Ana Lima left the conversation", ANA)
    ]
    assert lines(changes)[0] == "Ana Lima transferred the conversation to the Sales queue"
    assert chat.record is not None
    assert (chat.record.state, chat.record.agent_id, chat.record.inactivity_deadline) == ("active", None, None)


def test_after_contact_work_ends_the_conversation_and_a_transfer_out_ends_it_as_such() -> None:
    world = World()
    chat = Chat(world)
    chat.engine(ContactState.QUEUED)
    chat.connected(ANA)

    changes = chat.engine(ContactState.AFTER_CONTACT_WORK, ANA)
    assert lines(changes) == ["Ana Lima ended the conversation"]
    assert chat.record is not None
    assert (chat.record.state, chat.record.ended_reason) == ("closed", "agent_ended")
    assert chat.engine(ContactState.COMPLETED, ANA).added == {}  # closed: the rest of the contact's life is not ours

    other = Chat(World())
    other.engine(ContactState.QUEUED)
    other.connected(ANA)
    out = other.engine(ContactState.CONNECTED, ANA, hop="address:+15550100")
    assert lines(out) == ["Ana Lima transferred the conversation to +15550100"]
    assert other.record is not None
    assert other.record.state == "active"  # still Ana's until her after-contact work
    other.engine(ContactState.AFTER_CONTACT_WORK, ANA)
    assert other.record.ended_reason == "transferred_out"


def test_a_card_number_split_over_two_messages_is_masked_in_the_earlier_one_too() -> None:
    world = World()
    chat = Chat(world)
    chat.engine(ContactState.QUEUED)
    record = chat.connected(ANA)
    first, said = chat.core.customer_says(record, "my card is 4111 1111")
    world.take(said)

    second, changes = chat.core.customer_says(record, "1111 1111 thanks")

    assert "4111" not in second.text
    assert CARD_MASK in second.text
    (earlier,) = changes.redacted  # published already: the shell rewrites it in the event log
    assert earlier.id == first.id
    assert "4111" not in earlier.text
    assert [notice.kind for notice in changes.notices] == ["customer_message"]


def test_a_card_number_split_within_one_command_goes_out_masked_and_is_not_rewritten_afterwards() -> None:
    """An email thread's opening lines are written by one command: the later line masks the earlier one before
    anything is published, so no unmasked copy is pushed and nothing is left to rewrite."""
    world = World()
    chat = Chat(world)
    record = chat.engine(ContactState.QUEUED).saved["c-1"]
    changes = Changes(world, chat.core.setup)
    first = add_item(changes, record, "customer", "Web visitor", "card 4111 1111")
    changes.publish(record, MessageEvent(contact_id="c-1", item=first))

    add_item(changes, record, "customer", "Web visitor", "1111 1111 there")

    assert changes.redacted == []
    assert "4111" not in changes.added[item_number(first.id)].text
    (published,) = [out.event for out in changes.events]
    assert "4111" not in of_kind(published, MessageEvent).item.text


def test_the_reply_awaited_is_kept_for_the_queues_sla_breaches() -> None:
    """A first reply until the agent writes; then the oldest customer message since the agent's last
    (figures/sla_breaches.py counts them), none once the agent has written last."""
    world = World()
    chat = Chat(world)
    chat.engine(ContactState.QUEUED)
    record = chat.connected(ANA)
    assert not record.agent_replied
    world.at = START + timedelta(seconds=20)
    world.take(chat.core.agent_says(record, ANA, "Hello, looking now.", None)[1])
    assert record.agent_replied
    assert record.reply_due_since is None
    world.at = START + timedelta(seconds=30)
    world.take(chat.core.customer_says(record, "It was on the 3rd.")[1])
    world.at = START + timedelta(seconds=40)
    world.take(chat.core.customer_says(record, "Any news?")[1])
    assert record.reply_due_since == START + timedelta(seconds=30), "the oldest unanswered message"
    world.take(chat.core.agent_says(record, ANA, "Refunded.", None)[1])
    assert record.reply_due_since is None
