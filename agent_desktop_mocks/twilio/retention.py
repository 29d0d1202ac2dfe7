"""What TaskRouter forgets: a task is deleted five minutes after it is completed or canceled, and its
reservations with it (docs/vendors/twilio-taskrouter.md). Measured on the engine's clock, so a test steps it
(or shortens `task_retention_s`); the engine itself keeps the contact (the mock CCaaS still serves it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from agent_desktop_mocks.ccaas.core.errors import NotFound
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState
from agent_desktop_mocks.twilio.state import TwilioState
from agent_desktop_mocks.twilio.task_segments import Segment


def finished_at(contact: Contact) -> datetime | None:
    """When the task reached a terminal status (completed or canceled), else None."""
    if contact.state == ContactState.COMPLETED:
        return contact.completed_at or contact.ended_at
    if contact.state == ContactState.ABANDONED:
        return contact.ended_at or contact.completed_at
    return None


def deleted(twilio: TwilioState, contact: Contact) -> bool:
    """True once TaskRouter would have deleted the contact's task."""
    done = finished_at(contact)
    return done is not None and twilio.engine.read.now() - done >= timedelta(seconds=twilio.settings.task_retention_s)


def segment_deleted(twilio: TwilioState, segment: Segment) -> bool:
    """True once TaskRouter would have deleted a task an Invite left behind (completed by its participant)."""
    done = segment.closed_at if segment.status == "completed" else None
    return done is not None and twilio.engine.read.now() - done >= timedelta(seconds=twilio.settings.task_retention_s)


def offer_deleted(twilio: TwilioState, offer_id: str) -> bool:
    """True when the reservation is gone: its task was deleted (or the engine no longer holds the offer)."""
    try:
        offer = twilio.engine.read.offer(offer_id)
        return deleted(twilio, twilio.engine.read.contact(offer.contact.id))
    except NotFound:
        return True
