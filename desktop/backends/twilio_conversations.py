"""Chat and SMS on Twilio Conversations (twilio_conversations_v1.yaml), for the Twilio contact center: a task's
conversation is the one its attributes name (`conversationSid`, where Flex keeps it); its Messages are the
transcript, the agent's Participant's `last_read_message_index` their read marker. Conversations has no REST
typing indicator (the desk's typing capability is off) and keeps no idempotency key: the desk's key goes in the
message's `Attributes` (`idempotencyKey`) and the newest messages are searched for it before a message is sent,
so a retry (after a lost answer, a restart) finds the first one instead of sending twice.

Events: Conversations' `onMessageAdded` and `onDeliveryUpdated` webhooks, relayed like TaskRouter's callbacks
(the relay sends them to the worker last reserved for the task naming the conversation), are read into the desk's
message, conversation-ended, delivered and read events."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from desktop.backends import twilio_records as records
from desktop.backends.errors import BackendError
from desktop.backends.models import (
    Channel,
    ChannelLimits,
    Conversation,
    ConversationEndedEvent,
    ConversationEvent,
    DeliveredEvent,
    MessageEvent,
    ParticipantRole,
    ReadEvent,
    TranscriptItem,
    TranscriptPage,
)

CONVERSATIONS_BASE_URL = "https://conversations.twilio.com"
SYSTEM_AUTHOR = "system"
KEY_SEARCH = 50  # how many of the newest messages are searched for an idempotency key before sending
# Twilio's outbound limits: chat 32 KB, SMS and WhatsApp 1,600 characters (Conversations Limits). The desk
# counts characters: 4,096 is at most 16 KB in UTF-8.
LIMITS = {Channel.CHAT: ChannelLimits(max_chars=4096), Channel.SMS: ChannelLimits(max_chars=1600, sms_segment_chars=160)}

Get = Callable[..., Awaitable[dict[str, Any]]]
Post = Callable[..., Awaitable[dict[str, Any]]]


def _attributes(resource: dict[str, Any]) -> dict[str, Any]:
    return records.attributes(resource)


class TwilioConversations:
    """One worker's conversations; `get`/`post` are the contact center's requests (auth, backoff, errors)."""

    def __init__(self, base_url: str, get: Get, post: Post, name: str) -> None:
        self.root = f"{base_url.rstrip('/')}/v1/Conversations"
        self._get, self._post, self.name = get, post, name
        self.task_of: dict[str, str] = {}  # conversation SID → task SID (learnt from the tasks read)
        self._sent: dict[str, TranscriptItem] = {}  # idempotency key → the message it sent

    def learn(self, task: dict[str, Any]) -> str | None:
        """The task's conversation SID (None for a call), remembered for the webhooks that name only it."""
        sid = _attributes(task).get("conversationSid")
        if isinstance(sid, str) and records.is_sid("CH", sid):
            if task.get("assignment_status") not in ("completed", "canceled") or sid not in self.task_of:
                self.task_of[sid] = task["sid"]  # a finished task (one a transfer ended) does not take it back
            return sid
        return None

    async def _messages(self, sid: str, most: int = 10_000, newest_first: bool = False) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page = await self._get(f"{self.root}/{sid}/Messages", PageSize=min(most, 100), Order="desc" if newest_first else "asc")
        while True:
            found += page.get("messages") or []
            following = (page.get("meta") or {}).get("next_page_url")
            if not following or len(found) >= most:
                return found[:most]
            page = await self._get(following)

    async def _participants(self, sid: str) -> list[dict[str, Any]]:
        return (await self._get(f"{self.root}/{sid}/Participants", PageSize=100)).get("participants") or []

    def item(self, message: dict[str, Any], task_sid: str, identity: str, worker_sid: str) -> TranscriptItem:
        extra = _attributes(message)
        kind = extra.get("kind") if isinstance(extra.get("kind"), str) else "message"
        author = message.get("author") or ""
        if author == identity and kind == "message":
            role = ParticipantRole.AGENT
        elif author == SYSTEM_AUTHOR or kind != "message":
            role = ParticipantRole.SYSTEM
        else:
            role = ParticipantRole.CUSTOMER
        created = records.when(message.get("date_created")) or datetime.now(UTC)
        delivery = message.get("delivery") if isinstance(message.get("delivery"), dict) else {}
        name = extra.get("displayName")
        return TranscriptItem(
            id=message["sid"], contact_id=task_sid, index=int(message.get("index") or 0), kind=kind, role=role,
            participant_id=worker_sid if role == ParticipantRole.AGENT else None,
            display_name=name if isinstance(name, str) and name else author or "?", text=message.get("body") or "",
            created_at=created, delivered_at=created if delivery.get("delivered") == "all" or delivery.get("read") == "all" else None,
            read_at=created if delivery.get("read") == "all" else None,
        )  # fmt: skip

    async def conversation(self, task: dict[str, Any], identity: str, worker_sid: str) -> Conversation:
        sid = self._sid(task)
        resource = await self._get(f"{self.root}/{sid}")
        people = await self._participants(sid)
        items = [self.item(m, task["sid"], identity, worker_sid) for m in await self._messages(sid)]
        extra, task_extra = _attributes(resource), _attributes(task)
        mine = next((p for p in people if p.get("identity") == identity), None)
        last_read = mine.get("last_read_message_index") if mine else None
        read_item = next((i for i in items if i.index == last_read), None) if last_read is not None else None
        customer = [i for i in items if i.role == ParticipantRole.CUSTOMER]
        channel = Channel(task.get("task_channel_unique_name") if task.get("task_channel_unique_name") in LIMITS else "chat")
        closed = resource.get("state") == "closed"
        timers = resource.get("timers") if isinstance(resource.get("timers"), dict) else {}
        name = extra.get("customerName") or task_extra.get("customerName") or task_extra.get("name") or task_extra.get("from")
        address = extra.get("customerAddress") or task_extra.get("customerAddress") or task_extra.get("from") or ""
        subject = extra.get("subject") if isinstance(extra.get("subject"), str) else task_extra.get("subject")
        return Conversation(
            contact_id=task["sid"], channel=channel, state="closed" if closed else "active",
            customer_name=str(name or address or "?"), customer_address=str(address),
            subject=subject if isinstance(subject, str) else None, agent_id=worker_sid if mine else None,
            item_count=len(items), unread=sum(1 for i in customer if last_read is None or i.index > last_read),
            agent_last_read_item_id=read_item.id if read_item else None,
            last_message_at=items[-1].created_at if items else None,
            last_customer_message_at=customer[-1].created_at if customer else None,
            inactivity_deadline=None if closed else records.when(timers.get("date_closed")),
            ended_at=records.when(resource.get("date_updated")) if closed else None, limits=LIMITS[channel],
        )  # fmt: skip

    async def page(self, task: dict[str, Any], identity: str, worker_sid: str, before: str | None, limit: int) -> TranscriptPage:
        items = [self.item(m, task["sid"], identity, worker_sid) for m in await self._messages(self._sid(task))]
        if before is not None:
            cut = next((n for n, i in enumerate(items) if i.id == before), None)
            if cut is None:
                raise BackendError(self.name, f"422 before: {before} is not an item of this conversation", 422)
            items = items[:cut]
        return TranscriptPage(items=items[-limit:], has_more=len(items) > limit)

    async def send(self, task: dict[str, Any], identity: str, worker_sid: str, text: str, key: str | None) -> TranscriptItem:
        sid = self._sid(task)
        if key is not None:
            if key in self._sent:
                return self._sent[key]
            for message in await self._messages(sid, KEY_SEARCH, newest_first=True):
                if _attributes(message).get("idempotencyKey") == key:
                    if message.get("body") != text:
                        raise BackendError(self.name, "422 this idempotency key was already used for another message", 422)
                    return self._sent.setdefault(key, self.item(message, task["sid"], identity, worker_sid))
        body = {"Author": identity, "Body": text}
        if key is not None:
            body["Attributes"] = json.dumps({"idempotencyKey": key})
        message = await self._post(f"{self.root}/{sid}/Messages", data=body, headers={"X-Twilio-Webhook-Enabled": "true"})
        item = self.item(message, task["sid"], identity, worker_sid)
        if key is not None:
            self._sent[key] = item
        return item

    async def mark_read(self, task: dict[str, Any], identity: str, up_to_item_id: str) -> None:
        sid = self._sid(task)
        message = next((m for m in await self._messages(sid) if m.get("sid") == up_to_item_id), None)
        if message is None:
            raise BackendError(self.name, f"422 up_to_item_id: {up_to_item_id} is not an item of this conversation", 422)
        mine = next((p for p in await self._participants(sid) if p.get("identity") == identity), None)
        if mine is None:
            raise BackendError(self.name, "403 not your contact", 403)
        await self._post(f"{self.root}/{sid}/Participants/{mine['sid']}", data={"LastReadMessageIndex": str(message["index"])})

    def event(self, params: dict[str, str], identity: str, worker_sid: str) -> ConversationEvent | None:
        """A Conversations webhook as the desk's event (None: a conversation of no task this desk read, or an event
        the desk does not follow): `onMessageAdded` → the transcript item (the conversation's end: its ending);
        `onDeliveryUpdated` → the agent's message delivered to or read by the customer."""
        task_sid = self.task_of.get(params.get("ConversationSid") or "")
        kind, sid = params.get("EventType"), params.get("MessageSid")
        if task_sid is None or not sid:
            return None
        if kind == "onDeliveryUpdated":
            at = records.when(params.get("DateUpdated") or None) or datetime.now(UTC)
            if params.get("Status") == "read":
                return ReadEvent(contact_id=task_sid, role=ParticipantRole.CUSTOMER, up_to_item_id=sid, at=at)
            if params.get("Status") == "delivered":
                return DeliveredEvent(contact_id=task_sid, item_id=sid, at=at)
            return None
        if kind != "onMessageAdded":
            return None
        message = {"sid": sid, "index": params.get("Index") or 0, "author": params.get("Author"),
                   "body": params.get("Body"), "attributes": params.get("Attributes"), "date_created": params.get("DateCreated")}  # fmt: skip
        item = self.item(message, task_sid, identity, worker_sid)
        if item.kind == "conversation_ended":
            reason = _attributes(message).get("reason")
            return ConversationEndedEvent(contact_id=task_sid, reason=reason if isinstance(reason, str) and reason else "closed", item=item)
        return MessageEvent(contact_id=task_sid, item=item)

    def _sid(self, task: dict[str, Any]) -> str:
        sid = self.learn(task)
        if sid is None:
            raise BackendError(self.name, f"404 conversation of contact {task['sid']} not found (a call has none)", 404)
        return sid
