"""Messaging on Twilio's Messaging API (twilio_api_v2010.yaml's Messages resource; docs/vendors/twilio-messaging.md):
an SMS is CreateMessage (`To`, `From`, `Body`, and `StatusCallback` where configured), its delivery status
FetchMessage's `status`. Email is not Twilio's Messaging API (it is SendGrid's): declared off.

Twilio's REST API takes no idempotency key, so a send first lists today's messages from the same number to the
same one (ListMessage by `To`, `From`, `DateSent>`) and answers one with the same body instead of sending again:
the same follow-up is never sent twice, even when the first answer was lost on the way back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.messaging import MessageStatus, MessagingCapabilities, OutboundMessage
from agent_desktop.domain.vocabulary import Channel

Get = Callable[..., Awaitable[dict[str, Any]]]
Post = Callable[..., Awaitable[dict[str, Any]]]
# How far back a send looks for the same message already sent (a retry of a follow-up comes within hours).
SAME_MESSAGE_WITHIN = timedelta(days=1)


def _when(value: object) -> datetime | None:
    try:
        return parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None


class TwilioMessaging:
    """`sender`: the `From` (a Twilio number of the account, E.164); None: messaging is off (no channel)."""

    def __init__(
        self, api_base_url: str, account_sid: str, sender: str | None, status_callback: str | None,
        get: Get, post: Post, name: str,
    ) -> None:  # fmt: skip
        self.root = f"{api_base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages"
        self.capabilities = MessagingCapabilities(channels=frozenset({Channel.SMS}) if sender else frozenset())
        self._sender, self._callback = sender, status_callback
        self._get, self._post, self.name = get, post, name

    async def send_message(self, channel: Channel, to: str, body: str, idempotency_key: str) -> OutboundMessage:
        if channel not in self.capabilities.channels:
            raise BackendError(self.name, f"400 Twilio's Messaging API sends no {channel} here", 400)
        since = (datetime.now(UTC) - SAME_MESSAGE_WITHIN).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        page = await self._get(f"{self.root}.json", To=to, From=self._sender, **{"DateSent>": since})
        for sent in page.get("messages") or []:
            if isinstance(sent, dict) and sent.get("body") == body:
                return self._read(sent)  # sent before under this key, or its answer lost: not sent again
        fields = {"To": to, "From": self._sender, "Body": body}
        if self._callback:
            fields["StatusCallback"] = self._callback
        return self._read(await self._post(f"{self.root}.json", data=fields))

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
            id=str(message.get("sid")), channel=Channel.SMS, to=str(message.get("to") or ""),
            body=str(message.get("body") or ""), status=status, error=error, created_at=_when(message.get("date_created")),
        )  # fmt: skip
