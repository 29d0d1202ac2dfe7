"""Domain events as the API's Server-Sent Events: which topics hear of what, in what shape.

`agent:{agent_id}` gets what concerns that agent, `supervisor` gets everything (docs/mock-apis.md,
"Events"). Written into the event log inside the unit of work's transaction; the log pushes them
to subscribers only after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from mock_backends.ccaas.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from mock_backends.ccaas.sse_events import AgentStateEvent, ContactEvent, OfferClosedEvent, OfferEvent
from mock_backends.common.event_log import EventLog

SUPERVISOR_TOPIC = "supervisor"


def agent_topic(agent_id: str) -> str:
    return f"agent:{agent_id}"


class Publisher:
    def __init__(self, log: EventLog) -> None:
        self._log = log

    def write(self, events: Iterable[DomainEvent]) -> None:
        log = self._log
        for event in events:
            if isinstance(event, ContactChanged):
                contact = event.contact
                agents = sorted({contact.agent_id, event.from_agent} - {None})  # type: ignore[type-var]
                topics = [SUPERVISOR_TOPIC, *(agent_topic(a) for a in agents if a)]
                log.publish(topics, "contact", ContactEvent(contact=contact).model_dump(mode="json"))
            elif isinstance(event, AgentStateChanged):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.agent.id)]
                log.publish(topics, "agent_state", AgentStateEvent(agent=event.agent).model_dump(mode="json"))
            elif isinstance(event, OfferMade):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                log.publish(topics, "offer", OfferEvent(offer=event.offer).model_dump(mode="json"))
            elif isinstance(event, OfferClosed):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                log.publish(topics, "offer_closed", OfferClosedEvent(offer=event.offer).model_dump(mode="json"))
