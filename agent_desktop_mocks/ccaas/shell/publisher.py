"""Domain events as the API's Server-Sent Events: which topics hear of what, in what shape.

`agent:{agent_id}` gets what concerns that agent, `supervisor` gets everything (docs/mock-apis.md,
"Events"). Each event is written once with its topics, into the event log inside the unit of work's
transaction (a unit's events in one call: `EventLog.publish_all`); the log pushes it to subscribers only after
the commit. An agent is told of an offer once, by the `offer` event (its contact inside): the contact's change to
offered goes to the supervisor, and to the agent who let it go if a transfer made the offer.
An event's JSON is its envelope model's (sse_events.py), as pydantic dumps it.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent_desktop_mocks.ccaas.core.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from agent_desktop_mocks.ccaas.shell.sse_events import AgentStateEvent, ContactEvent, OfferClosedEvent, OfferEvent
from agent_desktop_mocks.common.event_log import EventLog

SUPERVISOR_TOPIC = "supervisor"


def agent_topic(agent_id: str) -> str:
    return f"agent:{agent_id}"


class Publisher:
    def __init__(self, log: EventLog) -> None:
        self._log = log

    def write(self, events: Sequence[DomainEvent]) -> None:
        """Write the events into the log, all in one call (one statement for their rows, one for their topics')."""
        out: list[tuple[list[str], str, str]] = []
        for i, event in enumerate(events):
            if isinstance(event, ContactChanged):
                contact = event.contact
                agents = []
                # the offer tells its agent, with the contact in it
                if contact.agent_id and not _offer_follows(events, i):
                    agents.append(contact.agent_id)
                if event.from_agent and event.from_agent != contact.agent_id:
                    agents.append(event.from_agent)
                agents.sort()
                topics = [SUPERVISOR_TOPIC, *(agent_topic(a) for a in agents)]
                out.append((topics, "contact", ContactEvent(contact=contact).model_dump_json()))
            elif isinstance(event, AgentStateChanged):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.agent.id)]
                out.append((topics, "agent_state", AgentStateEvent(agent=event.agent).model_dump_json()))
            elif isinstance(event, OfferMade):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                out.append((topics, "offer", OfferEvent(offer=event.offer).model_dump_json()))
            elif isinstance(event, OfferClosed):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                out.append((topics, "offer_closed", OfferClosedEvent(offer=event.offer).model_dump_json()))
        if out:
            self._log.publish_all(out)


def _offer_follows(events: Sequence[DomainEvent], i: int) -> bool:
    """The change at `i` is a contact's offer to its agent: the next event is that offer (core/parts/offers.py)."""
    contact = events[i].contact  # type: ignore[union-attr]
    following = events[i + 1] if i + 1 < len(events) else None
    return (
        isinstance(following, OfferMade)
        and following.offer.contact.id == contact.id
        and following.offer.agent_id == contact.agent_id
    )
