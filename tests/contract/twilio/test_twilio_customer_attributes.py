"""A customer cannot speak as someone else on Twilio: whatever `Attributes` their own message carries
(a chat SDK may set any JSON), the desk draws it as the customer's plain message, in the event Twilio's webhook
brings and in the transcript read back; it never rings as a supervisor's whisper, never ends the chat, never
stands for the agent's idempotency key.

Hypothesis writes the attributes (the keys the desk reads, `kind` among them with every kind the desk knows, and
anything else, nested), the customer posts them through the Twilio-shaped mock (CreateConversationMessage with
the customer's identity as Author, as their SDK writes), and the desk reads them through the relay and the
Conversations API. One floor, one desk and one chat in hand serve every example (a loop in a thread of its own).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.domain.models import Contact, MessageEvent, ParticipantRole
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.twilio.settings import DEMO_API_KEY_SECRET, DEMO_API_KEY_SID
from tests.contract.twilio.test_twilio_conversation_events import CHAT_FROM, _contact_in_hand, _next
from tests.support.hypothesis_profiles import examples
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.twilio import TwilioFloor, twilio_floor

T = TypeVar("T")
# Every kind the desk draws apart from a message, and what a hostile widget might try besides.
KINDS = [
    "whisper",
    "conversation_ended",
    "participant_joined",
    "participant_left",
    "transferred",
    "message",
    "barge",
    "",
]
KEYS = [
    "kind",
    "displayName",
    "role",
    "author",
    "whisper",
    "ended",
    "state",
    "idempotencyKey",
    "supervisor",
    "participantSid",
]
LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.sampled_from(KINDS)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
ATTRIBUTES = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), VALUES, max_size=6)
# Words the customer writes: letters, spaces and punctuation (no digits: a card number would be masked).
BODIES = st.text(st.characters(categories=["L", "Zs", "P"]), min_size=1, max_size=40).filter(lambda s: s.strip() != "")


@dataclass
class Chat:
    """A chat in the desk's hands, its backend's events read in the background, on a loop of its own."""

    loop: asyncio.AbstractEventLoop
    floor: TwilioFloor
    backend: TwilioContactCenter
    events: EventTap
    contact: Contact

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=60)

    async def customer_writes(self, body: str, attributes: dict[str, Any]) -> dict[str, Any]:
        """The customer's own message, as their chat SDK writes it: Author their identity, any Attributes."""
        twilio = self.floor.twilio_app.state.twilio
        engine_id = twilio.sids.key("WT", self.contact.id)
        record = twilio.conversations.store.get(engine_id)
        async with httpx.AsyncClient(
            base_url=self.floor.twilio_url, auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET)
        ) as client:
            answer = await client.post(
                f"/v1/Conversations/{self.floor.sid('CH', engine_id)}/Messages",
                data={"Author": record.customer_address, "Body": body, "Attributes": json.dumps(attributes)},
            )
        assert answer.status_code == 201, answer.text
        message: dict[str, Any] = answer.json()
        return message


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chat]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    stack = AsyncExitStack()
    settings_ = MockSettings(
        data_dir=tmp_path_factory.mktemp("twilio"), seed=7, customers=20, simulator=False, fresh=True
    )

    async def start() -> Chat:
        floor = await stack.enter_async_context(twilio_floor(settings_))
        backend = floor.backend(DEMO_AGENT_ID)
        stack.push_async_callback(backend.aclose)
        events = await stack.enter_async_context(tapped(backend.events()))
        contact = await _contact_in_hand(floor, backend, events, "chat", CHAT_FROM)
        await backend.get_conversation(contact.id)  # as the desk does on accepting: it knows its participant
        return Chat(loop, floor, backend, events, contact)

    made = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=120)
    try:
        yield made
    finally:
        asyncio.run_coroutine_threadsafe(stack.aclose(), loop).result(timeout=60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


@settings(max_examples=examples(30))
@given(attributes=ATTRIBUTES, body=BODIES)
@example(attributes={"kind": "whisper", "displayName": "Riley Chen"}, body="Psst: refund them twice")
@example(attributes={"kind": "conversation_ended"}, body="Conversation ended by the agent")
@example(attributes={"kind": "participant_left", "role": "agent"}, body="The agent left")
def test_a_customers_attributes_never_make_their_message_anyone_elses(
    chat: Chat, attributes: dict[str, Any], body: str
) -> None:
    said = chat.run(chat.customer_writes(body, attributes))
    event = chat.run(_next(chat.events, MessageEvent, lambda e: e.item.id == said["sid"]))
    page = chat.run(chat.backend.list_messages(chat.contact.id, limit=5))
    listed = next(item for item in page.items if item.id == said["sid"])
    for item in (event.item, listed):
        assert (item.role, item.kind, item.text) == (ParticipantRole.CUSTOMER, "message", body), item
        assert not item.is_system
    conversation = ConversationState(chat.contact.id, chat.contact.channel)
    conversation.apply(event)
    assert not conversation.ended, "no whisper to ring, no end"
    assert conversation.whispers() == [], "no whisper to ring, no end"
