"""Domain events as the API's Server-Sent Events: which topics hear of what, in what shape.

`agent:{agent_id}` gets what concerns that agent, `supervisor` gets everything (docs/mock-apis.md,
"Events"). Each event is written once with its topics, into the event log inside the unit of work's
transaction (a unit's events in one call: `EventLog.publish_all`); the log pushes it to subscribers only after
the commit. An agent is told of an offer once, by the `offer` event (its contact inside): the contact's change to
offered goes to the supervisor, and to the agent who let it go if a transfer made the offer.
An event's JSON is pydantic's (`model_dump_json`: compact, no spaces after `,` and `:`), made once: a
dict and `json.dumps` took four times as long, and an offer request writes four events. Each record in it is
serialised once: the event's envelope is written around the record's JSON rather than built as a model and
dumped (the same bytes: tests/unit/mocks/test_publisher_json.py), and the contact copy an offer event carries is the
one its `contact` event carried, dumped once (an offer request dumped that contact twice and four envelopes: 57 µs
of its JSON down to 24 µs). The store then keeps a record still as its last event copied it with that event's JSON
(`json_of`), rather than dumping it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from mock_backends.ccaas.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from mock_backends.ccaas.schemas import Agent, Contact, Offer
from mock_backends.common.event_log import EventLog

SUPERVISOR_TOPIC = "supervisor"


def agent_topic(agent_id: str) -> str:
    return f"agent:{agent_id}"


class Publisher:
    def __init__(self, log: EventLog) -> None:
        self._log = log

    def write(self, events: Sequence[DomainEvent]) -> Written:
        """Write the events into the log, all in one call (one statement for their rows, one for their topics');
        returns the JSON of each record's last copy written (`json_of`)."""
        out: list[tuple[list[str], str, str]] = []
        dumped: dict[int, tuple[Contact, str]] = {}  # id of a contact copy → (the copy, its JSON), for this call
        written = Written({}, {})
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
                data = written.contacts[contact.id] = (contact, _contact_json(contact, dumped))
                out.append((topics, "contact", f'{{"type":"contact","contact":{data[1]}}}'))
            elif isinstance(event, AgentStateChanged):
                agent = event.agent
                topics = [SUPERVISOR_TOPIC, agent_topic(agent.id)]
                data = written.agents[agent.id] = (agent, agent.model_dump_json())
                out.append((topics, "agent_state", f'{{"type":"agent_state","agent":{data[1]}}}'))
            elif isinstance(event, OfferMade):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                out.append((topics, "offer", f'{{"type":"offer","offer":{_offer_json(event.offer, dumped)}}}'))
            elif isinstance(event, OfferClosed):
                topics = [SUPERVISOR_TOPIC, agent_topic(event.offer.agent_id)]
                out.append(
                    (topics, "offer_closed", f'{{"type":"offer_closed","offer":{_offer_json(event.offer, dumped)}}}')
                )
        if out:
            self._log.publish_all(out)
        return written


class Written(NamedTuple):
    """What a `write` wrote of each agent and contact (by id): its last event's copy and the copy's JSON."""

    agents: dict[str, tuple[Agent, str]]
    contacts: dict[str, tuple[Contact, str]]


def json_of(record: Agent | Contact, written: Mapping[str, tuple[Agent | Contact, str]]) -> str:
    """The record's JSON, as the store keeps it: the JSON its last event carried when the record is still as that
    event's copy (its fields compared by value; the usual case: a change is announced as it is made, and an offer
    request dumped its agent three times and its contact twice), else dumped now."""
    seen = written.get(record.id)
    if seen is not None and seen[0].__dict__ == record.__dict__:
        return seen[1]
    return record.model_dump_json()


def _offer_follows(events: Sequence[DomainEvent], i: int) -> bool:
    """The change at `i` is a contact's offer to its agent: the next event is that offer (core/offers.py)."""
    contact = events[i].contact  # type: ignore[union-attr]
    following = events[i + 1] if i + 1 < len(events) else None
    return (
        isinstance(following, OfferMade)
        and following.offer.contact.id == contact.id
        and following.offer.agent_id == contact.agent_id
    )


# The envelopes of sse_events.py are written around their record's JSON: `type` first, then the record, as pydantic
# dumps `AgentStateEvent(agent=...)` and the others (their fields in that order, compact separators).


def _contact_json(contact: Contact, dumped: dict[int, tuple[Contact, str]]) -> str:
    """The copy's JSON, dumped once per `write` (an event's copy is never changed after it is made). The copy is
    kept beside its JSON so that its id cannot be another object's while the cache lives."""
    seen = dumped.get(id(contact))
    if seen is None:
        seen = dumped[id(contact)] = (contact, contact.model_dump_json())
    return seen[1]


def _offer_json(offer: Offer, dumped: dict[int, tuple[Contact, str]]) -> str:
    """`offer.model_dump_json()` with its contact's JSON taken from `dumped`: the contact comes second, after
    `agent_id` and before `state` (Offer's field order); a key cannot occur inside a JSON string value (its quotes
    would be escaped), so the first `,"state":` is the key's."""
    rest = offer.model_dump_json(exclude=_CONTACT)
    cut = rest.index(',"state":')
    return f'{rest[:cut]},"contact":{_contact_json(offer.contact, dumped)}{rest[cut:]}'


_CONTACT = {"contact"}
