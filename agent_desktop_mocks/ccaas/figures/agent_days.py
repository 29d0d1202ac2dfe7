"""Each agent's own day as the contact center keeps it: the states taken since midnight (with the not-ready
reason) and the offers made, accepted, rejected and missed. Fed by the engine's domain events after each commit;
the agent reads it through `GET /v1/agents/{id}/day` (routers/agents.py), with their contacts today beside it.
Kept in memory: after a restart the day starts from each agent's state at that moment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.core.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, Contact, OfferState


class StateSpan(BaseModel):
    state: AgentState
    reason: str | None = None
    since: datetime = Field(description="When the state began (the day's first: midnight at the earliest)")


class OfferCounts(BaseModel):
    offered: int = 0
    accepted: int = 0
    rejected: int = 0
    missed: int = Field(default=0, description="Expired unanswered")


class AgentDay(BaseModel):
    agent_id: str
    since: datetime = Field(description="Midnight, or when the contact center first saw the agent today")
    as_of: datetime = Field(description="Now: the last state lasts until this moment")
    states: list[StateSpan] = Field(description="The states taken today, oldest first; the first starts at `since`")
    offers: OfferCounts
    contacts: list[Contact] = Field(description="Every contact the agent was connected to today, newest first")


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


class AgentDays:
    """Every agent's day so far (`day`), kept from the engine's events (`on_events`)."""

    def __init__(self, agents: Iterable[Agent], now: datetime) -> None:
        self._midnight = _midnight(now)
        self._since: dict[str, datetime] = {}
        self._spans: dict[str, list[StateSpan]] = {}
        self._offers: dict[str, OfferCounts] = {}
        self._accepted: dict[str, set[tuple[str, datetime]]] = {}  # (contact, offered at) counted as accepted today
        for agent in agents:
            self._seen(agent, now)

    def _seen(self, agent: Agent, now: datetime) -> None:
        since = max(min(agent.state_since, now), self._midnight)
        self._since[agent.id] = since
        self._spans[agent.id] = [StateSpan(state=agent.state, reason=agent.reason, since=since)]
        self._offers[agent.id] = OfferCounts()

    def _roll(self, now: datetime) -> None:
        """A new day: each agent starts it in the state they were in at midnight."""
        midnight = _midnight(now)
        if midnight <= self._midnight:
            return
        self._midnight = midnight
        for agent_id, spans in self._spans.items():
            last = spans[-1]
            self._since[agent_id] = midnight
            self._spans[agent_id] = [last.model_copy(update={"since": max(last.since, midnight)})]
            self._offers[agent_id] = OfferCounts()
            self._accepted.pop(agent_id, None)

    def on_events(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, AgentStateChanged):
                self._state_changed(event.agent)
            elif isinstance(event, OfferMade):
                self._counts(event.offer.agent_id, event.offer.offered_at).offered += 1
            elif isinstance(event, ContactChanged) and event.kind == "connected":
                self._connected(event.contact)
            elif isinstance(event, OfferClosed):
                counts = self._counts(event.offer.agent_id, event.offer.offered_at)
                if event.offer.state == OfferState.REJECTED:
                    counts.rejected += 1
                elif event.offer.state == OfferState.EXPIRED:
                    counts.missed += 1

    def _connected(self, contact: Contact) -> None:
        """An accepted offer connects its contact (a callback's customer picking up connects it again: counted
        once, by the offer's moment)."""
        if contact.agent_id is None or contact.offered_at is None:
            return
        accepted = self._accepted.setdefault(contact.agent_id, set())
        if (contact.id, contact.offered_at) not in accepted:
            accepted.add((contact.id, contact.offered_at))
            self._counts(contact.agent_id, contact.offered_at).accepted += 1

    def _counts(self, agent_id: str, at: datetime) -> OfferCounts:
        self._roll(at)
        return self._offers.setdefault(agent_id, OfferCounts())

    def _state_changed(self, agent: Agent) -> None:
        self._roll(agent.state_since)
        spans = self._spans.get(agent.id)
        if spans is None:
            self._seen(agent, agent.state_since)
            return
        last = spans[-1]
        if (last.state, last.reason) == (agent.state, agent.reason):
            return
        since = max(agent.state_since, last.since)  # a change told late never goes back before the last one
        if since == last.since:
            spans[-1] = StateSpan(state=agent.state, reason=agent.reason, since=since)
        else:
            spans.append(StateSpan(state=agent.state, reason=agent.reason, since=since))

    def day(self, agent: Agent, contacts: list[Contact], now: datetime) -> AgentDay:
        self._roll(now)
        if agent.id not in self._spans:
            self._seen(agent, now)
        return AgentDay(
            agent_id=agent.id,
            since=self._since[agent.id],
            as_of=max(now, self._spans[agent.id][-1].since),
            states=list(self._spans[agent.id]),
            offers=self._offers[agent.id].model_copy(),
            contacts=contacts,
        )
