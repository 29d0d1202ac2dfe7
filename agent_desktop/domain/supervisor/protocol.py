"""The supervisor's interface to a contact center: watch the floor, act on agents, contacts and queues.

An integrator plugs a real CCaaS into supervisor mode by writing a class that
satisfies `SupervisorConsole`; the supervisor screen sees nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Agent, AgentState, Contact
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.supervisor.models import (
    AgentActivity,
    FloorSnapshot,
    StatsSample,
    StatsWindow,
    SupervisedQueue,
    SupervisorEvent,
    WindowStats,
)
from agent_desktop.domain.workforce.models import AdherenceSnapshot, Coverage


@runtime_checkable
class SupervisorConsole(Protocol):
    capabilities: ContactCenterCapabilities
    """The contact center's (queue priority and monitoring are the supervisor's)."""

    async def check_access(self) -> None:
        """Raise BackendError (status 403) unless the credentials are a supervisor's."""
        ...

    async def list_queues(self) -> list[SupervisedQueue]: ...

    async def queue_stats(self, window: StatsWindow = "today") -> list[WindowStats]: ...

    async def stats_history(self, minutes: int = 30) -> list[StatsSample]:
        """One sample per queue per minute, oldest first."""
        ...

    async def list_agents(self) -> list[AgentActivity]: ...

    async def waiting_contacts(self, queue_id: str) -> list[Contact]:
        """Contacts queued or being offered in the queue, longest waiting first."""
        ...

    async def agent_contacts_today(self, agent_id: str) -> list[Contact]:
        """Every contact the agent handled since midnight, newest first."""
        ...

    async def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> Agent: ...

    async def set_agent_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> Agent:
        """The state the agent takes once their last contact is completed (None clears the request): what a
        supervisor may ask of an agent with a contact in hand. Asked only of a contact center whose
        capabilities say `native_next_state`; one without (Twilio) raises BackendError (501)."""
        ...

    async def move_contact(self, contact_id: str, queue_id: str) -> Contact:
        """Move a waiting contact to another queue; it keeps its place in time."""
        ...

    async def set_queue_priority(self, queue_id: str, priority: int) -> SupervisedQueue: ...

    async def queue_coverage(self, queue_id: str) -> Coverage:
        """Today's agents needed (the queue's forecast), scheduled and the gap per half-hour; only with
        `capabilities.workforce`. BackendError 403 for a queue outside the supervisor's."""
        ...

    async def adherence(self) -> AdherenceSnapshot:
        """Real-time adherence now, per agent of the supervisor's queues and per team; only with
        `capabilities.workforce` (its changes come on `events()`, and in each FloorSnapshot)."""
        ...

    def events(self) -> AsyncIterator[FloorSnapshot | SupervisorEvent | LinkStatus]:
        """Every event of the floor, forever. A FloorSnapshot comes first on each (re)connection;
        a LinkStatus whenever the link is lost or restored."""
        ...

    async def aclose(self) -> None: ...
