"""Conversations' post-action webhooks (https://www.twilio.com/docs/conversations/conversations-webhooks), made
from what the mock CCaaS's conversation service publishes, as Twilio would send them to a service whose webhook
`Filters` are onMessageAdded, onConversationStateUpdated, onParticipantUpdated and onDeliveryUpdated.

What Twilio sends, channel by channel (docs/vendors/twilio-conversations.md):
- a new message: `onMessageAdded`;
- the conversation's end: `onConversationStateUpdated` (StateFrom `active`, StateTo `closed`, Reason `TIMER`
  when its timer closed it, `API` when a request did), and no message: Twilio writes none;
- delivery receipts (`onDeliveryUpdated`) only for a participant on a messaging channel (SMS here): `delivered`,
  never `read` (read receipts are for OTT channels such as WhatsApp); none at all in a web chat;
- a web-chat customer reading: their chat SDK moves their participant's read horizon, and Twilio reports the
  participant's change as `onParticipantUpdated` (`LastReadMessageIndex`). The agent's own read horizon, moved
  by the desk through the REST API without `X-Twilio-Webhook-Enabled`, fires nothing.
"""

from __future__ import annotations

from typing import Any

from agent_desktop_mocks.ccaas.conversations.core import item_number
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.twilio.routers.conversations import (
    WRITES_NO_MESSAGE,
    claim_customer_attributes,
    customer_participant,
    message,
)
from agent_desktop_mocks.twilio.state import TwilioState

PUBLISHED = ("message", "participant_joined", "participant_left", "conversation_ended", "delivered", "read")
CHAT_SERVICE_SID = "IS" + "0c" * 16


def webhooks(twilio: TwilioState, type_: str, data: dict[str, Any]) -> list[dict[str, str]]:
    """The webhooks (form parameters) Twilio would send for one event of the conversation service."""
    contact_id = data.get("contact_id")
    if type_ not in PUBLISHED or twilio.conversations is None or not isinstance(contact_id, str):
        return []
    record = twilio.conversations.store.get(contact_id)
    if record is None:
        return []
    s, sids = twilio.settings, twilio.sids
    base = {
        "AccountSid": s.account_sid,
        "ChatServiceSid": CHAT_SERVICE_SID,
        "ConversationSid": sids.of("CH", contact_id),
        "RetryCount": "0",
        "WebhookType": "webhook",
        "WebhookSid": "WH" + "0c" * 16,
    }
    if type_ == "conversation_ended":
        reason = "TIMER" if data.get("reason") == "customer_inactive" else "API"
        at = str(data.get("item", {}).get("created_at") or "")
        return [
            base
            | {
                "EventType": "onConversationStateUpdated",
                "StateFrom": "active",
                "StateTo": "closed",
                "Reason": reason,
                "StateUpdated": at,
                "Source": "API" if reason == "API" else "SYSTEM",
            }
        ]
    if type_ == "delivered":
        return _delivered(twilio, record, data, base)
    if type_ == "read":
        return _read(twilio, record, data, base)
    item = data.get("item")
    if not isinstance(item, dict) or item.get("kind") in WRITES_NO_MESSAGE:
        return []
    written = TranscriptItem.model_validate(item)
    claim_customer_attributes(twilio, written)
    said = message(twilio, written, record)
    return [
        base
        | {
            "EventType": "onMessageAdded",
            "MessageSid": said["sid"],
            "Index": str(said["index"]),
            "Author": said["author"],
            "Body": said["body"],
            "Attributes": said["attributes"],
            "DateCreated": said["date_created"],
            "ParticipantSid": said["participant_sid"] or "",
            "Source": "API",
        }
    ]


def _delivered(
    twilio: TwilioState, record: ConversationRecord, data: dict[str, Any], base: dict[str, str]
) -> list[dict[str, str]]:
    """The customer's handset got the agent's SMS: its delivery receipt. A web chat has none (no receipts for a
    chat participant)."""
    item_id = data.get("item_id")
    if record.channel == Channel.CHAT or not isinstance(item_id, str):
        return []
    sids = twilio.sids
    return [
        base
        | {
            "EventType": "onDeliveryUpdated",
            "MessageSid": sids.of("IM", item_id),
            "DeliveryReceiptSid": sids.of("DY", f"{item_id}:delivered"),
            "Status": "delivered",
            "ParticipantSid": customer_participant(twilio, record),
            "DateUpdated": str(data.get("at") or ""),
        }
    ]


def _read(
    twilio: TwilioState, record: ConversationRecord, data: dict[str, Any], base: dict[str, str]
) -> list[dict[str, str]]:
    """The web-chat customer read up to an item: their participant's read horizon moved (an SMS customer has no
    read horizon and SMS no read receipts: nothing)."""
    item_id = data.get("up_to_item_id")
    if (
        data.get("role") != "customer"
        or record.channel != Channel.CHAT
        or not isinstance(item_id, str)
        or twilio.conversations is None
    ):
        return []
    item = twilio.conversations.store.item(item_number(item_id))
    if item is None:
        return []
    at = str(data.get("at") or "")
    return [
        base
        | {
            "EventType": "onParticipantUpdated",
            "ParticipantSid": customer_participant(twilio, record),
            "Identity": record.customer_address,
            "LastReadMessageIndex": str(item.index),
            "LastReadTimestamp": at,
            "DateUpdated": at,
            "Attributes": "{}",
            "Source": "SDK",
        }
    ]
