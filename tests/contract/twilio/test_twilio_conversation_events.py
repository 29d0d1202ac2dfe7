"""Twilio Conversations' events and receipts channel by channel, through the Twilio-shaped mock, its signed
webhooks and the relay (docs/vendors/twilio-conversations.md): a web chat has no delivery receipts and its
customer's read receipt is their participant's read horizon (onParticipantUpdated); an SMS is delivered and
never read; a read mark costs the same few requests however long the transcript."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.domain.models import AgentState, DeliveredEvent, MessageEvent, OfferEvent, ParticipantRole, ReadEvent
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.twilio.settings import DEMO_API_KEY_SECRET, DEMO_API_KEY_SID
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.twilio import TwilioFloor, twilio_floor

CHAT_FROM = "billy.smith3@example.com"
SMS_FROM = "(512) 555-0100"


def _settings(tmp_path: Path) -> MockSettings:
    # The customers' side at ten times human speed: delivery, reading and answering within seconds.
    return MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=60, simulator=False, fresh=True, speed=10.0)


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _next(events: EventTap, kind: type, where: Any = lambda e: True, within_s: float = 20.0) -> Any:
    return await events.next(lambda e: isinstance(e, kind) and where(e), _sleep, within_s, kind.__name__)


async def _contact_in_hand(floor: TwilioFloor, backend: Any, events: EventTap, channel: str, from_address: str) -> Any:
    async with httpx.AsyncClient(
        base_url=floor.ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
    ) as sup:
        body = {"queue_id": "billing", "channel": channel, "from_address": from_address}
        (await sup.post("/v1/contacts", json=body)).raise_for_status()
    await backend.set_state(AgentState.AVAILABLE)
    offer = (await _next(events, OfferEvent)).offer
    return await backend.accept_offer(offer.id)


def _relayed(floor: TwilioFloor, agent_id: str = DEMO_AGENT_ID) -> list[dict[str, str]]:
    """The webhooks and callbacks the relay kept for the agent's worker (what Twilio sent it)."""
    return [json.loads(kept.data) for kept in floor.kept(floor.worker_sid(agent_id))]


async def _message(floor: TwilioFloor, task_sid: str, message_sid: str) -> dict[str, Any]:
    """The message as Twilio's REST API shows it (FetchConversationMessage)."""
    conversation = floor.sid("CH", floor.twilio_app.state.twilio.sids.key("WT", task_sid))
    async with httpx.AsyncClient(base_url=floor.twilio_url, auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET)) as client:
        answer = await client.get(f"/v1/Conversations/{conversation}/Messages/{message_sid}")
    answer.raise_for_status()
    message: dict[str, Any] = answer.json()
    return message


async def test_a_web_chat_has_no_delivery_receipts_and_its_customer_reads_through_their_read_horizon(
    tmp_path: Path,
) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend(DEMO_AGENT_ID)
        try:
            async with tapped(backend.events()) as events:
                contact = await _contact_in_hand(floor, backend, events, "chat", CHAT_FROM)
                sent = await backend.send_message(contact.id, "The fee is waived.")
                read = await _next(events, ReadEvent, lambda e: e.role == ParticipantRole.CUSTOMER)
                assert (read.contact_id, read.up_to_item_id) == (contact.id, sent.id)
                await _next(events, MessageEvent, lambda e: e.item.role == ParticipantRole.CUSTOMER)  # they answer
                assert not [e for e in events.seen if isinstance(e, DeliveredEvent)], "no delivery receipt in a chat"
            webhooks = [p["EventType"] for p in _relayed(floor) if p.get("ConversationSid")]
            assert "onParticipantUpdated" in webhooks
            assert "onDeliveryUpdated" not in webhooks
            horizon = next(p for p in _relayed(floor) if p["EventType"] == "onParticipantUpdated")
            assert (horizon["Identity"], horizon["LastReadMessageIndex"]) == (CHAT_FROM, str(sent.index))
            assert (await _message(floor, contact.id, sent.id))["delivery"] is None
            conversation = await backend.get_conversation(contact.id)
            assert conversation.customer_last_read_item_id == sent.id, "the customer's participant keeps it"
        finally:
            await backend.aclose()


async def test_an_sms_is_delivered_and_never_read(tmp_path: Path) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend(DEMO_AGENT_ID)
        try:
            async with tapped(backend.events()) as events:
                contact = await _contact_in_hand(floor, backend, events, "sms", SMS_FROM)
                sent = await backend.send_message(contact.id, "Your refund is on its way.")
                delivered = await _next(events, DeliveredEvent, lambda e: e.item_id == sent.id)
                assert delivered.contact_id == contact.id
                await _next(events, MessageEvent, lambda e: e.item.role == ParticipantRole.CUSTOMER)  # they answer
                assert not [e for e in events.seen if isinstance(e, ReadEvent) and e.role == ParticipantRole.CUSTOMER]
            receipts = [p for p in _relayed(floor) if p["EventType"] == "onDeliveryUpdated"]
            assert [p["Status"] for p in receipts] == ["delivered"], "SMS has no read receipts"
            assert not [p for p in _relayed(floor) if p["EventType"] == "onParticipantUpdated"]
            delivery = (await _message(floor, contact.id, sent.id))["delivery"]
            assert (delivery["delivered"], delivery["read"]) == ("all", "none")
            page = await backend.list_messages(contact.id)
            mine = next(i for i in page.items if i.id == sent.id)
            assert mine.delivered_at is not None
            assert mine.read_at is None
        finally:
            await backend.aclose()


async def test_a_read_mark_costs_the_same_few_requests_however_long_the_transcript(tmp_path: Path) -> None:
    """Before: the whole transcript was read to find the message's index, and again for the answer (a page per
    100 messages each time). Now: the task, one POST, then the conversation's summary (three GETs: the resource,
    its participants, the newest page)."""
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend(DEMO_AGENT_ID)
        transport = floor.transports[-1]
        try:
            async with tapped(backend.events()) as events:
                contact = await _contact_in_hand(floor, backend, events, "chat", CHAT_FROM)
                engine_id = floor.twilio_app.state.twilio.sids.key("WT", contact.id)
                async with httpx.AsyncClient(
                    base_url=floor.ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
                ) as sup:
                    for n in range(230):
                        said = await sup.post(f"/v1/contacts/{engine_id}/customer-messages", json={"text": f"Line {n}"})
                        said.raise_for_status()
                newest = floor.sid("IM", said.json()["id"])
                await _next(events, MessageEvent, lambda e: e.item.id == newest)
                before = len(transport.exchanges)
                read = await backend.mark_read(contact.id, newest)
                made = transport.exchanges[before:]
            assert read.agent_last_read_item_id == newest
            assert read.unread == 0
            assert len(made) <= 6, made
            assert [m for m, path, _ in made if m == "POST"] == ["POST"]
            assert sum(1 for _, path, _ in made if path.endswith("/Messages")) <= 1, "one page of messages at most"
        finally:
            await backend.aclose()
