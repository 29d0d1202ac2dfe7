"""Messaging on Twilio's Messaging API (twilio_api_v2010.yaml's Messages resource; docs/vendors/twilio-messaging.md):
an SMS is CreateMessage (`To`, `From`, `Body`, and `StatusCallback` where configured), its delivery status
FetchMessage's `status`. Email is not Twilio's Messaging API (it is SendGrid's): declared off.

Before anything is sent: the number is written in E.164 (Twilio refuses any other `To`: 21211), and a text over
1,600 characters is refused here (Twilio's 21617), so the agent hears why before anything leaves. A recipient who
opted out (21610) is `RecipientOptedOut`.

Twilio's REST API takes no idempotency key. The outbox keeps the SID once Twilio answered, so a retry reads that
message rather than sending; for an answer lost on the way back, a send first reads the newest page of messages
from the same number to the same one (ListMessage by `To` and `From`) and answers one created within a day with the
same body instead of sending again. No date filter: `DateSent>` leaves out a message still queued (its `date_sent`
is null until Twilio sends it), which is the one a quick retry meets.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats.phone_format import possible_number
from agent_desktop.domain.messages.protocol import (
    MessageStatus,
    MessagingCapabilities,
    OutboundMessage,
    RecipientOptedOut,
)
from agent_desktop.domain.vocabulary import Channel

Get = Callable[..., Awaitable[dict[str, Any]]]
Post = Callable[..., Awaitable[dict[str, Any]]]
# How far back a send looks for the same message already sent (a retry of a follow-up comes within hours).
SAME_MESSAGE_WITHIN = timedelta(days=1)
SAME_MESSAGE_PAGE = 50  # the newest messages to the customer read for it (guessed: a day's follow-ups to one number)
BODY_MAX_CHARS = 1600  # Twilio's error 21617: "The concatenated message body exceeds the 1600 character limit"
OPTED_OUT = 21610  # "Attempt to send to unsubscribed recipient"
_TWILIO_CODE = re.compile(r"\(Twilio error (\d+)\)$")


def _when(value: object) -> datetime | None:
    try:
        return parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None


def e164(number: str, region: str) -> str | None:
    """The number in E.164 (`+15125550100`), read in `region` when written without its country code; None: it
    cannot be a phone number."""
    import phonenumbers  # here, not at the desk's start: only a follow-up SMS needs it

    parsed = possible_number(number, region)
    return None if parsed is None else phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def twilio_code(error: BackendError) -> int | None:
    """The Twilio error code of a refusal read by the Twilio backend (its message ends `(Twilio error N)`)."""
    found = _TWILIO_CODE.search(error.message)
    return int(found.group(1)) if found else None


class TwilioMessaging:
    """`sender`: the `From` (a Twilio number of the account, E.164); None: messaging is off (no channel).
    `region`: where a number written without its country code is read."""

    def __init__(
        self,
        api_base_url: str,
        account_sid: str,
        sender: str | None,
        status_callback: str | None,
        get: Get,
        post: Post,
        name: str,
        region: str = "US",
    ) -> None:
        self.root = f"{api_base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages"
        self.capabilities = MessagingCapabilities(channels=frozenset({Channel.SMS}) if sender else frozenset())
        self._sender, self._callback, self._region = sender, status_callback, region
        self._get, self._post, self.name = get, post, name

    async def send_message(self, channel: Channel, to: str, body: str, idempotency_key: str) -> OutboundMessage:
        if channel not in self.capabilities.channels:
            raise BackendError(self.name, f"400 Twilio's Messaging API sends no {channel} here", 400)
        if len(body) > BODY_MAX_CHARS:
            raise BackendError(
                self.name,
                f"400 the text is {len(body):,} characters: Twilio sends at most "
                f"{BODY_MAX_CHARS:,} in one message (Twilio error 21617). Nothing was sent",
                400,
            )
        number = e164(to, self._region)
        if number is None:
            raise BackendError(self.name, "400 not a phone number an SMS can go to (Twilio error 21211)", 400)
        sent = await self._sent_before(number, body)
        if sent is not None:
            return sent  # sent before under this key, or its answer lost: not sent again
        fields = {"To": number, "From": self._sender, "Body": body}
        if self._callback:
            fields["StatusCallback"] = self._callback
        try:
            return self._read(await self._post(f"{self.root}.json", data=fields))
        except BackendError as error:
            if twilio_code(error) == OPTED_OUT:
                # Said as what happened, not as Twilio's words: the CRM's record and the agent read it.
                said = (
                    f"{error.status} the customer opted out of SMS from {self._sender} by texting STOP "
                    "(Twilio error 21610): nothing was sent; they text START to receive SMS again"
                )
                raise RecipientOptedOut(self.name, said, error.status) from None
            raise

    async def _sent_before(self, to: str, body: str) -> OutboundMessage | None:
        """The same text to the same number, created within `SAME_MESSAGE_WITHIN`, whether sent yet or not."""
        page = await self._get(f"{self.root}.json", To=to, From=self._sender, PageSize=SAME_MESSAGE_PAGE)
        since = datetime.now(UTC) - SAME_MESSAGE_WITHIN
        for sent in page.get("messages") or []:
            if not isinstance(sent, dict) or sent.get("body") != body or sent.get("direction") != "outbound-api":
                continue
            created = _when(sent.get("date_created"))
            if created is not None and created >= since:
                return self._read(sent)
        return None

    async def message_status(self, message_id: str) -> OutboundMessage:
        return self._read(await self._get(f"{self.root}/{message_id}.json"))

    def _read(self, message: dict[str, Any]) -> OutboundMessage:
        try:
            status = MessageStatus(str(message.get("status")))
        except ValueError:
            raise BackendError(
                self.name, f"a message status Twilio does not document: {message.get('status')!r}"
            ) from None
        error = message.get("error_message") or (
            f"Twilio error {message['error_code']}" if message.get("error_code") else None
        )
        return OutboundMessage(
            id=str(message.get("sid")),
            channel=Channel.SMS,
            to=str(message.get("to") or ""),
            body=str(message.get("body") or ""),
            status=status,
            error=error,
            created_at=_when(message.get("date_created")),
        )
