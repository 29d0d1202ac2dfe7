"""Twilio Conversations' post-action webhooks (https://www.twilio.com/docs/conversations/conversations-webhooks),
relayed like TaskRouter's callbacks (the relay hands each to the worker last reserved for the task naming the
conversation), read into the desk's events:

- `onMessageAdded` → the new transcript item;
- `onConversationStateUpdated` with StateTo `closed` → the conversation ended (Reason `TIMER`: its inactivity
  timer closed it; a close this desk asked for: the agent's; otherwise just closed). `inactive` is not an end: a
  message makes the conversation active again, so the desk keeps it open;
- `onParticipantUpdated` → a read horizon moved (`LastReadMessageIndex`): a web-chat customer's is their read
  receipt (the only one a chat has), the agent's own (moved elsewhere) their read marker;
- `onDeliveryUpdated` → the agent's message delivered to (or, on OTT channels such as WhatsApp, read by) the
  customer: SMS and WhatsApp only, never for a chat.

The service's webhook `Filters` the desk needs are these four (docs/backends.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from agent_desktop.adapters.twilio import records
from agent_desktop.adapters.twilio.chat.conversations import TwilioConversations
from agent_desktop.domain.models import (
    ConversationEndedEvent,
    ConversationEvent,
    DeliveredEvent,
    MessageEvent,
    ParticipantRole,
    ReadEvent,
)

MAX_DIGITS = 15  # a message index or an id: longer is no number Twilio writes (and int() of 5,000 digits fails)
WEBHOOKS = ("onMessageAdded", "onConversationStateUpdated", "onParticipantUpdated", "onDeliveryUpdated")


async def conversation_event(
    conversations: TwilioConversations, params: dict[str, str], identity: str, worker_sid: str
) -> ConversationEvent | None:
    """One Conversations webhook as the desk's event (None: a conversation of no task this desk read, or an event
    the desk does not follow)."""
    conversation = params.get("ConversationSid") or ""
    task_sid = conversations.task_of.get(conversation)
    kind = params.get("EventType")
    if task_sid is None:
        return None
    if kind == "onConversationStateUpdated":
        if params.get("StateTo") != "closed":
            return None
        if params.get("Reason") == "TIMER":
            reason = "customer_inactive"
        else:
            reason = "agent_ended" if task_sid in conversations.ended_here else "closed"
        return ConversationEndedEvent(contact_id=task_sid, reason=reason)
    if kind == "onParticipantUpdated":
        return await _horizon(conversations, conversation, task_sid, params, identity)
    sid = params.get("MessageSid")
    if not sid:
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
    index = whole_number(params.get("Index") or "0")
    if index is None:  # not as Twilio writes it: the message as the REST API has it (checked there), or a BackendError
        message = await conversations.message(conversation, sid)
    else:
        message = {
            "sid": sid,
            "index": index,
            "author": params.get("Author"),
            "body": params.get("Body"),
            "attributes": params.get("Attributes"),
            "date_created": params.get("DateCreated"),
            "conversation_sid": conversation,
            "participant_sid": params.get("ParticipantSid") or None,
        }
    return MessageEvent(contact_id=task_sid, item=conversations.item(message, task_sid, identity, worker_sid))


async def _horizon(
    conversations: TwilioConversations, conversation: str, task_sid: str, params: dict[str, str], identity: str
) -> ReadEvent | None:
    """A participant's read horizon moved: the message at that index, from what was read (else the newest page)."""
    index = whole_number(params.get("LastReadMessageIndex") or "")
    if index is None:
        return None
    sid = conversations.message_at(conversation, index)
    if sid is None:
        for message in await conversations.newest(conversation):
            conversations.remember(conversation, message)
        sid = conversations.message_at(conversation, index)
    if sid is None:
        return None  # older than the newest page: the next read of the conversation shows it
    role = ParticipantRole.AGENT if params.get("Identity") == identity else ParticipantRole.CUSTOMER
    at = records.when(params.get("LastReadTimestamp") or params.get("DateUpdated") or None) or datetime.now(UTC)
    return ReadEvent(contact_id=task_sid, role=role, up_to_item_id=sid, at=at)


def whole_number(text: str) -> int | None:
    """A callback's field as Twilio writes a whole number (ASCII digits: `str.isdigit` takes "²" too), or None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS else None
