"""Records the core keeps that are not part of the API as such (an offer refers to its contact)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent_desktop_mocks.ccaas.core.wire.schemas import OfferState


@dataclass
class OfferRecord:
    """An offer as kept and stored: the contact is referenced, not copied."""

    id: str
    agent_id: str
    contact_id: str
    state: OfferState
    offered_at: datetime
    expires_at: datetime
