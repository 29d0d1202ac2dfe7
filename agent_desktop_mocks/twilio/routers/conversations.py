"""Twilio Conversations (twilio_conversations_v1.yaml) over the mock CCaaS's own conversation service: a chat or
SMS contact's conversation is a Conversation (`CH…`, named in its task's attributes as `conversationSid`, as
Flex does), each transcript item a Message (`IM…`, its `index` the item's), the customer and each agent a
Participant (`MB…`; the agent's `last_read_message_index` is their read marker).

FetchConversation, ListConversationMessage, CreateConversationMessage (`Author` = the agent's identity, the
worker's `contact_uri` without `client:`, or the customer's, as their chat SDK writes; `Attributes` kept as sent), ListConversationParticipant and
UpdateConversationParticipant (`LastReadMessageIndex`). Transcript items that are not messages (joined, left,
transferred, ended) are messages authored by `system` with their `kind` in the attributes. The service's own
rules answer: only the agent who holds the contact writes (else 403), a message over the channel's limit is
refused (Twilio's 50504), an ended conversation takes no message.

As Twilio does (docs/vendors/twilio-conversations.md): the end of a conversation is its state (`closed`), not a
message; an agent's message carries a `delivery` summary only in an SMS conversation (a chat participant gets
no delivery receipts), never `read` there (read receipts are for OTT channels); a web-chat customer's read
horizon is their participant's `last_read_message_index`. FetchConversationMessage reads one message."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request

from agent_desktop_mocks.ccaas.conversations.api import ConversationApi
from agent_desktop_mocks.ccaas.conversations.core import item_number
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid, NotFound
from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.form import form
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.state import Twilio, TwilioState

router = APIRouter(prefix="/v1/Conversations", tags=["Conversations"])

ConversationSid = Annotated[str, Path(min_length=34, max_length=34, pattern=r"^CH[0-9a-fA-F]{32}$")]
ParticipantSid = Annotated[str, Path(min_length=34, max_length=34, pattern=r"^MB[0-9a-fA-F]{32}$")]
ROOT = "https://conversations.twilio.com/v1/Conversations"
SYSTEM = "system"
MessageSid = Annotated[str, Path(min_length=34, max_length=34, pattern=r"^IM[0-9a-fA-F]{32}$")]
WRITES_NO_MESSAGE = frozenset({"conversation_ended"})  # Twilio closes a conversation without writing in it


def stamp(at: datetime | None) -> str | None:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ") if at is not None else None


def _api(twilio: TwilioState) -> ConversationApi:
    if twilio.conversations is None:
        raise TwilioError(404, 20404, "Conversations are not served by this mock")
    return twilio.conversations


def _record(twilio: TwilioState, request: Request, sid: str) -> ConversationRecord:
    contact_id = twilio.sids.key("CH", sid)
    record = _api(twilio).store.get(contact_id) if contact_id else None
    if record is None:
        raise not_found(request.url.path)
    return record


def _items(twilio: TwilioState, contact_id: str) -> list[TranscriptItem]:
    items, _ = _api(twilio).store.page(contact_id, None, 100_000)
    return [item for item in items if item.kind not in WRITES_NO_MESSAGE]


def author_of(item: TranscriptItem, record: ConversationRecord) -> str:
    if item.kind != "message":
        return SYSTEM
    if item.role == "agent":
        return item.participant_id or SYSTEM
    return record.customer_address if item.role == "customer" else SYSTEM


def message(twilio: TwilioState, item: TranscriptItem, record: ConversationRecord) -> dict[str, Any]:
    sids, conversation = twilio.sids, twilio.sids.of("CH", item.contact_id)
    sid = sids.of("IM", item.id)
    attributes = {**twilio.message_attributes.get(item.id, {}), "displayName": item.display_name}
    if item.kind != "message":
        attributes["kind"] = item.kind
    author = author_of(item, record)
    # A participant's message names its participant whatever its author reads (a customer whose identity is `system`
    # is still a participant); only the contact center's own messages name none.
    participant = item.kind == "message" and (author != SYSTEM or item.role == "customer")
    delivery = None
    if item.role == "agent" and item.kind == "message" and record.channel.value != "chat":
        # Receipts from the customer's messaging channel (SMS): delivered, never read.
        delivered = item.delivered_at is not None
        delivery = {
            "total": 1,
            "sent": "all",
            "delivered": "all" if delivered else "none",
            "read": "none",
            "failed": "none",
            "undelivered": "none",
        }
    return {
        "account_sid": twilio.settings.account_sid,
        "conversation_sid": conversation,
        "sid": sid,
        "index": item.index,
        "author": author,
        "body": item.text,
        "media": None,
        "attributes": json.dumps(attributes),
        "participant_sid": sids.of("MB", f"{author}:{item.contact_id}") if participant else None,
        "date_created": stamp(item.created_at),
        "date_updated": stamp(item.created_at),
        "delivery": delivery,
        "url": f"{ROOT}/{conversation}/Messages/{sid}",
        "links": {"delivery_receipts": f"{ROOT}/{conversation}/Messages/{sid}/Receipts"},
        "content_sid": None,
    }


def conversation(twilio: TwilioState, record: ConversationRecord) -> dict[str, Any]:
    sid = twilio.sids.of("CH", record.contact_id)
    attributes = {
        "customerName": record.customer_name,
        "customerAddress": record.customer_address,
        "channelType": record.channel.value,
        "subject": record.subject,
        "taskSid": twilio.task_sid(record.contact_id),
    }
    created = twilio.engine.read.contact(record.contact_id).entered_queue_at
    return {
        "account_sid": twilio.settings.account_sid,
        "chat_service_sid": "IS" + "0c" * 16,
        "messaging_service_sid": None,
        "sid": sid,
        "friendly_name": record.subject or record.customer_name,
        "unique_name": None,
        "attributes": json.dumps(attributes),
        "state": "closed" if record.state == "closed" else "active",
        "date_created": stamp(created),
        "date_updated": stamp(record.last_message_at or created),
        "timers": {"date_closed": stamp(record.inactivity_deadline if record.state != "closed" else record.ended_at)},
        "url": f"{ROOT}/{sid}",
        "bindings": None,
        "links": {
            "participants": f"{ROOT}/{sid}/Participants",
            "messages": f"{ROOT}/{sid}/Messages",
            "webhooks": f"{ROOT}/{sid}/Webhooks",
        },
    }


def customer_participant(twilio: TwilioState, record: ConversationRecord) -> str:
    return twilio.sids.of("MB", f"{record.customer_address}:{record.contact_id}")


def participants(twilio: TwilioState, record: ConversationRecord) -> list[dict[str, Any]]:
    sid, sids = twilio.sids.of("CH", record.contact_id), twilio.sids
    created = stamp(twilio.engine.read.contact(record.contact_id).entered_queue_at)
    chat = record.channel.value == "chat"
    # A web-chat customer's read horizon (their chat SDK moves it); an SMS customer has none.
    read = _api(twilio).store.item(record.customer_last_read) if chat and record.customer_last_read else None
    found = [
        {
            "sid": customer_participant(twilio, record),
            "identity": record.customer_address if chat else None,
            "messaging_binding": None
            if chat
            else {
                "type": record.channel.value,
                "address": record.customer_address,
                "proxy_address": twilio.settings.sms_number,
            },
            "attributes": json.dumps({"friendlyName": record.customer_name}),
            "last_read_message_index": read.index if read else None,
        }
    ]
    if record.agent_id:
        last = _api(twilio).store.item(record.agent_last_read) if record.agent_last_read else None
        found.append(
            {
                "sid": sids.of("MB", f"{record.agent_id}:{record.contact_id}"),
                "identity": record.agent_id,
                "messaging_binding": None,
                "attributes": json.dumps({"friendlyName": record.agent_name}),
                "last_read_message_index": last.index if last else None,
            }
        )
    return [
        {
            "account_sid": twilio.settings.account_sid,
            "conversation_sid": sid,
            "role_sid": None,
            "date_created": created,
            "date_updated": created,
            "last_read_timestamp": None,
            "url": f"{ROOT}/{sid}/Participants/{p['sid']}",
            **p,
        }
        for p in found
    ]


def _refused(error: Exception) -> TwilioError:
    if isinstance(error, HTTPException):
        return TwilioError(error.status_code, 50400 if error.status_code == 403 else 20001, str(error.detail))
    if isinstance(error, Invalid):
        return TwilioError(400, 50504 if error.field == "text" else 20001, f"Invalid parameter Body: {error}")
    if isinstance(error, Conflict):
        return TwilioError(409, 50438, f"{error} (conversation or task state: {error.state})")
    return TwilioError(404, 20404, str(error))


@router.get("/{Sid}")
async def fetch_conversation(request: Request, twilio: Twilio, Sid: ConversationSid) -> dict[str, Any]:
    return conversation(twilio, _record(twilio, request, Sid))


@router.get("/{ConversationSid}/Messages")
async def list_messages(
    request: Request,
    twilio: Twilio,
    ConversationSid: ConversationSid,
    Order: str | None = None,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    record = _record(twilio, request, ConversationSid)
    if Order not in (None, "asc", "desc"):
        raise TwilioError(400, 20001, f"Invalid parameter Order: {Order!r} (asc or desc)")
    found = [message(twilio, item, record) for item in _items(twilio, record.contact_id)]
    return page_of(request, "messages", found[::-1] if Order == "desc" else found, Page, PageSize)


@router.get("/{ConversationSid}/Messages/{Sid}")
async def fetch_message(
    request: Request, twilio: Twilio, ConversationSid: ConversationSid, Sid: MessageSid
) -> dict[str, Any]:
    record = _record(twilio, request, ConversationSid)
    key = twilio.sids.key("IM", Sid)
    item = _api(twilio).store.item(item_number(key)) if key and key.startswith("m-") else None
    if item is None or item.contact_id != record.contact_id or item.kind in WRITES_NO_MESSAGE:
        raise not_found(request.url.path)
    return message(twilio, item, record)


@router.post("/{ConversationSid}/Messages", status_code=201)
async def create_message(request: Request, twilio: Twilio, ConversationSid: ConversationSid) -> dict[str, Any]:
    record = _record(twilio, request, ConversationSid)
    fields = await form(request)
    author, body = fields.get("Author"), fields.get("Body")
    if not author or body is None:
        raise TwilioError(400, 20001, "This mock takes an agent's message: Author (their identity) and Body")
    try:
        attributes = json.loads(fields.get("Attributes") or "{}")
    except ValueError:
        raise TwilioError(400, 20001, "Invalid parameter Attributes: not JSON") from None
    if not isinstance(attributes, dict):
        raise TwilioError(400, 20001, "Invalid parameter Attributes: not a JSON object")
    if author == record.customer_address:
        return _customer_message(twilio, request, record, ConversationSid, body, attributes)
    key = attributes.get("idempotencyKey")
    try:
        item, _ = _api(twilio).send(
            record.contact_id,
            Principal("", "agent", author),
            body,
            None,
            f"twilio:{key}" if isinstance(key, str) and key else None,
        )
    except (HTTPException, Invalid, Conflict, NotFound) as error:
        raise _refused(error) from None
    twilio.message_attributes.setdefault(item.id, attributes)
    return message(twilio, item, _record(twilio, request, ConversationSid))


def _customer_message(
    twilio: TwilioState, request: Request, record: ConversationRecord, sid: str, body: str, attributes: dict[str, Any]
) -> dict[str, Any]:
    """The customer's own message, as their chat SDK (or a gateway) writes it: Author their identity, Attributes
    whatever they chose (Twilio keeps any JSON). The contact center's own side stands for them, as for the mock
    CCaaS's `customer-messages`. Its attributes go with the message's webhook, published as it is written."""
    twilio.customer_attributes[record.contact_id] = attributes
    try:
        item = _api(twilio).customer_sends(record.contact_id, Principal("", "service", "twilio"), body)
    except (HTTPException, Invalid, Conflict, NotFound) as error:
        raise _refused(error) from None
    finally:
        left = twilio.customer_attributes.pop(record.contact_id, None)
    if left is not None:  # no webhook claimed them (none configured)
        twilio.message_attributes.setdefault(item.id, left)
    return message(twilio, item, _record(twilio, request, sid))


def claim_customer_attributes(twilio: TwilioState, item: TranscriptItem) -> None:
    """A customer's message being published takes the Attributes its writer sent (`_customer_message`)."""
    if item.role == "customer" and item.contact_id in twilio.customer_attributes:
        twilio.message_attributes.setdefault(item.id, twilio.customer_attributes.pop(item.contact_id))


