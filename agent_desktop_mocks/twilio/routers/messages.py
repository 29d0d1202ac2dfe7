"""Twilio's Messages resource (twilio_api_v2010.yaml), over the mock CCaaS's messaging: CreateMessage (`To`,
`From` or `MessagingServiceSid`, `Body`; `StatusCallback` accepted), FetchMessage and ListMessage (by `To`,
`From`, `DateSent>`), as docs/vendors/twilio-messaging.md cites. Twilio's REST API takes no idempotency key: each
create is a new message. A `To` that cannot be a phone number is refused at once (Twilio error 21211), as
Twilio does; a `whatsapp:` address is not served here."""

from __future__ import annotations

import uuid
from datetime import datetime
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.ccaas.messaging.schemas import Message, MessageCreate
from agent_desktop_mocks.ccaas.messaging.service import MessagingService, deliverable
from agent_desktop_mocks.common.auth import Principal
from agent_desktop_mocks.twilio.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.form import form
from agent_desktop_mocks.twilio.routers.common import sid_param
from agent_desktop_mocks.twilio.state import Twilio

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}/Messages", tags=["Messages"])

AccountSid = Annotated[str, sid_param("AC")]
MessageSid = Annotated[str, sid_param("SM")]


def _service(request: Request, twilio: Twilio, account: str) -> tuple[MessagingService, Principal]:
    if account != twilio.settings.account_sid or getattr(request.app.state, "messaging", None) is None:
        raise not_found(request.url.path)
    return request.app.state.messaging, Principal(account, "agent", account)


def _rfc2822(at: datetime) -> str:
    return format_datetime(at)


def _message(twilio: Twilio, message: Message, sender: str) -> dict[str, Any]:
    account = twilio.settings.account_sid
    sid = twilio.sids.of("SM", message.id)
    failed = message.status == "failed"
    return {
        "sid": sid, "account_sid": account, "api_version": "2010-04-01", "body": message.body, "to": message.to,
        "from": sender, "status": message.status, "direction": "outbound-api", "num_segments": "1", "num_media": "0",
        "date_created": _rfc2822(message.created_at), "date_updated": _rfc2822(message.created_at),
        "date_sent": None if message.status == "queued" else _rfc2822(message.created_at),
        "error_code": 30003 if failed else None, "error_message": "Unreachable destination handset" if failed else None,
        "price": None, "price_unit": "USD", "messaging_service_sid": None,
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"},
    }  # fmt: skip


@router.post(".json", status_code=201)
async def create_message(request: Request, twilio: Twilio, AccountSid: AccountSid) -> dict[str, Any]:
    service, who = _service(request, twilio, AccountSid)
    fields = await form(request)
    to, sender, body = (
        fields.get("To", ""),
        fields.get("From") or fields.get("MessagingServiceSid", ""),
        fields.get("Body"),
    )
    if not to:
        raise TwilioError(400, 21604, "A 'To' phone number is required.")
    if not sender:
        raise TwilioError(400, 21603, "A 'From' phone number is required.")
    if not body:
        raise TwilioError(400, 21602, "Message body is required.")
    if not deliverable("sms", to):
        raise TwilioError(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    message, _ = service.send(who, MessageCreate(channel="sms", to=to, body=body[:1600]), uuid.uuid4().hex)
    twilio.sids.of("SM", message.id)
    request.app.state.message_senders[message.id] = sender
    return _message(twilio, message, sender)


@router.get(".json")
async def list_messages(
    request: Request, twilio: Twilio, AccountSid: AccountSid,
    To: Annotated[str | None, Query()] = None, From: Annotated[str | None, Query()] = None,
    PageSize: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:  # fmt: skip
    service, who = _service(request, twilio, AccountSid)
    senders: dict[str, str] = request.app.state.message_senders
    rows = [m for m in reversed(service.sent_by(who, To)) if From is None or senders.get(m.id) == From][:PageSize]
    path = f"/2010-04-01/Accounts/{AccountSid}/Messages.json"
    return {
        "messages": [_message(twilio, m, senders.get(m.id, "")) for m in rows], "page": 0, "page_size": PageSize,
        "first_page_uri": f"{path}?PageSize={PageSize}&Page=0", "next_page_uri": None, "previous_page_uri": None,
        "uri": f"{path}?PageSize={PageSize}&Page=0", "start": 0, "end": max(0, len(rows) - 1),
    }  # fmt: skip


@router.get("/{MessageSid}.json")
async def fetch_message(
    request: Request, twilio: Twilio, AccountSid: AccountSid, MessageSid: MessageSid
) -> dict[str, Any]:
    service, who = _service(request, twilio, AccountSid)
    key = twilio.sids.key("SM", MessageSid)
    if key is None:
        raise not_found(request.url.path)
    message = service.get(who, key)
    return _message(twilio, message, request.app.state.message_senders.get(message.id, ""))
