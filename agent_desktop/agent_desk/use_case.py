"""What every use case of the desk reads of the controller it belongs to: the desk, the backends, the outbox,
the optional features' ports, the clock, what is kept on disk, and the controller's spawn and carry_out. A change
is drawn because the desk announces it (no use case asks for a redraw). The use cases know the controller only as
this protocol, so the controller imports them and they never import it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk import changes
from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.outbox.store import Outbox
from agent_desktop.services import AgentPorts

if TYPE_CHECKING:  # the desk is named for the type checker only: it imports its features, not them
    from agent_desktop.agent_desk.desk import Desk
    from agent_desktop.agent_desk.drafts.draft_keeper import DraftKeeper


class UseCaseHost(Protocol):
    """The controller as its use cases see it (agent_desktop/agent_desk/controller.py's DeskController)."""

    desk: Desk
    contact_center: ContactCenter
    crm: Crm
    presence: PresenceDirectory
    outbox: Outbox
    ports: AgentPorts  # the optional features: a stand-in for each the contact center does not serve
    kept: DraftKeeper
    now: Callable[[], datetime]

    def spawn(self, work: Awaitable[object]) -> asyncio.Future[object]: ...

    async def next_state_sent(self) -> None: ...

    async def end_answered(self, contact_id: str) -> None: ...

    def carry_out(self, effects: list[changes.Effect]) -> None: ...


class DeskUseCase:
    """A part of the controller (conversations, wrap-up, the caller, experts): no forwarders, the controller
    holds it and the screen calls it."""

    def __init__(self, controller: UseCaseHost) -> None:
        self.controller = controller
        self.desk = controller.desk
        self.contact_center = controller.contact_center
        self.crm = controller.crm
        self.presence = controller.presence
        self.outbox = controller.outbox
        self.ports = controller.ports
        self.kept = controller.kept
        self.now = controller.now
        self._spawn = controller.spawn
        self._carry_out = controller.carry_out
