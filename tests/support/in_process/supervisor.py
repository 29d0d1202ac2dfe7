"""`SupervisorConsole` over the mock CCaaS's engine and its statistics projection, in-process.

The supervisor's routes (agent_desktop_mocks/ccaas/api/routers/) called with the supervisor's `Principal`, past
the same `supervisor` check as the API's `SupervisorDep`; the floor snapshot is built from those reads
as the HTTP client builds it, and the supervisor topic of the engine's `EventLog` feeds `events()`
(queue statistics included: the engine publishes them on its tick while someone listens).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from fastapi import FastAPI, Response
from pydantic import TypeAdapter, ValidationError

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import (
    Agent,
    AgentState,
    Broadcast,
    Contact,
    Evaluation,
    Flag,
    TranscriptItem,
    TranscriptPage,
)
from agent_desktop.domain.monitoring.participants import (
    MonitoredEvent,
    Monitoring,
    MonitoringStreamEvent,
    MonitorMode,
    Participants,
)
from agent_desktop.domain.quality.forms import Form, InteractionReview, InteractionSummary, QualityRollup
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
from agent_desktop.domain.supervisor.said_alerts import SaidAlert
from agent_desktop.domain.workforce.models import AdherenceSnapshot, Coverage
from agent_desktop_mocks.ccaas.api.dependencies import supervisor
from agent_desktop_mocks.ccaas.api.routers import agents, contacts, queues, workforce
from agent_desktop_mocks.ccaas.api.routers import conversations as conversation_routes
from agent_desktop_mocks.ccaas.api.routers import flags as flag_routes
from agent_desktop_mocks.ccaas.api.routers import monitoring as monitoring_routes
from agent_desktop_mocks.ccaas.api.routers import quality as quality_routes
from agent_desktop_mocks.ccaas.api.routers import said_alerts as said_alert_routes
from agent_desktop_mocks.ccaas.api.routers import supervisor as supervisor_routes
from agent_desktop_mocks.ccaas.api.routers.voice import softphones as softphone_routes
from agent_desktop_mocks.ccaas.core.wire.requests import MoveRequest, NextStateChange, QueuePatch, StateChange
from agent_desktop_mocks.ccaas.flags.schemas import BroadcastCreate, FlagLineCreate
from agent_desktop_mocks.ccaas.monitoring.schemas import MonitorRequest, SupervisorMessageCreate
from agent_desktop_mocks.ccaas.monitoring.service import monitor_topic
from agent_desktop_mocks.ccaas.quality.schemas import EvaluationCreate
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC
from agent_desktop_mocks.ccaas.voice.softphones import SoftphoneRegistration
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.in_process.contact_center import IN_PROCESS_URL
from tests.support.in_process.event_subscription import Subscription
from tests.support.in_process.refusals import guard_body, refusals_as_backend_errors
from tests.support.in_process.wire import to_desktop, to_mock

_event = TypeAdapter(SupervisorEvent)
_monitor_event = TypeAdapter(MonitoringStreamEvent)
MONITORING = ContactCenterCapabilities(monitor=True, flags=True, broadcasts=True, quality=True, softphone_contact=True)


class InProcessSupervisorConsole:
    name = "contact center"

    def __init__(
        self,
        app: FastAPI,
        clock: Callable[[], datetime],
        capabilities: ContactCenterCapabilities | None = None,
        *,
        who: Principal | None = None,
    ) -> None:
        """`app`: a mock CCaaS from `create_app` (never served); `clock` stamps the floor snapshot; `who`: the
        caller (the demo supervisor by default; another supervisor's or an agent's token, for the refusals)."""
        self.capabilities = capabilities or MONITORING
        self._state = app.state
        self._engine = app.state.engine
        self._who = who or Principal(DEMO_SUPERVISOR_TOKEN, "supervisor", "supervisor")
        self._clock = clock
        self._request: Any = SimpleNamespace(app=app)

    def _refusals(self) -> Any:
        return refusals_as_backend_errors(self.name)

    async def _supervisor(self) -> Principal:
        return await supervisor(self._who)  # the API's SupervisorDep

    async def check_access(self) -> None:
        with self._refusals():
            await supervisor_routes.agents(await self._supervisor(), self._engine, self._state.scope)

    async def list_queues(self) -> list[SupervisedQueue]:
        with self._refusals():
            return to_desktop(list[SupervisedQueue], await queues.queues(self._who, self._engine, self._state.scope))

    async def queue_stats(self, window: StatsWindow = "today") -> list[WindowStats]:
        with self._refusals():
            return to_desktop(list[WindowStats], await queues.stats(self._who, self._engine, self._state.scope, window))

    async def stats_history(self, minutes: int = 30) -> list[StatsSample]:
        with self._refusals():
            answer = await supervisor_routes.history(await self._supervisor(), self._engine, self._state.scope, minutes)
            return to_desktop(list[StatsSample], answer)

    async def list_agents(self) -> list[AgentActivity]:
        with self._refusals():
            return to_desktop(
                list[AgentActivity],
                await supervisor_routes.agents(await self._supervisor(), self._engine, self._state.scope),
            )

    async def waiting_contacts(self, queue_id: str) -> list[Contact]:
        with self._refusals():
            return to_desktop(list[Contact], await queues.waiting(queue_id, await self._supervisor(), self._engine))

    async def agent_contacts_today(self, agent_id: str) -> list[Contact]:
        with self._refusals():
            answer = await supervisor_routes.contacts_today(
                agent_id, await self._supervisor(), self._engine, self._state.scope
            )
            return to_desktop(list[Contact], answer)

    async def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> Agent:
        document = {"state": state, "reason": reason}
        guard_body(self.name, document)
        with self._refusals():
            change = to_mock(StateChange, document)
            answer = await agents.set_state(
                agent_id, change, self._who, self._engine, self._state.event_log, Response()
            )
            return to_desktop(Agent, answer)

    async def set_agent_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> Agent:
        document = {"state": state, "reason": reason}
        guard_body(self.name, document)
        with self._refusals():
            change = to_mock(NextStateChange, document)
            answer = await agents.set_next_state(
                agent_id, change, self._who, self._engine, self._state.event_log, Response()
            )
            return to_desktop(Agent, answer)

    async def move_contact(self, contact_id: str, queue_id: str) -> Contact:
        with self._refusals():
            body = to_mock(MoveRequest, {"queue_id": queue_id})
            return to_desktop(
                Contact,
                await contacts.move(contact_id, body, await self._supervisor(), self._engine, self._state.scope),
            )

    async def set_queue_priority(self, queue_id: str, priority: int) -> SupervisedQueue:
        with self._refusals():
            body = to_mock(QueuePatch, {"priority": priority})
            return to_desktop(
                SupervisedQueue, await queues.patch(queue_id, body, await self._supervisor(), self._engine)
            )

    async def queue_coverage(self, queue_id: str) -> Coverage:
        with self._refusals():
            who, scope = await self._supervisor(), self._state.scope
            return to_desktop(Coverage, await workforce.coverage(who, scope, self._request, None, queue_id=queue_id))

    async def adherence(self) -> AdherenceSnapshot:
        with self._refusals():
            who, scope = await self._supervisor(), self._state.scope
            return to_desktop(AdherenceSnapshot, await workforce.adherence(who, scope, self._request))

    async def _snapshot(self) -> FloorSnapshot:
        """As the HTTP client's resync builds it from the supervisor's reads."""
        queues_now = await self.list_queues()
        waiting = [contact for queue in queues_now for contact in await self.waiting_contacts(queue.id)]
        return FloorSnapshot(
            at=self._clock(),
            queues=queues_now,
            agents=await self.list_agents(),
            today=await self.queue_stats("today"),
            last_30m=await self.queue_stats("30m"),
            history=await self.stats_history(30),
            waiting=waiting,
            flags=await self.open_flags() if self.capabilities.flags else [],
            adherence=await self.adherence() if self.capabilities.workforce else None,
            said_alerts=to_desktop(
                list[SaidAlert], await said_alert_routes.said_alerts(self._who, self._state.said_alerts)
            ),
            recording_paused=await supervisor_routes.paused_recordings(
                self._who, self._engine, self._state.scope, self._request
            ),
        )

    async def events(self) -> AsyncIterator[FloorSnapshot | SupervisorEvent | LinkStatus]:
        subscription = Subscription(self._state.event_log, SUPERVISOR_TOPIC)
        try:
            queues = self._state.scope.queues(await self._supervisor())  # None: every queue's events
            await subscription.open()
            snapshot = await self._snapshot()
            yield LinkStatus(self.name, True, url=IN_PROCESS_URL)
            yield snapshot
            async for logged in subscription:
                data = logged.data
                if queues is not None:  # what the route's scope leaves of it (supervisor_routes.as_seen_by)
                    seen = supervisor_routes.as_seen_by(self._engine, json.loads(data), queues)
                    if seen is None:
                        continue
                    data = json.dumps(seen)
                try:
                    yield _event.validate_json(data)
                except ValidationError:
                    continue  # an event type this desktop does not know yet, as the HTTP client skips it
        finally:
            await subscription.aclose()

    # --- monitoring (agent_desktop/domain/monitoring/protocol.py) -------------------------------------

    async def monitor(self, contact_id: str, mode: MonitorMode = MonitorMode.MONITOR) -> Monitoring:
        body = to_mock(MonitorRequest, {"mode": mode})
        with self._refusals():
            return to_desktop(
                Monitoring, await monitoring_routes.join(contact_id, body, self._who, self._state.monitoring)
            )

    async def leave(self, contact_id: str) -> None:
        with self._refusals():
            await monitoring_routes.leave(contact_id, self._who, self._state.monitoring)

    async def whisper(self, contact_id: str, text: str) -> TranscriptItem:
        guard_body(self.name, {"text": text})
        with self._refusals():
            body = to_mock(SupervisorMessageCreate, {"text": text})
            return to_desktop(
                TranscriptItem, await monitoring_routes.whisper(contact_id, body, self._who, self._state.monitoring)
            )

    async def barge_message(self, contact_id: str, text: str) -> TranscriptItem:
        guard_body(self.name, {"text": text})
        with self._refusals():
            body = to_mock(SupervisorMessageCreate, {"text": text})
            said = await monitoring_routes.barge_message(contact_id, body, self._who, self._state.monitoring)
            return to_desktop(TranscriptItem, said)

    async def take_over(self, contact_id: str) -> Contact:
        with self._refusals():
            taken = await monitoring_routes.take_over(contact_id, self._who, self._state.monitoring, self._request)
            return to_desktop(Contact, taken)

    async def register_softphone(self, contact_uri: str) -> None:
        guard_body(self.name, {"contact_uri": contact_uri})
        with self._refusals():
            body = to_mock(SoftphoneRegistration, {"contact_uri": contact_uri})
            await softphone_routes.register_supervisors(body, self._who, self._engine, self._request)

    async def forget_softphone(self) -> None:
        with self._refusals():
            await softphone_routes.forget_supervisors(self._who, self._request)

    async def participants(self, contact_id: str) -> Participants:
        with self._refusals():
            return to_desktop(
                Participants, await monitoring_routes.participants(contact_id, self._who, self._state.monitoring)
            )

    async def monitored(self) -> list[Monitoring]:
        with self._refusals():
            return to_desktop(list[Monitoring], await monitoring_routes.sessions(self._who, self._state.monitoring))

    async def monitored_transcript(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        with self._refusals():
            page = await conversation_routes.list_messages(
                contact_id, self._who, self._state.conversations, before, limit
            )
            return to_desktop(TranscriptPage, page)

    async def monitoring_events(self) -> AsyncIterator[MonitoredEvent | LinkStatus]:
        with self._refusals():
            row = self._state.monitoring.supervisor(self._who)
        subscription = Subscription(self._state.event_log, monitor_topic(row.id))
        try:
            await subscription.open()
            yield LinkStatus(self.name, True, url=IN_PROCESS_URL)
            async for logged in subscription:
                try:
                    yield _monitor_event.validate_json(logged.data)
                except ValidationError:
                    continue
        finally:
            await subscription.aclose()

    # --- help from the supervisor (agent_desktop/domain/flags/protocol.py) --------------------------------

    async def open_flags(self) -> list[Flag]:
        with self._refusals():
            return to_desktop(list[Flag], await flag_routes.list_flags(self._who, self._state.flags))

    async def add_flag_line(self, flag_id: str, text: str) -> Flag:
        guard_body(self.name, {"text": text})
        with self._refusals():
            body = to_mock(FlagLineCreate, {"text": text})
            return to_desktop(
                Flag, await flag_routes.add_line(flag_id, body, self._who, self._state.flags, self._request)
            )

    async def close_flag(self, flag_id: str) -> Flag:
        with self._refusals():
            return to_desktop(Flag, await flag_routes.close_flag(flag_id, self._who, self._state.flags))

    async def broadcast(self, text: str, minutes: float, queue_id: str | None = None) -> Broadcast:
        guard_body(self.name, {"text": text})
        with self._refusals():
            body = to_mock(BroadcastCreate, {"text": text, "minutes": minutes, "queue_id": queue_id})
            return to_desktop(Broadcast, await flag_routes.broadcast(body, self._who, self._state.flags))

    # --- quality management (agent_desktop/domain/quality/protocol.py) ----------------------------------

    async def evaluation_forms(self) -> list[Form]:
        with self._refusals():
            return to_desktop(list[Form], await quality_routes.list_forms(self._who, self._state.quality))

    async def finished_interactions(self, agent_id: str | None = None, limit: int = 50) -> list[InteractionSummary]:
        with self._refusals():
            answer = await quality_routes.list_interactions(self._who, self._state.quality, agent_id, limit)
            return to_desktop(list[InteractionSummary], answer)

    async def review_interaction(self, contact_id: str) -> InteractionReview:
        with self._refusals():
            answer = await quality_routes.get_interaction(contact_id, self._who, self._state.quality)
            return to_desktop(InteractionReview, answer)

    async def evaluate(self, contact_id: str, form_id: str, answers: dict[str, int], comments: str = "") -> Evaluation:
        document = {
            "form_id": form_id,
            "comments": comments,
            "answers": [{"question_id": q, "answer": a} for q, a in answers.items()],
        }
        guard_body(self.name, document)
        with self._refusals():
            body = to_mock(EvaluationCreate, document)
            answer = await quality_routes.evaluate(contact_id, body, self._who, self._state.quality)
            return to_desktop(Evaluation, answer)

    async def quality_rollup(self) -> list[QualityRollup]:
        with self._refusals():
            return to_desktop(list[QualityRollup], await quality_routes.rollup(self._who, self._state.quality))

    async def aclose(self) -> None:
        """Nothing to close: the mocks' state belongs to whoever built it (InProcessMocks)."""
