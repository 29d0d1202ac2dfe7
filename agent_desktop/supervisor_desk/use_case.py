"""What the supervisor's use cases (monitoring_use_cases.py, drilldown_use_cases.py) read of the controller they
belong to: the desk, the console, the clock, and the controller's spawn and toasts (the desk announces its own
changes: nothing here asks for a redraw). They know the
controller only as this protocol, so the controller imports them and they never import it (as the agent desk's
use cases know theirs: agent_desktop/agent_desk/use_case.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from agent_desktop.domain.supervisor_protocol import SupervisorConsole

if TYPE_CHECKING:  # the desk is named for the type checker only: it imports its features, not them
    from agent_desktop.supervisor_desk.desk import SupervisorDesk


class SupervisorUseCaseHost(Protocol):
    """The controller as its use cases see it (agent_desktop/supervisor_desk/controller.py's SupervisorController)."""

    desk: SupervisorDesk
    console: SupervisorConsole
    now: Callable[[], datetime]

    def spawn(self, work: Awaitable[object], replacing: asyncio.Task[object] | None = None) -> asyncio.Task[object]: ...

    def told(self, text: str, title: str) -> None: ...
