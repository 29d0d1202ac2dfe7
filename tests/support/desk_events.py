"""Contact-center events as the agent's stream carries them, built small for desk tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from agent_desktop.domain.models import (
    Agent,
    AgentState,
    AgentStateEvent,
    Channel,
    Consult,
    ConsultState,
    Contact,
    ContactEvent,
    ContactState,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
    ParticipantRole,
    Target,
    TargetKind,
    TranscriptItem,
)

AGENT_ID = "agent-001"
T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def contact(
    contact_id: str, state: ContactState, *, agent_id: str | None = AGENT_ID, consult: ConsultState | None = None
) -> Contact:
    return Contact(
        id=contact_id,
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address=f"+1415555{int(contact_id.split('-')[-1]):04d}",
        subject="Refund for a double charge",
        state=state,
        agent_id=agent_id,
        entered_queue_at=T0,
        consult=None
        if consult is None
        else Consult(target=Target(kind=TargetKind.QUEUE, id="tech"), state=consult, started_at=T0),
    )


def contact_event(contact_id: str, state: ContactState, event_id: int | None = None, **kwargs: Any) -> ContactEvent:
    return ContactEvent(contact=contact(contact_id, state, **kwargs), event_id=event_id)


def offer(contact_id: str, state: OfferState = OfferState.PENDING) -> Offer:
    return Offer(
        id=f"o-{contact_id}",
        agent_id=AGENT_ID,
        contact=contact(contact_id, ContactState.OFFERED),
        state=state,
        offered_at=T0,
        expires_at=T0 + timedelta(seconds=20),
    )


def offer_event(contact_id: str, event_id: int | None = None) -> OfferEvent:
    return OfferEvent(offer=offer(contact_id), event_id=event_id)


def offer_closed(contact_id: str, state: OfferState, event_id: int | None = None) -> OfferClosedEvent:
    return OfferClosedEvent(offer=offer(contact_id, state), event_id=event_id)


def agent_event(state: AgentState, event_id: int | None = None) -> AgentStateEvent:
    agent = Agent(id=AGENT_ID, name="Alex Agent", state=state, state_since=T0, not_ready_reasons=["Break"])
    return AgentStateEvent(agent=agent, event_id=event_id)


def customer_message(contact_id: str, index: int, text: str, start: datetime = T0) -> TranscriptItem:
    """The customer's `index`-th message of a conversation, written `index` seconds after `start`."""
    return TranscriptItem(
        id=f"{contact_id}-m-{index}",
        contact_id=contact_id,
        index=index,
        kind="message",
        role=ParticipantRole.CUSTOMER,
        display_name="Dana Lee",
        text=text,
        created_at=start + timedelta(seconds=index),
    )
