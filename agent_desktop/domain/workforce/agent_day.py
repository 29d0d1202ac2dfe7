"""The agent's own day as the contact center keeps it ("my day"): the states taken since midnight,
the offers made to them and how each ended, and the contacts they handled. The desk works the figures out of it
(agent_desktop/agent_desk/my_day/my_day.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from agent_desktop.domain.models import Contact, Model
from agent_desktop.domain.vocabulary import AgentState


class StateSpan(Model):
    state: AgentState
    reason: str | None = None
    since: datetime


class OfferCounts(Model):
    offered: int = 0
    accepted: int = 0
    rejected: int = 0
    missed: int = Field(default=0, description="Expired unanswered")


class AgentDay(Model):
    agent_id: str
    since: datetime = Field(description="Midnight, or when the contact center first saw the agent today")
    as_of: datetime = Field(description="Now, as the contact center read it: the last state lasts until then")
    states: tuple[StateSpan, ...] = Field(description="Oldest first; the first starts at `since`")
    offers: OfferCounts = OfferCounts()
    contacts: tuple[Contact, ...] = ()
