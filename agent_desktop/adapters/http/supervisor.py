"""Supervisor mode over HTTP + Server-Sent Events (the mock CCaaS's supervisor API)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import get_args

import httpx
from httpx_sse import ServerSentEvent
from pydantic import TypeAdapter

from agent_desktop.adapters.http.client import HttpBackend
from agent_desktop.adapters.wire.event_json import Unreadable, read_event
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Agent,
    AgentState,
    Broadcast,
    Contact,
    ConversationEvent,
    Evaluation,
    Flag,
    TranscriptItem,
    TranscriptPage,
    deferred_adapter,
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

_event: TypeAdapter[SupervisorEvent] = deferred_adapter(SupervisorEvent)
_queues = deferred_adapter(list[SupervisedQueue])
_stats = deferred_adapter(list[WindowStats])
_samples = deferred_adapter(list[StatsSample])
_agents = deferred_adapter(list[AgentActivity])
_contacts = deferred_adapter(list[Contact])
_monitoring = deferred_adapter(list[Monitoring])
_monitor_event: TypeAdapter[MonitoringStreamEvent] = deferred_adapter(MonitoringStreamEvent)
_flags = deferred_adapter(list[Flag])
_forms = deferred_adapter(list[Form])
_interactions = deferred_adapter(list[InteractionSummary])
_rollup = deferred_adapter(list[QualityRollup])
_said_alerts = deferred_adapter(list[SaidAlert])
_contact_ids = deferred_adapter(list[str])


def _utc_now() -> datetime:
    return datetime.now(UTC)


class HttpSupervisorConsole(HttpBackend):
    name = "contact center"

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_s: float = 5.0,
        heartbeat_timeout_s: float = 35.0,
        clock: Callable[[], datetime] = _utc_now,
        capabilities: ContactCenterCapabilities | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url, token, timeout_s=timeout_s, heartbeat_timeout_s=heartbeat_timeout_s, transport=transport
        )
        self.capabilities = capabilities or ContactCenterCapabilities(
            monitor=True, flags=True, broadcasts=True, quality=True, softphone_contact=True
        )  # the mock monitors, keeps flags and broadcasts, evaluations, rings the supervisor's softphone
        self._clock = clock

    async def check_access(self) -> None:
        await self._request("GET", "/v1/supervisor/agents")

    async def list_queues(self) -> list[SupervisedQueue]:
        return self._as(_queues, await self._get_json("/v1/queues"))

    async def queue_stats(self, window: StatsWindow = "today") -> list[WindowStats]:
        return self._as(_stats, await self._get_json("/v1/queues/stats", params={"window": window}))

    async def stats_history(self, minutes: int = 30) -> list[StatsSample]:
        return self._as(_samples, await self._get_json("/v1/supervisor/stats/history", params={"minutes": minutes}))

    async def list_agents(self) -> list[AgentActivity]:
        return self._as(_agents, await self._get_json("/v1/supervisor/agents"))

    async def waiting_contacts(self, queue_id: str) -> list[Contact]:
        return self._as(_contacts, await self._get_json(api_path("/v1/queues/{}/waiting", queue_id)))

    async def agent_contacts_today(self, agent_id: str) -> list[Contact]:
        return self._as(_contacts, await self._get_json(api_path("/v1/supervisor/agents/{}/contacts/today", agent_id)))

    async def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> Agent:
        response = await self._request(
            "PUT", api_path("/v1/agents/{}/state", agent_id), json={"state": state, "reason": reason}
        )
        return self._model(Agent, response)

    async def set_agent_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> Agent:
        body = {"state": state, "reason": reason}
        response = await self._request("PUT", api_path("/v1/agents/{}/next-state", agent_id), json=body)
        return self._model(Agent, response)

    async def move_contact(self, contact_id: str, queue_id: str) -> Contact:
        response = await self._request(
            "POST", api_path("/v1/contacts/{}/move", contact_id), json={"queue_id": queue_id}
        )
        return self._model(Contact, response)

    async def set_queue_priority(self, queue_id: str, priority: int) -> SupervisedQueue:
        response = await self._request("PATCH", api_path("/v1/queues/{}", queue_id), json={"priority": priority})
        return self._model(SupervisedQueue, response)

    async def queue_coverage(self, queue_id: str) -> Coverage:
        return self._as(Coverage, await self._get_json("/v1/workforce/coverage", params={"queue_id": queue_id}))

    async def adherence(self) -> AdherenceSnapshot:
        return self._as(AdherenceSnapshot, await self._get_json("/v1/workforce/adherence"))

    async def _adherence_or_none(self) -> AdherenceSnapshot | None:
        if not self.capabilities.workforce:
            return None
        try:
            return await self.adherence()
        except BackendError as error:
            if error.status == 404:  # a contact center that keeps schedules but no adherence yet
                return None
            raise

    async def _history_or_none(self) -> list[StatsSample]:
        try:
            return await self.stats_history(30)
        except BackendError as error:
            if error.status == 404:  # a contact center without history: the sparklines start empty
                return []
            raise

    async def _said_alerts_or_none(self) -> list[SaidAlert]:
        try:
            return self._as(_said_alerts, await self._get_json("/v1/said-alerts"))
        except BackendError as error:
            if error.status == 404:  # a contact center that raises no alerts from what is said
                return []
            raise

    async def _recording_paused_or_none(self) -> list[str]:
        try:
            return self._as(_contact_ids, await self._get_json("/v1/supervisor/recordings/paused"))
        except BackendError as error:
            if error.status == 404:  # a contact center whose recordings the agent cannot pause
                return []
            raise

    async def _snapshot(self) -> list[FloorSnapshot]:
        """The floor as it is now, so a (re)connected screen starts from the truth."""
        adherence = asyncio.ensure_future(self._adherence_or_none())  # beside the others (gather types six)
        said = asyncio.ensure_future(self._said_alerts_or_none())
        paused = asyncio.ensure_future(self._recording_paused_or_none())
        try:
            queues, agents, today, last_30m, history, flags = await asyncio.gather(
                self.list_queues(),
                self.list_agents(),
                self.queue_stats("today"),
                self.queue_stats("30m"),
                self._history_or_none(),
                self.open_flags() if self.capabilities.flags else asyncio.sleep(0, []),
            )
        except BaseException:
            adherence.cancel()  # the snapshot failed: the link reconnects and asks again
            said.cancel()
            paused.cancel()
            raise
        # Who is waiting where, so wait times tick on screen between statistics events.
        waiting = await asyncio.gather(*(self.waiting_contacts(queue.id) for queue in queues))
        return [
            FloorSnapshot(
                at=self._clock(),
                queues=queues,
                agents=agents,
                today=today,
                last_30m=last_30m,
                history=history,
                waiting=[contact for contacts in waiting for contact in contacts],
                flags=flags,
                adherence=await adherence,
                said_alerts=await said,
                recording_paused=await paused,
            )
        ]

    # --- monitoring (agent_desktop/domain/monitoring/protocol.py) -------------------------------------

    async def monitor(self, contact_id: str, mode: MonitorMode = MonitorMode.MONITOR) -> Monitoring:
        response = await self._request("PUT", api_path("/v1/contacts/{}/monitoring", contact_id), json={"mode": mode})
        return self._model(Monitoring, response)

    async def leave(self, contact_id: str) -> None:
        await self._request("DELETE", api_path("/v1/contacts/{}/monitoring", contact_id))

    async def whisper(self, contact_id: str, text: str) -> TranscriptItem:
        response = await self._request("POST", api_path("/v1/contacts/{}/whispers", contact_id), json={"text": text})
        return self._model(TranscriptItem, response)

    async def barge_message(self, contact_id: str, text: str) -> TranscriptItem:
        path = api_path("/v1/contacts/{}/supervisor-messages", contact_id)
        return self._model(TranscriptItem, await self._request("POST", path, json={"text": text}))

    async def take_over(self, contact_id: str) -> Contact:
        path = api_path("/v1/contacts/{}/monitoring/takeover", contact_id)
        return self._model(Contact, await self._request("POST", path))

    # --- the supervisor's own softphone (domain/calls/softphone.py `SoftphoneRegistrar`): a call taken over rings it

    async def register_softphone(self, contact_uri: str) -> None:
        await self._request("PUT", "/v1/supervisor/softphone", json={"contact_uri": contact_uri})

    async def forget_softphone(self) -> None:
        try:
            await self._request("DELETE", "/v1/supervisor/softphone")
        except BackendError as error:
            if error.status != 404:  # none registered (the mock restarted): done
                raise

    async def participants(self, contact_id: str) -> Participants:
        return self._as(Participants, await self._get_json(api_path("/v1/contacts/{}/participants", contact_id)))

    async def monitored(self) -> list[Monitoring]:
        return self._as(_monitoring, await self._get_json("/v1/supervisor/monitoring"))

    async def monitored_transcript(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        params: dict[str, str | int] = {"limit": limit, **({"before": before} if before else {})}
        return self._as(
            TranscriptPage, await self._get_json(api_path("/v1/contacts/{}/messages", contact_id), params=params)
        )

    # --- help from the supervisor (agent_desktop/domain/flags/protocol.py) --------------------------------

    async def open_flags(self) -> list[Flag]:
        return self._as(_flags, await self._get_json("/v1/flags"))

    async def add_flag_line(self, flag_id: str, text: str) -> Flag:
        response = await self._request("POST", api_path("/v1/flags/{}/lines", flag_id), json={"text": text})
        return self._model(Flag, response)

    async def close_flag(self, flag_id: str) -> Flag:
        return self._model(Flag, await self._request("POST", api_path("/v1/flags/{}/close", flag_id)))

    async def broadcast(self, text: str, minutes: float, queue_id: str | None = None) -> Broadcast:
        body = {"text": text, "minutes": minutes, "queue_id": queue_id}
        return self._model(Broadcast, await self._request("POST", "/v1/broadcasts", json=body))

    # --- quality management (agent_desktop/domain/quality/protocol.py) ----------------------------------

    async def evaluation_forms(self) -> list[Form]:
        return self._as(_forms, await self._get_json("/v1/quality/forms"))

    async def finished_interactions(self, agent_id: str | None = None, limit: int = 50) -> list[InteractionSummary]:
        params: dict[str, str | int] = {"limit": limit, **({"agent_id": agent_id} if agent_id else {})}
        return self._as(_interactions, await self._get_json("/v1/quality/interactions", params=params))

    async def review_interaction(self, contact_id: str) -> InteractionReview:
        return self._as(InteractionReview, await self._get_json(api_path("/v1/quality/interactions/{}", contact_id)))

    async def evaluate(self, contact_id: str, form_id: str, answers: dict[str, int], comments: str = "") -> Evaluation:
        body = {
            "form_id": form_id,
            "comments": comments,
            "answers": [{"question_id": q, "answer": a} for q, a in answers.items()],
        }
        path = api_path("/v1/quality/interactions/{}/evaluations", contact_id)
        return self._model(Evaluation, await self._request("POST", path, json=body))

    async def quality_rollup(self) -> list[QualityRollup]:
        return self._as(_rollup, await self._get_json("/v1/quality/rollup"))

    def monitoring_events(self) -> AsyncIterator[MonitoredEvent | LinkStatus]:
        return self._stream("/v1/supervisor/monitoring/events", _parse_monitor_event)

    def events(self) -> AsyncIterator[FloorSnapshot | SupervisorEvent | LinkStatus]:
        return self._stream("/v1/supervisor/events", _parse_event, self._snapshot)


# The supervisor's stream also carries every conversation's events, which this console does not draw.
_NOT_FOR_THIS_CONSOLE = frozenset(cls.model_fields["type"].default for cls in get_args(ConversationEvent))


def _parse_event(event: ServerSentEvent) -> SupervisorEvent | Unreadable | None:
    if event.event in _NOT_FOR_THIS_CONSOLE:
        return None
    return read_event(_event, event.data, event.event)  # an Unreadable one is logged and counted by the stream


def _parse_monitor_event(event: ServerSentEvent) -> MonitoredEvent | Unreadable | None:
    return read_event(_monitor_event, event.data, event.event)
