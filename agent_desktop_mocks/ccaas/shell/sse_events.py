"""The `data:` of each Server-Sent Event the CCaaS mock sends (publisher.py writes them; docs/mock-apis.md, "Events")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, Contact, Offer, QueueStats


class AgentStateEvent(BaseModel):
    type: Literal["agent_state"] = "agent_state"
    agent: Agent


class OfferEvent(BaseModel):
    type: Literal["offer"] = "offer"
    offer: Offer


class OfferClosedEvent(BaseModel):
    type: Literal["offer_closed"] = "offer_closed"
    offer: Offer


class ContactEvent(BaseModel):
    type: Literal["contact"] = "contact"
    contact: Contact


class QueueStatsEvent(BaseModel):
    type: Literal["queue_stats"] = "queue_stats"
    at: datetime
    today: list[QueueStats]
    last_30m: list[QueueStats]
