"""Supervisors on contacts, as the agent's stream tells of them (the rest: agent_desktop/domain/monitoring/participants.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from agent_desktop.domain.models.base import Model
from agent_desktop.domain.vocabulary import Channel, MonitorMode


class MonitorEvent(Model):
    """A supervisor joined a contact, changed mode or left (`mode` None once left)."""

    type: Literal["supervisor_joined", "supervisor_mode_changed", "supervisor_left"]
    contact_id: str
    channel: Channel
    agent_id: str | None = None
    supervisor_id: str
    supervisor_name: str
    mode: MonitorMode | None = None
    previous_mode: MonitorMode | None = None
    reason: str | None = None
    at: datetime
