"""What every use case of the desk reads of the controller it belongs to: the desk, the backends, the outbox,
the optional features' ports, the clock, what is kept on disk, and the controller's spawn and carry_out. A change
is drawn because the desk announces it (no use case asks for a redraw). The use cases know the controller only as
this protocol, so the controller imports them and they never import it; and each knows the desk only as a protocol
of what it reads of it, declared beside it (at least `DeskNotices`), so no feature imports the desk that imports
the features."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from agent_desktop.agent_desk import changes
from agent_desktop.domain.changes import Severity
from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.outbox.store import Outbox
from agent_desktop.services import AgentPorts

if TYPE_CHECKING:
    from agent_desktop.agent_desk.drafts.draft_keeper import DraftKeeper

DeskT_co = TypeVar("DeskT_co", covariant=True)
DeskT = TypeVar("DeskT", bound="DeskNotices")


class DeskNotices(Protocol):
    """The least a use case reads of the desk (desk/model.py's Desk): where it says what happened."""

    def notice(
        self, text: str, title: str, severity: Severity = "information", timeout: float | None = None
    ) -> None: ...


class UseCaseHost(Protocol[DeskT_co]):
    """The controller as its use cases see it (agent_desktop/agent_desk/controller.py's DeskController), its desk as
    the protocol `DeskT_co` of what the use case reads of it."""

    @property
    def desk(self) -> DeskT_co: ...

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


class DeskUseCase(Generic[DeskT]):
    """A part of the controller (conversations, wrap-up, the caller, experts): no forwarders, the controller
    holds it and the screen calls it. `DeskT`: the desk as the use case reads it."""

    def __init__(self, controller: UseCaseHost[DeskT]) -> None:
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