@router.get("/{ConversationSid}/Participants")
async def list_participants(
    request: Request,
    twilio: Twilio,
    ConversationSid: ConversationSid,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    record = _record(twilio, request, ConversationSid)
    return page_of(request, "participants", participants(twilio, record), Page, PageSize)


@router.post("/{ConversationSid}/Participants/{Sid}")
async def update_participant(
    request: Request, twilio: Twilio, ConversationSid: ConversationSid, Sid: ParticipantSid
) -> dict[str, Any]:
    record = _record(twilio, request, ConversationSid)
    mine = next((p for p in participants(twilio, record) if p["sid"] == Sid), None)
    if mine is None:
        raise not_found(request.url.path)
    fields = await form(request)
    if "LastReadMessageIndex" in fields:
        if record.agent_id is None or not mine["identity"] or mine["identity"] != record.agent_id:
            raise TwilioError(
                400, 20001, "Invalid parameter LastReadMessageIndex: only the agent's read marker is kept here"
            )
        try:
            index = int(fields["LastReadMessageIndex"])
        except ValueError:
            raise TwilioError(400, 20001, "Invalid parameter LastReadMessageIndex: not an integer") from None
        item = next((i for i in _items(twilio, record.contact_id) if i.index == index), None)
        if item is None:
            raise TwilioError(400, 20001, f"Invalid parameter LastReadMessageIndex: no message {index}")
        try:
            _api(twilio).mark_read(record.contact_id, Principal("", "agent", record.agent_id), item.id)
        except (HTTPException, Invalid, Conflict, NotFound) as error:
            raise _refused(error) from None
    return next(p for p in participants(twilio, _record(twilio, request, ConversationSid)) if p["sid"] == Sid)
