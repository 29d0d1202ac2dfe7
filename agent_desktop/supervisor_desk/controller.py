"""The supervisor's use cases, without a terminal: the floor's stream and the supervisor's actions on agents and
queues. The screen runs these in its workers and draws the desk; the desk announces each change itself (its `feed`,
the monitored contacts' `monitored.feed`), which the screen's pacer coalesces into one redraw per burst: nothing here
asks for one. A backend's refusal becomes a notice on the desk, in words (refusals.py), never an exception.

The other use cases are parts it holds, each in its file: `monitoring` (monitoring_use_cases.py: join, whisper,
barge, leave and the monitoring stream) and `drilldowns` (drilldown_use_cases.py: what the drill-downs read
and the contact moved from one).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from agent_desktop.domain.calls.softphone import NoSoftphone, Softphone, softphone_registrar
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import LookupResult
from agent_desktop.domain.quality.forms import EvaluationRecord
from agent_desktop.domain.supervisor.protocol import SupervisorConsole
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.supervisor_desk.desk import SupervisorDesk, state_words
from agent_desktop.supervisor_desk.drilldown_use_cases import DrilldownUseCases
from agent_desktop.supervisor_desk.flags.flag_use_cases import FlagsAndBroadcasts
from agent_desktop.supervisor_desk.floor_question.ask_floor import AskTheFloor
from agent_desktop.supervisor_desk.monitoring.monitoring_use_cases import MonitoringUseCases
from agent_desktop.supervisor_desk.monitoring.supervisor_phone import SupervisorPhone
from agent_desktop.supervisor_desk.ports import SupervisorPorts, kept_nowhere
from agent_desktop.supervisor_desk.quality.quality_use_cases import QualityUseCases
from agent_desktop.supervisor_desk.refusals import refusal_words
from agent_desktop.supervisor_desk.urgent_assist.urgent_briefs import UrgentBriefs
from agent_desktop.supervisor_desk.workforce.workforce_use_case import WorkforceUseCases

T = TypeVar("T")


class SupervisorController:
    def __init__(
        self,
        desk: SupervisorDesk,
        console: SupervisorConsole,
        ports: SupervisorPorts,
        now: Callable[[], datetime],
        *,
        record_evaluation: Callable[[EvaluationRecord], object] = kept_nowhere,
        lookup_caller: Callable[[str], Awaitable[LookupResult]] | None = None,
        softphone: Softphone | None = None,
    ) -> None:
        """`ports`: the console's optional features, resolved once by the runtime (stand-ins for those not served);
        `record_evaluation`: hands an evaluation released to the CRM (the app's outbox). The supervisor's joins, mode
        changes and leaves go to the CRM from the desk, as each is applied (`SupervisorDesk(record_supervision=)`)."""
        self.desk = desk
        self.console = console
        self.now = now
        self._tasks: set[asyncio.Task[object]] = set()
        # Monitoring: its keys are offered only on a contact center that can (else its port is a stand-in).
        self.monitoring = MonitoringUseCases(self, ports.monitoring_console, lookup_caller)
        self.drilldowns = DrilldownUseCases(self)
        self.flags = FlagsAndBroadcasts(self, ports.flags_console)  # flags and broadcasts
        self.workforce = WorkforceUseCases(self)
        self.quality = QualityUseCases(self, ports.quality_console, record_evaluation, assist=ports.assist)
        # The supervisor's own softphone (`[softphone]`): where a call they take over rings.
        self.phone = SupervisorPhone(
            softphone or NoSoftphone(), softphone_registrar(console), desk.monitored.phone_is, desk.notice
        )
        self.ask_floor = AskTheFloor(self, desk, now, ports.assist)  # the supervisor's question about the floor
        self.urgent = UrgentBriefs(self, desk, ports.assist, lookup_caller)  # an urgent contact's summary, history

    async def follow_floor(self) -> None:
        """Apply the floor's stream for as long as it runs (reconnecting by itself; a snapshot on each)."""
        async for item in self.console.events():
            self.desk.apply(item)  # (it announces what changed)
            self.urgent.check()  # an urgent alert's brief asked for once

    def spawn(self, work: Awaitable[object], replacing: asyncio.Task[object] | None = None) -> asyncio.Task[object]:
        """Run `work` beside the streams (cancelling `replacing`, the same work started before)."""
        if replacing is not None:
            replacing.cancel()
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.phone.sign_out()  # a call taken over rings the supervisor's softphone no more

    async def act(self, call: Awaitable[T], title: str) -> T | None:
        """One call to the contact center; a refusal (e.g. 403, 409) becomes a notice in words, and None."""
        try:
            return await call
        except BackendError as error:
            self.desk.notice(refusal_words(error), title, "error")
            return None

    def told(self, text: str, title: str) -> None:
        self.desk.notice(text, title)

    # --- an agent's state -------------------------------------------------------------

    async def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> bool:
        """Set the agent's state now. False when the agent took a contact meanwhile (a 409) on a contact center
        that keeps a next state: the supervisor is told to choose the state they take after it."""
        name = self.desk.agent_name(agent_id)
        try:
            await self.console.set_agent_state(agent_id, state, reason)
        except BackendError as error:
            if error.status == 409 and self.desk.can.native_next_state:
                self.desk.notice(
                    f"{name} has a contact in hand now: choose the state they take after it.", "Agent state", "warning"
                )
                return False
            self.desk.notice(refusal_words(error), "Agent state", "error")
            return True
        self.told(f"{name}: {state_words(state, reason)} requested.", "Agent state")
        return True

    async def set_agent_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> None:
        """The state the agent takes after their current contact (None cancels the one asked for)."""
        name = self.desk.agent_name(agent_id)
        if await self.act(self.console.set_agent_next_state(agent_id, state, reason), "Agent state") is None:
            return
        if state is not None:
            self.told(f"{name} takes {state_words(state, reason)} after their current contact.", "Agent state")
        else:
            self.told(f"{name}: the requested next state is cancelled.", "Agent state")

    async def log_out_agent(self, agent_id: str) -> None:
        """Offline now, or after the contact in hand where the contact center keeps a next state."""
        if self.desk.holding(agent_id):
            await self.set_agent_next_state(agent_id, AgentState.OFFLINE)
        else:
            await self.set_agent_state(agent_id, AgentState.OFFLINE)

    # --- a queue's priority -------------------------------------------------------------

    async def change_priority(self, queue_id: str, step: int) -> None:
        queue = self.desk.floor.queues.get(queue_id)
        if queue is None:
            return
        priority = queue.priority + step
        changed = await self.act(self.console.set_queue_priority(queue.id, priority), "Priority")
        if changed is not None:
            self.desk.floor.set_queue(changed)
            self.told(f"{queue.name}: routing priority {priority}.", "Priority")
