"""Messaging: a message sent to a customer through a CPaaS (an SMS or an email), and its delivery status.

A contact center that carries messaging gives its backend a `messaging` attribute satisfying `Messaging` (the
mock's: SMS and email; Twilio's Messaging API: SMS only, email is SendGrid's: docs/vendors.md). Its
`capabilities` say which channels it sends on, so the desk never offers one it cannot. A send is idempotent on a
key: the same key never sends twice, it answers the message the first one made. The runtime resolves it once
(`messaging_of`): the contact center's messaging, or `NoMessaging`, which sends on no channel and refuses in one
sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

from agent_desktop.domain.errors import BackendError, NotServed
from agent_desktop.domain.models import Model
from agent_desktop.domain.vocabulary import Channel

MESSAGE_CHANNELS = frozenset({Channel.SMS, Channel.EMAIL})


class MessageStatus(StrEnum):
    """Twilio's Message `status` values (docs: Messages resource), which the mock follows too."""

    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    READ = "read"
    RECEIVING = "receiving"
    RECEIVED = "received"
    CANCELED = "canceled"
    PARTIALLY_DELIVERED = "partially_delivered"

    @property
    def final(self) -> bool:
        """Nothing more will be learnt of it (delivered, read, undelivered, failed, canceled)."""
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset(
    {
        MessageStatus.DELIVERED,
        MessageStatus.READ,
        MessageStatus.UNDELIVERED,
        MessageStatus.FAILED,
        MessageStatus.CANCELED,
    }
)


class RecipientOptedOut(BackendError):
    """The customer opted out of messages from the sender (they replied STOP): nothing was sent, and nothing will
    be until they opt in again. The desk withdraws their consent for the channel in the CRM (outbox/kinds/follow_up.py)."""


class OutboundMessage(Model):
    id: str  # the CPaaS's own (a Twilio Message SID)
    channel: Channel
    to: str
    body: str
    status: MessageStatus
    error: str | None = None  # why it failed or was undelivered, where the CPaaS says
    created_at: datetime | None = None


@dataclass(frozen=True)
class MessagingCapabilities:
    channels: frozenset[Channel] = MESSAGE_CHANNELS  # the channels it sends on; empty: none


@runtime_checkable
class Messaging(Protocol):
    capabilities: MessagingCapabilities

    async def send_message(self, channel: Channel, to: str, body: str, idempotency_key: str) -> OutboundMessage:
        """Send `body` to `to` on `channel`; the same key again answers the first message, sent once."""
        ...

    async def message_status(self, message_id: str) -> OutboundMessage:
        """The message as the CPaaS knows it now (its delivery status)."""
        ...


class NoMessaging:
    """The messaging of a contact center that carries none: it sends on no channel (no follow-up is offered), and a
    follow-up handed to it all the same fails in one sentence."""

    capabilities = MessagingCapabilities(channels=frozenset())
    why = "Follow-ups are not on this contact center."

    async def send_message(self, channel: Channel, to: str, body: str, idempotency_key: str) -> OutboundMessage:
        raise NotServed(self.why)

    async def message_status(self, message_id: str) -> OutboundMessage:
        raise NotServed(self.why)


NO_MESSAGING = NoMessaging()


def messaging_of(backend: object) -> Messaging:
    """The contact center's messaging where it carries any channel, else the stand-in (no follow-up is offered)."""
    messaging = getattr(backend, "messaging", None)
    if not isinstance(messaging, Messaging) or not messaging.capabilities.channels:
        return NO_MESSAGING
    return messaging
