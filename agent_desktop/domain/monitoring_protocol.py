"""A supervisor on contacts: monitor, whisper, barge, leave (issue 22).

A contact center that can (the capability `ContactCenterCapabilities.monitor`) gives the supervisor screen a
console that also satisfies `MonitoringConsole`; one that cannot (Twilio's, for now: docs/backends.md) does
not, and the monitoring keys are never offered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from agent_desktop.domain.link_status import LinkStatus
from agent_desktop.domain.models import ConversationEvent, TranscriptItem, TranscriptPage
from agent_desktop.domain.monitoring_models import MonitorEvent, Monitoring, MonitorMode, Participants


@runtime_checkable
class MonitoringConsole(Protocol):
    async def monitor(self, contact_id: str, mode: MonitorMode = MonitorMode.MONITOR) -> Monitoring:
        """Join a contact in progress of one of the supervisor's queues in `mode`, or change mode.
        BackendError 403 for a contact outside them (or credentials that are not a supervisor's)."""
        ...

    async def leave(self, contact_id: str) -> None: ...

    async def whisper(self, contact_id: str, text: str) -> TranscriptItem:
        """A line only the agent sees (kept with the private notes); monitor becomes whisper."""
        ...

    async def barge_message(self, contact_id: str, text: str) -> TranscriptItem:
        """Write to the customer under the supervisor's name; barges in first."""
        ...

    async def participants(self, contact_id: str) -> Participants: ...

    async def monitored(self) -> list[Monitoring]:
        """The contacts this supervisor is on now."""
        ...

    async def monitored_transcript(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        """The transcript as the agent sees it (whispers included), read without moving any read marker."""
        ...

    def monitoring_events(self) -> AsyncIterator[MonitorEvent | ConversationEvent | LinkStatus]:
        """The supervisor's joins, mode changes and leaves, and every conversation event of the contacts they
        are on, forever; a LinkStatus when the link is lost or restored (then re-read `monitored()`)."""
        ...


def monitoring_console(console: object) -> MonitoringConsole | None:
    """The console as a monitoring console, if its contact center can monitor (else None: no keys for it)."""
    capabilities = getattr(console, "capabilities", None)
    if not getattr(capabilities, "monitor", False) or not isinstance(console, MonitoringConsole):
        return None
    return console
