"""Domain events as the API's Server-Sent Events: which topics hear of what, in what shape.

`agent:{agent_id}` gets what concerns that agent, `supervisor` gets everything (docs/mock-apis.md,
"Events"). Each event is written once with its topics, into the event log inside the unit of work's
transaction; the log pushes it to subscribers only after the commit. An agent is told of an offer
once, by the `offer` event (its contact inside): the contact's change to offered goes to the
supervisor, and to the agent who let it go if a transfer made the offer.
An event's JSON is pydantic's (`model_dump_json`: compact, no spaces after `,` and `:`), made once: a
dict and `json.dumps` took four times as long, and an offer request writes four events.
"""

from __future__ import annotations

from collections.abc import Sequence

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

    def write(self, events: Sequence[DomainEvent]) -> None:
        log = self._log
        for i, event in enumerate(events):
            if isinstance(event, ContactChanged):
                contact = event.contact
                agents = {contact.agent_id, event.from_agent} - {None}
                if _offer_follows(events, i):
                    agents.discard(contact.agent_id)  # the offer tells them, with the contact in it
                agents = sorted(agents)  # type: ignore[type-var]
                topics = [SUPERVISOR_TOPIC, *(agent_topic(a) for a in agents if a)]
                log.publish(topics, "contact", ContactEvent(contact=contact).model_dump_json())
            elif isinstance(event, AgentStateChanged):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.agent.id)]
                log.publish(topics, "agent_state", AgentStateEvent(agent=event.agent).model_dump_json())
            elif isinstance(event, OfferMade):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                log.publish(topics, "offer", OfferEvent(offer=event.offer).model_dump_json())
            elif isinstance(event, OfferClosed):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                log.publish(topics, "offer_closed", OfferClosedEvent(offer=event.offer).model_dump_json())


def _offer_follows(events: Sequence[DomainEvent], i: int) -> bool:
    """The change at `i` is a contact's offer to its agent: the next event is that offer (core/offers.py)."""
    contact = events[i].contact  # type: ignore[union-attr]
    following = events[i + 1] if i + 1 < len(events) else None
    return (
        isinstance(following, OfferMade)
        and following.offer.contact.id == contact.id
        and following.offer.agent_id == contact.agent_id
    )
