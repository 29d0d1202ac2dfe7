"""What the supervisor's use cases (monitoring_use_cases.py, drilldown_use_cases.py, workforce_use_case.py) read of
the controller they belong to: the desk, the console, the clock, and the controller's spawn and toasts (the desk
announces its own changes: nothing here asks for a redraw). They know the controller only as this protocol, so the
controller imports them and they never import it (as the agent desk's use cases know theirs:
agent_desktop/agent_desk/use_case.py); and each knows the desk only as a protocol of what it reads of it (at least
`DeskNotices`), declared beside it, so no use case imports the desk that imports the features."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar

from agent_desktop.domain.changes import Severity
from agent_desktop.domain.supervisor.protocol import SupervisorConsole

DeskT_co = TypeVar("DeskT_co", covariant=True)


class DeskNotices(Protocol):
    """The least a use case reads of the supervisor's desk (desk.py's SupervisorDesk): where it says a refusal."""

    def notice(self, text: str, title: str, severity: Severity = "information") -> None: ...


class SupervisorUseCaseHost(Protocol[DeskT_co]):
    """The controller as its use cases see it (agent_desktop/supervisor_desk/controller.py's SupervisorController),
    its desk as the protocol `DeskT_co` of what the use case reads of it."""

    @property
    def desk(self) -> DeskT_co: ...

    console: SupervisorConsole
    now: Callable[[], datetime]

    def spawn(self, work: Awaitable[object], replacing: asyncio.Task[object] | None = None) -> asyncio.Task[object]: ...

    def told(self, text: str, title: str) -> None: ...
