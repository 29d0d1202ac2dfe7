"""Chat and SMS on Twilio Conversations (twilio_conversations_v1.yaml), for the Twilio contact center: a task's
conversation is the one its attributes name (`conversationSid`, where Flex keeps it); its Messages are the
transcript, the agent's Participant's `last_read_message_index` their read marker, a web-chat customer's
Participant's theirs. Conversations has no REST typing indicator (the desk's typing capability is off) and keeps
no idempotency key: the desk's key goes in the message's `Attributes` (`idempotencyKey`) and the newest messages
are searched for it before a message is sent, so a retry (after a lost answer, a restart) finds the first one
instead of sending twice.

Bounded reads (Twilio's rate limits, docs/vendors/twilio-conversations.md): a conversation's summary reads the
resource, its participants and the newest page of messages; a page of the transcript reads newest-first only as
far back as it needs; a read mark is one POST (the message's index and the agent's participant are remembered
from what was read; else one GET each).

Events: Conversations' webhooks, relayed like TaskRouter's callbacks, are read in twilio_conversation_events.py."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from agent_desktop.adapters.twilio import records
from agent_desktop.adapters.twilio.chat.message_author import role_and_kind, written_by_agent
from agent_desktop.adapters.twilio.fields import VENDOR
from agent_desktop.adapters.wire.paging import Pages
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Channel,
    ChannelLimits,
    Conversation,
    ParticipantRole,
    TranscriptItem,
    TranscriptPage,
)

CONVERSATIONS_BASE_URL = "https://conversations.twilio.com"
KEY_SEARCH = 50  # how many of the newest messages are searched for an idempotency key before sending
NEWEST = 50  # the newest messages a conversation's summary reads (its unread count is at most this)
KEPT = 10_000  # messages whose conversation and index are remembered (read marks and horizons without a read)
# Twilio's outbound limits: chat 32 KB, SMS and WhatsApp 1,600 characters (Conversations Limits). The desk
# counts characters: 4,096 is at most 16 KB in UTF-8.
LIMITS = {
    Channel.CHAT: ChannelLimits(max_chars=4096),
    Channel.SMS: ChannelLimits(max_chars=1600, sms_segment_chars=160),
}

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
        self.ended_here: set[str] = set()  # tasks this desk ended: their conversation's close is the agent's
        self._sent: dict[str, TranscriptItem] = {}  # idempotency key → the message it sent
        self._where: dict[str, tuple[str, int]] = {}  # message SID → (conversation SID, index), newest last
        self._at: dict[tuple[str, int], str] = {}  # (conversation SID, index) → message SID
        self._mine: dict[str, str] = {}  # conversation SID → the agent's participant SID

    def learn(self, task: dict[str, Any]) -> str | None:
        """The task's conversation SID (None for a call), remembered for the webhooks that name only it."""
        sid = _attributes(task).get("conversationSid")
        if isinstance(sid, str) and records.is_sid("CH", sid):
            if task.get("assignment_status") not in ("completed", "canceled") or sid not in self.task_of:
                self.task_of[sid] = task["sid"]  # a finished task (one a transfer ended) does not take it back
            return sid
        return None

    def remember(self, conversation: str, message: dict[str, Any]) -> None:
        """Where a message is (its conversation and index): a read mark or a read horizon needs no read for it."""
        sid = message.get("sid")
        try:
            index = int(message.get("index") or 0)
        except (TypeError, ValueError):
            return
        if not isinstance(sid, str) or not conversation:
            return
        self._where.pop(sid, None)
        self._where[sid] = (conversation, index)
        self._at[(conversation, index)] = sid
        if len(self._where) > KEPT:
            oldest = next(iter(self._where))
            self._at.pop(self._where.pop(oldest), None)

    def message_at(self, conversation: str, index: int) -> str | None:
        return self._at.get((conversation, index))

    async def _messages(self, sid: str, most: int = 10_000, newest_first: bool = False) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        pages = Pages(self.name, VENDOR, self.root)
        page = await self._get(
            f"{self.root}/{sid}/Messages", PageSize=min(most, 100), Order="desc" if newest_first else "asc"
        )
        while True:
            found += page.get("messages") or []
            following = pages.next((page.get("meta") or {}).get("next_page_url"))
            if following is None or len(found) >= most:
                return found[:most]
            page = await self._get(following)

    async def message(self, conversation: str, sid: str) -> dict[str, Any]:
        """One message as the REST API has it (a webhook's fields could not be read)."""
        if not records.is_sid("IM", sid):
            raise BackendError(self.name, f"502 {VENDOR} sent a message event whose message SID is not one", 502)
        message = await self._get(f"{self.root}/{conversation}/Messages/{sid}")
        return {**message, "conversation_sid": conversation}

    async def newest(self, sid: str, most: int = NEWEST) -> list[dict[str, Any]]:
        """The newest messages, newest first (one request up to 100)."""
        return await self._messages(sid, most, newest_first=True)

    async def _participants(self, sid: str) -> list[dict[str, Any]]:
        return (await self._get(f"{self.root}/{sid}/Participants", PageSize=100)).get("participants") or []

    def item(self, message: dict[str, Any], task_sid: str, identity: str, worker_sid: str) -> TranscriptItem:
        self.remember(str(message.get("conversation_sid") or ""), message)
        extra = _attributes(message)
        author = message.get("author") or ""
        # A role or kind only from the contact center's own messages: a customer's attributes are theirs.
        role, kind = role_and_kind(message, extra, identity, self._mine.get(str(message.get("conversation_sid") or "")))
        created = records.when(message.get("date_created")) or datetime.now(UTC)
        # `delivery` sums the receipts of participants on messaging channels (SMS, WhatsApp): a chat's is null.
        delivery = records.mapping(message.get("delivery"))
        name = extra.get("displayName")
        return TranscriptItem(
            id=message["sid"],
            contact_id=task_sid,
            index=int(message.get("index") or 0),
            kind=kind,
            role=role,
            participant_id=worker_sid if role == ParticipantRole.AGENT else None,
            display_name=name if isinstance(name, str) and name else author or "?",
            text=message.get("body") or "",
            created_at=created,
            delivered_at=created if delivery.get("delivered") == "all" or delivery.get("read") == "all" else None,
            read_at=created if delivery.get("read") == "all" else None,
        )

    async def conversation(self, task: dict[str, Any], identity: str, worker_sid: str) -> Conversation:
        """The conversation's summary from three reads at once: the resource, its participants, the newest page."""
        sid = self._sid(task)
        resource, people, newest = await asyncio.gather(
            self._get(f"{self.root}/{sid}"), self._participants(sid), self.newest(sid)
        )
        items = [self.item(m, task["sid"], identity, worker_sid) for m in reversed(newest)]
        extra, task_extra = _attributes(resource), _attributes(task)
        mine = next((p for p in people if p.get("identity") == identity), None)
        if mine is not None and isinstance(mine.get("sid"), str):
            self._mine[sid] = mine["sid"]
        last_read = _index(mine.get("last_read_message_index")) if mine else None
        # The customer's read horizon: a web-chat participant's (their chat SDK moves it); an SMS one has none.
        horizons = [i for p in people if p is not mine and (i := _index(p.get("last_read_message_index"))) is not None]
        customer_read = self.message_at(sid, max(horizons)) if horizons else None
        customer = [i for i in items if i.role == ParticipantRole.CUSTOMER]
        named = task.get("task_channel_unique_name")
        channel = Channel(named if isinstance(named, str) and named in LIMITS else "chat")
        closed = resource.get("state") == "closed"  # `inactive` is still open: a message makes it active again
        timers = records.mapping(resource.get("timers"))
        name = (
            extra.get("customerName")
            or task_extra.get("customerName")
            or task_extra.get("name")
            or task_extra.get("from")
        )
        address = extra.get("customerAddress") or task_extra.get("customerAddress") or task_extra.get("from") or ""
        subject = extra.get("subject") if isinstance(extra.get("subject"), str) else task_extra.get("subject")
        return Conversation(
            contact_id=task["sid"],
            channel=channel,
            state="closed" if closed else "active",
            customer_name=str(name or address or "?"),
            customer_address=str(address),
            subject=subject if isinstance(subject, str) else None,
            agent_id=worker_sid if mine else None,
            # Twilio numbers messages from 0 (in order, not always one apart): the newest's index + 1.
            item_count=items[-1].index + 1 if items else 0,
            unread=sum(1 for i in customer if last_read is None or i.index > last_read),
            agent_last_read_item_id=self.message_at(sid, last_read) if last_read is not None else None,
            customer_last_read_item_id=customer_read,
            last_message_at=items[-1].created_at if items else None,
            last_customer_message_at=customer[-1].created_at if customer else None,
            inactivity_deadline=None if closed else records.when(timers.get("date_closed")),
            awaiting_reply_since=awaiting_reply_since(items),
            ended_at=records.when(resource.get("date_updated")) if closed else None,
            limits=LIMITS[channel],
        )

    async def page(
        self, task: dict[str, Any], identity: str, worker_sid: str, before: str | None, limit: int
    ) -> TranscriptPage:
        """`limit` items before `before` (the newest without it), read newest-first only as far back as needed."""
        sid = self._sid(task)
        found: list[dict[str, Any]] = []
        reached = before is None
        pages = Pages(self.name, VENDOR, self.root)
        page = await self._get(f"{self.root}/{sid}/Messages", PageSize=min(100, limit + 1), Order="desc")
        while len(found) <= limit:
            for message in page.get("messages") or []:
                if reached:
                    found.append(message)
                reached = reached or message.get("sid") == before
            following = pages.next((page.get("meta") or {}).get("next_page_url")) if len(found) <= limit else None
            if following is None:
                break
            page = await self._get(following)
        if not reached:
            raise BackendError(self.name, f"422 before: {before} is not an item of this conversation", 422)
        items = [self.item(m, task["sid"], identity, worker_sid) for m in reversed(found[: limit + 1])]
        return TranscriptPage(items=items[-limit:] if limit else [], has_more=len(found) > limit)

    async def send(
        self, task: dict[str, Any], identity: str, worker_sid: str, text: str, key: str | None
    ) -> TranscriptItem:
        sid = self._sid(task)
        if key is not None:
            if key in self._sent:
                return self._sent[key]
            for message in await self.newest(sid, KEY_SEARCH):
                if _attributes(message).get("idempotencyKey") == key and written_by_agent(
                    message, identity, self._mine.get(sid)
                ):
                    if message.get("body") != text:
                        raise BackendError(
                            self.name, "422 this idempotency key was already used for another message", 422
                        )
                    return self._sent.setdefault(key, self.item(message, task["sid"], identity, worker_sid))
        body = {"Author": identity, "Body": text}
        if key is not None:
            body["Attributes"] = json.dumps({"idempotencyKey": key})
        message = await self._post(
            f"{self.root}/{sid}/Messages", data=body, headers={"X-Twilio-Webhook-Enabled": "true"}
        )
        item = self.item(message, task["sid"], identity, worker_sid)
        if key is not None:
            self._sent[key] = item
        return item

    async def mark_read(self, task: dict[str, Any], identity: str, up_to_item_id: str) -> None:
        """The agent's read horizon to the message's index: one POST (plus, the first time, a GET for the message
        and one for the agent's participant)."""
        sid = self._sid(task)
        where = self._where.get(up_to_item_id)
        if where is None and records.is_sid("IM", up_to_item_id):
            try:
                self.remember(sid, await self._get(f"{self.root}/{sid}/Messages/{up_to_item_id}"))
            except BackendError as error:
                if error.status != 404:
                    raise
            where = self._where.get(up_to_item_id)
        if where is None or where[0] != sid:
            raise BackendError(
                self.name, f"422 up_to_item_id: {up_to_item_id} is not an item of this conversation", 422
            )
        for attempt in (1, 2):
            participant = self._mine.get(sid) or await self._find_mine(sid, identity)
            try:
                await self._post(
                    f"{self.root}/{sid}/Participants/{participant}", data={"LastReadMessageIndex": str(where[1])}
                )
                return
            except BackendError as error:
                self._mine.pop(sid, None)  # gone (a transfer, a rejoin): read the participants again, once
                if error.status != 404 or attempt == 2:
                    raise

    async def _find_mine(self, sid: str, identity: str) -> str:
        mine = next((p for p in await self._participants(sid) if p.get("identity") == identity), None)
        participant_sid = mine.get("sid") if mine is not None else None
        if not isinstance(participant_sid, str):
            raise BackendError(self.name, "403 not your contact", 403)
        self._mine[sid] = participant_sid
        return participant_sid

    def _sid(self, task: dict[str, Any]) -> str:
        sid = self.learn(task)
        if sid is None:
            raise BackendError(self.name, f"404 conversation of contact {task['sid']} not found (a call has none)", 404)
        return sid


def _index(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def awaiting_reply_since(items: list[TranscriptItem]) -> datetime | None:
    """Awaiting our reply since the oldest customer message after the agent's last (None: the agent wrote last).
    Twilio Conversations keeps no such state (docs/vendors/twilio-conversations.md): it is read from the messages
    Twilio keeps, the newest page's (a page of only the customer's: since its oldest, never longer than they waited)."""
    since = None
    for item in items:
        if item.kind != "message":
            continue
        if item.role is ParticipantRole.AGENT:
            since = None
        elif item.role is ParticipantRole.CUSTOMER and since is None:
            since = item.created_at
    return since
