"""What the app is handed to draw: one run of the desktop, its sessions and its outbox's sender built outside the
app (agent_desktop/app/runtime.py's `DeskRuntime`, in the layer above), seen here by what the app uses of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.session import AgentSession
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.services import DeskKind
from agent_desktop.writing_aids.quick_responses import QuickResponse

if TYPE_CHECKING:
    from agent_desktop.domain.outbox_counts import OutboxCounts
    from agent_desktop.supervisor_desk.session import SupervisorSession


class RunningDesk(Protocol):
    """The sessions to draw, what runs beside them, and two hooks the app sets to hear of the outbox."""

    desks: tuple[DeskKind, ...]  # the screens offered, the first shown at start
    clock: Callable[[], datetime]
    quit_state: AgentState  # the agent's state when the desk ends (the quit dialog names it)
    agent: AgentSession | None  # the agent's desk, if offered
    supervisor: SupervisorSession | None  # the supervisor's desk, if offered
    quick_responses: list[QuickResponse]
    remote_socket: Path | None  # where scripts drive the agent's desk (docs/remote.md); None: nowhere
    outbox_changed: Callable[[], object]  # set by the app: the outbox's counts may have moved
    write_refused: Callable[[str, str, DeskKind], None]  # set by the app: (title, words, the desk it is for)

    @property
    def log_path(self) -> Path: ...

    async def outbox_counts(self) -> OutboxCounts: ...

    async def run(self) -> None: ...

    async def leave_routing(self) -> str | None: ...

    async def aclose(self) -> None: ...
