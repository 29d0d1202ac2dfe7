"""The service container the app is given: one object per backend kind, seen only through its protocol,
and the outbox. No implementation is named here (agent_desktop/app/backend_factory.py picks them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.outbox.store import Outbox, default_outbox_path
from agent_desktop.writing_aids.quick_responses import QuickResponse, load_quick_responses

if TYPE_CHECKING:
    from agent_desktop.domain.supervisor_protocol import SupervisorConsole

# Which desk a screen of the app is (not agent_desktop.agent_desk.Desk, the agent's desk model).
DeskKind = Literal["agent", "supervisor"]


def utc_now() -> datetime:
    """The desk's clock, unless a test or a screenshot fixes one."""
    return datetime.now(UTC)


@dataclass
class Backends:
    """What the app is given: one object per backend kind, seen only through its protocol."""

    contact_center: ContactCenter
    crm: Crm
    presence: PresenceDirectory
    # CRM writes wait here (a local SQLite file) until the CRM has them.
    outbox: Outbox = field(default_factory=lambda: Outbox(default_outbox_path()))
    # Supervisor mode (`agent-desktop supervisor`, or the demo): None for an agent's desktop.
    supervisor: SupervisorConsole | None = None
    # The team's quick responses (a TOML file; the shipped one unless `quick_responses_path` says).
    quick_responses: list[QuickResponse] = field(default_factory=load_quick_responses)

    async def aclose(self) -> None:
        for backend in (self.contact_center, self.crm, self.presence, self.supervisor):
            if backend is not None:
                await backend.aclose()
        self.outbox.close()
