"""Domain models: the shapes every backend implementation must produce."""

from __future__ import annotations

import pytest
from httpx_sse import ServerSentEvent
from pydantic import TypeAdapter, ValidationError

from agent_desktop.adapters.http.contact_center import _parse_event
from agent_desktop.adapters.wire.event_json import Unreadable
from agent_desktop.domain.models import (
    AgentState,
    AgentStateEvent,
    Availability,
    ContactCenterEvent,
    OfferEvent,
)

AGENT = {"id": "agent-001", "name": "Alex", "state": "available", "state_since": "2026-11-20T14:30:00Z"}
CONTACT = {
    "id": "c-000001",
    "channel": "voice",
    "queue_id": "billing",
    "queue_name": "Billing",
    "from_address": "+14155550100",
    "state": "offered",
    "entered_queue_at": "2026-11-20T14:29:40Z",
}


def test_events_are_told_apart_by_their_type() -> None:
    events = TypeAdapter(list[ContactCenterEvent]).validate_python(
        [
            {"type": "agent_state", "agent": AGENT},
            {
                "type": "offer",
                "offer": {
                    "id": "o-000001",
                    "agent_id": "agent-001",
                    "contact": CONTACT,
                    "state": "pending",
                    "offered_at": "2026-11-20T14:30:00Z",
                    "expires_at": "2026-11-20T14:30:20Z",
                },
            },
        ]
    )
    assert isinstance(events[0], AgentStateEvent)
    assert events[0].agent.state is AgentState.AVAILABLE
    assert isinstance(events[1], OfferEvent)
    assert (events[1].offer.expires_at - events[1].offer.offered_at).total_seconds() == 20


def test_fields_a_backend_adds_are_ignored_but_missing_ones_are_refused() -> None:
    assert AgentStateEvent.model_validate({"type": "agent_state", "agent": {**AGENT, "site": "Leeds"}})
    with pytest.raises(ValidationError):
        AgentStateEvent.model_validate({"type": "agent_state", "agent": {"id": "agent-001"}})


def test_an_unknown_event_type_is_not_fatal_and_said_unreadable() -> None:
    """Not dropped in silence: the stream logs and counts it (tests/e2e/backends/test_unreadable_events.py)."""
    assert _parse_event(ServerSentEvent(event="queue_moved", data='{"type": "queue_moved"}')) == Unreadable(
        "queue_moved", "union_tag_invalid"
    )
    assert _parse_event(ServerSentEvent(event="offer", data="not json")) == Unreadable("offer", "not JSON")


def test_only_available_presence_counts_as_free() -> None:
    free = {a for a in Availability if a.is_free}
    assert free == {Availability.AVAILABLE, Availability.AVAILABLE_IDLE}


def test_every_agent_state_has_a_label() -> None:
    assert all(state.label for state in AgentState)
    assert AgentState.AFTER_CONTACT_WORK.label == "After contact work"
