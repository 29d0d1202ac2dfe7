"""Contract: the desktop's contact-center client against the real mock CCaaS parses every conversation
shape the server sends (transcript pages, items, the conversation, every new event type) and maps
its refusals to BackendError."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from httpx_sse import aconnect_sse
from pydantic import TypeAdapter

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Channel,
    ContactCenterEvent,
    ContactEvent,
    ConversationEndedEvent,
    DeliveredEvent,
    MessageEvent,
    OfferEvent,
    ParticipantJoinedEvent,
    ParticipantLeftEvent,
    ParticipantRole,
    ReadEvent,
    Target,
    TargetKind,
    TypingEvent,
)
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.support.narrowing import present
from tests.support.streams import close_stream

EVENT = TypeAdapter(ContactCenterEvent)
CONVERSATION_EVENTS = {
    "message",
    "typing",
    "delivered",
    "read",
    "participant_joined",
    "participant_left",
    "conversation_ended",
}


@pytest.fixture
def ccaas_url(tmp_path: Path) -> Iterator[str]:
    settings = MockSettings(data_dir=tmp_path, seed=7, customers=60, simulator=False, speed=40, fresh=True)
    running = serve_in_thread([create_app(settings)])
    try:
        yield running.urls[0]
    finally:
        running.stop()


def place(url: str, channel: str, subject: str = "Charged twice this month", address: str = "+12125550100") -> str:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}) as supervisor:
        body = {"queue_id": "billing", "channel": channel, "from_address": address, "subject": subject}
        response = supervisor.post("/v1/contacts", json=body)
        assert response.status_code == 201, response.text
        answer: str = response.json()["id"]
        return answer


T = TypeVar("T")


async def next_of(events: AsyncIterator[object], kind: type[T], timeout_s: float = 8.0, **where: object) -> T | None:
    """The next event of `kind` with those fields (None if the stream ends first)."""

    async def find() -> T | None:
        async for item in events:
            if isinstance(item, kind) and all(getattr(item, k) == v for k, v in where.items()):
                return item
        return None

    return await asyncio.wait_for(find(), timeout_s)


async def test_a_chat_through_the_client(ccaas_url: str) -> None:
    cc = HttpContactCenter(ccaas_url, "demo-agent-token", "agent-001")
    events = cc.events()
    try:
        assert present(await next_of(events, LinkStatus)).connected
        await cc.set_state(AgentState.AVAILABLE)
        contact_id = place(ccaas_url, "chat")
        offer = present(await next_of(events, OfferEvent)).offer
        accepted = await cc.accept_offer(offer.id)
        # The answer names the stream's event that carries the same contact (X-Event-Ids), and only that one.
        connected = await next_of(events, ContactEvent)
        assert accepted.event_ids == (present(connected).event_id,)
        assert present(connected).contact == accepted.without_event_ids()
        joined = await next_of(events, ParticipantJoinedEvent, contact_id=contact_id)
        assert present(joined).item.role is ParticipantRole.AGENT
        assert present(joined).item.is_system
        assert (present(present(joined).inactivity_deadline) - present(joined).item.created_at).total_seconds() == 300

        conversation = await cc.get_conversation(contact_id)
        assert conversation.channel is Channel.CHAT
        assert conversation.unread == 1
        assert conversation.limits.max_chars == 4096
        assert conversation.inactivity_deadline is not None
        page = await cc.list_messages(contact_id)
        opening = page.items[0]
        assert opening.role is ParticipantRole.CUSTOMER
        assert not opening.is_system
        assert not page.has_more

        sent = await cc.send_message(contact_id, "Could you verify your email address?", idempotency_key="k-1")
        again = await cc.send_message(contact_id, "Could you verify your email address?", idempotency_key="k-1")
        assert (again.id, again.text) == (sent.id, sent.text)  # the same item (maybe delivered by now)
        assert again.event_ids == ()  # its event was named by the first answer
        mine = await next_of(events, MessageEvent, contact_id=contact_id)
        assert present(mine).item == sent.without_event_ids()
        assert present(mine).inactivity_deadline is not None
        assert sent.event_ids == (present(mine).event_id,)
        assert present(await next_of(events, DeliveredEvent, contact_id=contact_id)).item_id == sent.id
        read = await next_of(events, ReadEvent, contact_id=contact_id)
        assert present(read).role is ParticipantRole.CUSTOMER
        assert present(read).up_to_item_id == sent.id
        assert present(await next_of(events, TypingEvent, contact_id=contact_id)).typing is True
        answer = await next_of(events, MessageEvent, contact_id=contact_id)
        assert present(answer).item.role is ParticipantRole.CUSTOMER
        assert present(answer).item.text.startswith("Sure, my email is")
        # either side's message moves it
        assert present(present(answer).inactivity_deadline) > present(present(mine).inactivity_deadline)

        await cc.set_typing(contact_id, True)
        marked = await cc.mark_read(contact_id, present(answer).item.id)
        assert marked.unread == 0
        assert marked.agent_last_read_item_id == present(answer).item.id
        older = await cc.list_messages(contact_id, before=sent.id, limit=1)
        assert [i.id for i in older.items] == [page.items[-1].id]
        assert older.has_more

        with pytest.raises(BackendError) as too_long:
            await cc.send_message(contact_id, "x" * 4097)
        assert too_long.value.status == 422
        assert "at most 4,096 characters" in too_long.value.message

        await cc.end_contact(contact_id)
        ended = await next_of(events, ConversationEndedEvent, contact_id=contact_id)
        assert present(ended).reason == "agent_ended"
        assert present(present(ended).item).is_system
        with pytest.raises(BackendError) as closed:
            await cc.send_message(contact_id, "one more thing")
        assert closed.value.status == 409
        assert closed.value.state == "after_contact_work"
    finally:
        await close_stream(events)
        await cc.aclose()


async def test_a_transfer_note_reaches_the_next_agent_and_an_sms_counts_segments(ccaas_url: str) -> None:
    first = HttpContactCenter(ccaas_url, "demo-agent-token", "agent-001")
    second = HttpContactCenter(ccaas_url, "agent-002-token", "agent-002")
    events = first.events()
    try:
        assert present(await next_of(events, LinkStatus)).connected
        await first.set_state(AgentState.AVAILABLE)
        await second.set_state(AgentState.AVAILABLE)
        contact_id = place(ccaas_url, "sms")
        offer = present(await next_of(events, OfferEvent)).offer  # agent-001 has been idle longest
        assert offer.contact.id == contact_id
        await first.accept_offer(offer.id)
        item = await first.send_message(contact_id, "x" * 161)
        assert (item.segments, item.encoding) == (2, "GSM-7")

        target = Target(kind=TargetKind.AGENT, id="agent-002")
        await first.transfer_contact(contact_id, target, note="Wants a refund")
        await second.accept_offer((await second.list_offers())[0].id)
        items = (await second.list_messages(contact_id)).items
        transferred = [i for i in items if i.kind == "transferred"]
        assert len(transferred) == 1
        assert transferred[0].text.endswith(". Note: Wants a refund")
        assert transferred[0].role is ParticipantRole.SYSTEM
        with pytest.raises(BackendError) as gone:
            await first.list_messages(contact_id)
        assert gone.value.status == 403
        left = await next_of(events, ParticipantLeftEvent, contact_id=contact_id)
        assert present(left).item.participant_id == "agent-001"
    finally:
        await close_stream(events)
        await first.aclose()
        await second.aclose()


SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}


def _customer_lines(url: str, contact_id: str) -> int:
    items = httpx.get(f"{url}/v1/contacts/{contact_id}/messages", headers=SUPERVISOR, timeout=5).json()["items"]
    return sum(1 for i in items if i["role"] == "customer" and i["kind"] == "message")


def _conversation_state(url: str, contact_id: str) -> str:
    answer: str = httpx.get(f"{url}/v1/contacts/{contact_id}/conversation", headers=SUPERVISOR, timeout=5).json()[
        "state"
    ]
    return answer


async def _until(check: Callable[[], object], what: str, timeout_s: float = 15.0) -> None:
    """Until `check()` holds (bounded): what the simulated customer does, without a fixed wait."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await asyncio.to_thread(check):
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_every_conversation_event_on_the_wire_parses(ccaas_url: str) -> None:
    """Read the raw stream: each conversation event type the server sent is one the desktop parses."""
    cc = HttpContactCenter(ccaas_url, "demo-agent-token", "agent-001")
    try:
        await cc.set_state(AgentState.AVAILABLE)
        contact_id = place(ccaas_url, "chat")
        await cc.accept_offer((await cc.list_offers())[0].id)
        await cc.send_message(contact_id, "Could you verify your email address?")
        await _until(lambda: _customer_lines(ccaas_url, contact_id) >= 2, "the customer's answer")  # read, typed
        await cc.send_message(contact_id, "It's sorted. Have a great day, bye!")  # the customer leaves
        await _until(lambda: _conversation_state(ccaas_url, contact_id) == "closed", "the customer to leave")
        seen: set[str] = set()
        headers = {"Authorization": "Bearer demo-agent-token", "Last-Event-ID": "0"}
        async with (
            httpx.AsyncClient(base_url=ccaas_url, headers=headers) as raw,
            aconnect_sse(raw, "GET", "/v1/agents/agent-001/events", timeout=httpx.Timeout(5, read=1)) as source,
        ):
            try:
                async for event in source.aiter_sse():
                    parsed = EVENT.validate_json(event.data)  # raises if the desktop cannot read it
                    assert parsed.type == event.event
                    seen.add(event.event)
            except httpx.ReadTimeout:
                pass
        assert seen >= CONVERSATION_EVENTS, seen
    finally:
        await cc.aclose()
