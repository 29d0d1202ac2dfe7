"""Help from the supervisor: flags on contacts, their private thread, and broadcasts.

A contact center that can (the capabilities `flags` and `broadcasts` of `ContactCenterCapabilities`) gives the
agent's desk a backend that also satisfies `AgentFlags`, and the supervisor's a console that satisfies
`SupervisorFlags`; one that cannot (Twilio's, Zendesk's: docs/vendors.md) does not, and no key offers them. The
runtime resolves each once (`agent_flags`, `supervisor_flags`): the backend, or a stand-in that refuses every call in
one sentence. The changes come on the streams the desks already follow (`FlagEvent`, `BroadcastEvent`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve, serves
from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.models import Broadcast, Flag, FlagEvent


@runtime_checkable
class AgentFlags(Protocol):
    async def raise_flag(self, contact_id: str, text: str, idempotency_key: str | None = None) -> Flag:
        """Ask the supervisors of the contact's queue for help on a contact in hand (409: one open already).
        `idempotency_key`: the same for a retry of this write (an answer lost), so it is stored once."""
        ...

    async def add_flag_line(self, flag_id: str, text: str, idempotency_key: str | None = None) -> Flag: ...

    async def close_flag(self, flag_id: str) -> Flag: ...


@runtime_checkable
class SupervisorFlags(Protocol):
    async def open_flags(self) -> list[Flag]:
        """The open flags of the supervisor's queues, oldest first."""
        ...

    async def add_flag_line(self, flag_id: str, text: str) -> Flag: ...

    async def close_flag(self, flag_id: str) -> Flag: ...

    async def broadcast(self, text: str, minutes: float, queue_id: str | None = None) -> Broadcast:
        """To the queue's agents, or (None) every agent of the supervisor's queues; 403 outside them."""
        ...


class NoAgentFlags:
    """The flags of a contact center that keeps none: every call refuses in one sentence."""

    why = "Flags are not on this contact center."

    async def raise_flag(self, contact_id: str, text: str, idempotency_key: str | None = None) -> Flag:
        raise NotServed(self.why)

    async def add_flag_line(self, flag_id: str, text: str, idempotency_key: str | None = None) -> Flag:
        raise NotServed(self.why)

    async def close_flag(self, flag_id: str) -> Flag:
        raise NotServed(self.why)


class NoSupervisorFlags:
    """The flags and broadcasts of a contact center that keeps neither: every call refuses in one sentence."""

    why = "Flags and broadcasts are not on this contact center."

    async def open_flags(self) -> list[Flag]:
        raise NotServed(self.why)

    async def add_flag_line(self, flag_id: str, text: str) -> Flag:
        raise NotServed(self.why)

    async def close_flag(self, flag_id: str) -> Flag:
        raise NotServed(self.why)

    async def broadcast(self, text: str, minutes: float, queue_id: str | None = None) -> Broadcast:
        raise NotServed(self.why)


def serves_agent_flags(backend: object) -> bool:
    """Whether the contact center says it keeps flags (its capability) and answers them (the protocol)."""
    return serves(backend, AgentFlags, "flags")


def agent_flags(backend: object) -> AgentFlags:
    """The contact center as one that keeps flags where it says it can, else the stand-in that refuses."""
    return resolve(backend, AgentFlags, NoAgentFlags, "flags")


def serves_supervisor_flags(console: object) -> bool:
    """Whether the console's contact center keeps flags or broadcasts (its capabilities) and the console answers
    them (the protocol)."""
    return serves(console, SupervisorFlags, "flags", "broadcasts")


def supervisor_flags(console: object) -> SupervisorFlags:
    """The console as one that answers flags and broadcasts where its contact center says it can, else the stand-in."""
    return resolve(console, SupervisorFlags, NoSupervisorFlags, "flags", "broadcasts")


def flag_snapshot(flag: Flag) -> FlagEvent:
    """A flag of a contact in hand as a client hands it to the desk on (re)connecting, beside the contacts: its
    thread as it stands (the desk keeps it for the CRM; an event it has seen already changes nothing)."""
    kind = "flag_closed" if flag.state == "closed" else "flag_line"
    return FlagEvent(type=kind, contact_id=flag.contact_id, flag=flag, at=flag.closed_at or flag.raised_at)
