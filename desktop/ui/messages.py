"""App-wide messages: backend events and link changes travelling up to the screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.message import Message

from desktop.backends.models import ContactCenterEvent, ExpertMessageEvent, PresenceEvent
from desktop.backends.link_status import LinkStatus
from desktop.outbox.store import OutboxCounts


@dataclass
class ContactCenterEventArrived(Message):
    event: ContactCenterEvent


@dataclass
class PresenceChanged(Message):
    event: PresenceEvent


@dataclass
class ExpertMessageArrived(Message):
    """A message to or from an expert, pushed by the presence backend."""

    event: ExpertMessageEvent


@dataclass
class LinkChanged(Message):
    status: LinkStatus
    kind: Literal["contact_center", "presence"]


@dataclass
class OutboxChanged(Message):
    """The CRM outbox's counts after a write was queued, sent or refused."""

    counts: OutboxCounts
