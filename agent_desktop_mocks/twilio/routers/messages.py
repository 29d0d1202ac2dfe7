"""Twilio's Messages resource (twilio_api_v2010.yaml), over the mock CCaaS's messaging: CreateMessage (`To`,
`From` or `MessagingServiceSid`, `Body`; `StatusCallback` accepted), FetchMessage and ListMessage (by `To`,
`From`, `DateSent`, `DateSent>`, `DateSent<`), as docs/vendors/twilio-messaging.md cites. Twilio's REST API takes no
idempotency key: each create is a new message. What is refused at once (a `To` not in E.164, a body over 1,600
characters, the test credentials' magic numbers) and which numbers end undelivered or failed: messaging/message_fates.py; a
customer who texted STOP to the `From` number in an SMS conversation is refused with 21610 (messaging/opt_outs.py).
`date_sent` is null until the message is sent, so a date filter leaves out a message still queued (or failed); a
`whatsapp:` address is not served here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.ccaas.messaging.schemas import Message, MessageCreate
from agent_desktop_mocks.ccaas.messaging.service import MessagingService
from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.form import form
from agent_desktop_mocks.twilio.messaging.message_fates import refusal, status_of
from agent_desktop_mocks.twilio.messaging.opt_outs import UNSUBSCRIBED
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


def _sent_at(message: Message) -> datetime | None:
    """When Twilio sent it: null while it is queued, and for one that failed (it was never sent)."""
    return None if status_of(message.to, message.status)[0] in ("queued", "failed") else message.created_at


def _message(twilio: Twilio, message: Message, sender: str) -> dict[str, Any]:
    account = twilio.settings.account_sid
    sid = twilio.sids.of("SM", message.id)
    status, fate = status_of(message.to, message.status)
    sent_at = _sent_at(message)
    return {
        "sid": sid,
        "account_sid": account,
        "api_version": "2010-04-01",
        "body": message.body,
        "to": message.to,
        "from": sender,
        "status": status,
        "direction": "outbound-api",
        "num_segments": "1",
        "num_media": "0",
        "date_created": _rfc2822(message.created_at),
        "date_updated": _rfc2822(message.created_at),
        "date_sent": None if sent_at is None else _rfc2822(sent_at),
        "error_code": fate.error_code if fate else None,
        "error_message": fate.error_message if fate else None,
        "price": None,
        "price_unit": "USD",
        "messaging_service_sid": None,
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"},
    }


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
    if (refused := refusal(to, body)) is not None:
        raise TwilioError(400, *refused)
    if twilio.opt_outs.refuses(to, sender):  # they texted STOP to this number (messaging/opt_outs.py)
        raise TwilioError(400, *UNSUBSCRIBED)
    message, _ = service.send(who, MessageCreate(channel="sms", to=to, body=body), uuid.uuid4().hex)
    twilio.sids.of("SM", message.id)
    request.app.state.message_senders[message.id] = sender
    return _message(twilio, message, sender)


@router.get(".json")
async def list_messages(
    request: Request,
    twilio: Twilio,
    AccountSid: AccountSid,
    To: Annotated[str | None, Query()] = None,
    From: Annotated[str | None, Query()] = None,
    DateSent: Annotated[str | None, Query()] = None,
    DateSentAfter: Annotated[str | None, Query(alias="DateSent>")] = None,
    DateSentBefore: Annotated[str | None, Query(alias="DateSent<")] = None,
    PageSize: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    service, who = _service(request, twilio, AccountSid)
    senders: dict[str, str] = request.app.state.message_senders
    sent_in = _sent_window(DateSent, DateSentAfter, DateSentBefore)
    rows = [
        m
        for m in reversed(service.sent_by(who, To))
        if (From is None or senders.get(m.id) == From) and sent_in(_sent_at(m))
    ][:PageSize]
    path = f"/2010-04-01/Accounts/{AccountSid}/Messages.json"
    return {
        "messages": [_message(twilio, m, senders.get(m.id, "")) for m in rows],
        "page": 0,
        "page_size": PageSize,
        "first_page_uri": f"{path}?PageSize={PageSize}&Page=0",
        "next_page_uri": None,
        "previous_page_uri": None,
        "uri": f"{path}?PageSize={PageSize}&Page=0",
        "start": 0,
        "end": max(0, len(rows) - 1),
    }


def _instant(name: str, value: str) -> tuple[datetime, bool]:
    """A filter's value: a GMT date `YYYY-MM-DD` (as the docs write it; True) or an ISO 8601 time (as Twilio's
    helper libraries send it; False)."""
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC), True
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise TwilioError(400, 20001, f"Invalid parameter {name}: {value!r} is not a date") from None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)), False


def _sent_window(on: str | None, after: str | None, before: str | None) -> Callable[[datetime | None], bool]:
    """Whether a message's `date_sent` is within the filters: on that date, on or after, on or before (a date
    includes its whole day). A message not sent yet (null) has no date: any date filter leaves it out."""
    low, high = None, None
    if on is not None:
        low, _ = _instant("DateSent", on)
        high = low + timedelta(days=1)
    if after is not None:
        low, _ = _instant("DateSent>", after)
    if before is not None:
        high, whole_day = _instant("DateSent<", before)
        high += timedelta(days=1) if whole_day else timedelta(microseconds=1)
    if low is None and high is None:
        return lambda _sent: True
    return lambda sent: sent is not None and (low is None or sent >= low) and (high is None or sent < high)


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
