"""A supervisor on contacts: monitor, whisper, barge, take a call over, leave.

A contact center that can (the capability `ContactCenterCapabilities.monitor`) gives the supervisor screen a
console that also satisfies `MonitoringConsole`; one that cannot (Twilio's, for now: docs/backends.md) does
not, and the monitoring keys are never offered. The runtime resolves it once (`monitoring_console`): the console,
or `NoMonitoring`, which refuses every call in one sentence.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve, serves
from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.models import Contact, TranscriptItem, TranscriptPage
from agent_desktop.domain.monitoring.participants import MonitoredEvent, Monitoring, MonitorMode, Participants
from agent_desktop.domain.streams.link_status import LinkStatus


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

    async def take_over(self, contact_id: str) -> Contact:
        """Take the call the supervisor is on: it rings their softphone, its agent goes to wrap-up. BackendError 409
        (not on it, no longer in progress, no softphone of theirs registered) or 422 (not a call), with the reason."""
        ...

    async def participants(self, contact_id: str) -> Participants: ...

    async def monitored(self) -> list[Monitoring]:
        """The contacts this supervisor is on now."""
        ...

    async def monitored_transcript(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        """The transcript as the agent sees it (whispers included), read without moving any read marker."""
        ...

    def monitoring_events(self) -> AsyncIterator[MonitoredEvent | LinkStatus]:
        """The supervisor's joins, mode changes and leaves, and every conversation event of the contacts they
        are on, forever; a LinkStatus when the link is lost or restored (then re-read `monitored()`)."""
        ...


class NoMonitoring:
    """The monitoring of a contact center that cannot monitor: every call refuses in one sentence, the stream ends at
    once (nothing will ever come on it)."""

    why = "Monitoring is not on this contact center."

    async def monitor(self, contact_id: str, mode: MonitorMode = MonitorMode.MONITOR) -> Monitoring:
        raise NotServed(self.why)

    async def leave(self, contact_id: str) -> None:
        raise NotServed(self.why)

    async def whisper(self, contact_id: str, text: str) -> TranscriptItem:
        raise NotServed(self.why)

    async def barge_message(self, contact_id: str, text: str) -> TranscriptItem:
        raise NotServed(self.why)

    async def take_over(self, contact_id: str) -> Contact:
        raise NotServed(self.why)

    async def participants(self, contact_id: str) -> Participants:
        raise NotServed(self.why)

    async def monitored(self) -> list[Monitoring]:
        raise NotServed(self.why)

    async def monitored_transcript(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        raise NotServed(self.why)

    async def monitoring_events(self) -> AsyncIterator[MonitoredEvent | LinkStatus]:
        return
        yield  # an async generator that yields nothing


def serves_monitoring(console: object) -> bool:
    """Whether the console's contact center monitors (its capability) and the console answers it (the protocol)."""
    return serves(console, MonitoringConsole, "monitor")


def monitoring_console(console: object) -> MonitoringConsole:
    """The console as a monitoring console where its contact center monitors, else the stand-in that refuses."""
    return resolve(console, MonitoringConsole, NoMonitoring, "monitor")
