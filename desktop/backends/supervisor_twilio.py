"""Supervisor mode on Twilio TaskRouter: the floor from its statistics endpoints, polled.

Queues are TaskQueues; their figures come from `RealTimeStatistics` (tasks waiting by status, the longest
wait, eligible workers by Activity) and `CumulativeStatistics` (tasks entered, accepted and canceled in the
window, the average wait until accepted, and `SplitByWaitTime` at the service-level threshold: accepted
within it). Agents are Workers by Activity, made busy, offered or in after-contact work by their live
reservations (the tasks reserved, assigned or wrapping in one list, then each one's reservations: one request
per task in hand, not per worker), with those tasks as their contacts. The queues' agents-by-state columns are
TaskRouter's own (by Activity: a worker on a call counts as Available there).

Events: TaskRouter has no supervisor stream (Event Callbacks go to the relay, which serves each worker its
own), so the console polls every `poll_s`: a FloorSnapshot on each (re)connection, then the queue figures as
a QueueStatsEvent, an AgentStateEvent for each worker whose state changed and a ContactEvent for each task
that started, changed or stopped waiting or being handled. Not served, said in words: moving a task to another queue (its workflow
routes it from its attributes), a queue's priority (declared: `queue_priority=False`), per-minute history.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from desktop.backends import twilio_records as records
from desktop.backends.ccaas_twilio import TwilioConfig, TwilioContactCenter
from desktop.backends.errors import BackendError
from desktop.backends.link_status import LinkStatus
from desktop.backends.models import Agent, AgentState, AgentStateEvent, Contact, ContactEvent, ContactState
from desktop.backends.supervisor_models import (
    AgentActivity,
    FloorSnapshot,
    QueueStatsEvent,
    StatsSample,
    StatsWindow,
    SupervisedQueue,
    SupervisorEvent,
    WindowStats,
)

log = logging.getLogger(__name__)
WAITING_STATUSES = ("pending", "reserved")
LIVE_TASKS = ("reserved", "assigned", "wrapping")
LIVE_RESERVATIONS = ("pending", "accepted", "wrapping")


class TwilioSupervisorConsole:
    name = "contact center"

    def __init__(self, config: TwilioConfig, *, poll_s: float = 2.0, **center_options: Any) -> None:
        # The agent backend's HTTP plumbing (basic auth with the API key, paging, 429 backoff, Twilio's errors).
        self._center = TwilioContactCenter(config, **center_options)
        self.config = config
        self.capabilities = self._center.capabilities
        self._poll_s = poll_s
        self._ws = f"/v1/Workspaces/{config.workspace_sid}"

    async def check_access(self) -> None:
        # A Twilio API key reads the whole workspace: there is no supervisor role to check, only the key.
        await self._center._get(f"{self._ws}/Workers/RealTimeStatistics")

    async def aclose(self) -> None:
        await self._center.aclose()

    # --- reading ------------------------------------------------------------------------------------------

    async def list_queues(self) -> list[SupervisedQueue]:
        queues = await self._center.list_queues()
        level = {"service_level_target_pct": self.config.service_level_target_pct,
                 "service_level_threshold_s": self.config.service_level_threshold_s}  # fmt: skip
        return [SupervisedQueue(**{**q.model_dump(), **level}) for q in queues]

    async def _activities(self) -> dict[str, AgentState]:
        """Activity SID → the state it stands for."""
        activities = await self._center._activity_list()
        offline, missed = self.config.offline_activity, self.config.missed_activity
        return {a["sid"]: records.chosen_state({"available": a.get("available"), "activity_name": a.get("friendly_name")},
                                                offline, missed)[0] for a in activities}  # fmt: skip

    async def _window_stats(self, queue_sid: str, name: str, window: StatsWindow, states: dict[str, AgentState]) -> WindowStats:
        threshold = self.config.service_level_threshold_s
        now = datetime.now(UTC)
        if window == "30m":
            span: dict[str, Any] = {"Minutes": 30}
            minutes = 30.0
        else:
            midnight = datetime.combine(now.date(), time(), tzinfo=UTC)
            span = {"StartDate": midnight.strftime("%Y-%m-%dT%H:%M:%SZ")}
            minutes = max(1.0, (now - midnight).total_seconds() / 60)
        real_time, cumulative = await asyncio.gather(
            self._center._get(f"{self._ws}/TaskQueues/{queue_sid}/RealTimeStatistics"),
            self._center._get(f"{self._ws}/TaskQueues/{queue_sid}/CumulativeStatistics", SplitByWaitTime=str(threshold), **span),
        )
        by_status = real_time.get("tasks_by_status") or {}
        by_state = {state.value: 0 for state in AgentState}
        for activity in real_time.get("activity_statistics") or []:
            state = states.get(activity.get("sid"), AgentState.NOT_READY)
            by_state[state.value] += int(activity.get("workers") or 0)
        entered = int(cumulative.get("tasks_entered") or 0)
        accepted = int(cumulative.get("reservations_accepted") or 0)
        canceled = int(cumulative.get("tasks_canceled") or 0)
        split = (cumulative.get("split_by_wait_time") or {}).get(str(threshold)) or {}
        within = int((split.get("below") or {}).get("reservations_accepted") or 0)
        waits = cumulative.get("wait_duration_until_accepted") or {}
        return WindowStats(
            queue_id=queue_sid, queue_name=name, window=window,
            waiting=sum(int(by_status.get(s) or 0) for s in WAITING_STATUSES),
            longest_wait_s=float(real_time.get("longest_task_waiting_age") or 0),
            arrived=entered, answered=accepted, abandoned=canceled, answered_within_threshold=within,
            service_level_pct=_pct(within, accepted + canceled), abandonment_rate_pct=_pct(canceled, entered),
            asa_s=float(waits.get("avg") or 0) if accepted else None,
            arrival_rate_per_min=round(entered / minutes, 4),
            service_level_target_pct=self.config.service_level_target_pct, service_level_threshold_s=threshold,
            staffed=int(real_time.get("total_eligible_workers") or 0) - by_state[AgentState.OFFLINE.value],
            agents_by_state=by_state,
        )  # fmt: skip

    async def queue_stats(self, window: StatsWindow = "today") -> list[WindowStats]:
        queues, states = await asyncio.gather(self.list_queues(), self._activities())
        return list(await asyncio.gather(*(self._window_stats(q.id, q.name, window, states) for q in queues)))

    async def stats_history(self, minutes: int = 30) -> list[StatsSample]:
        return []  # TaskRouter keeps no per-minute figures: the sparklines fill from the polls

    async def _workers(self) -> list[dict[str, Any]]:
        return await self._center._list(f"{self._ws}/Workers", "workers")

    async def _agent(self, worker: dict[str, Any], reservations: list[dict[str, Any]] | None = None) -> Agent:
        """The worker as an agent, with the workspace's not-ready Activities as the reasons a supervisor may set."""
        states = await self._activities()
        names = {a["sid"]: a.get("friendly_name") or a["sid"] for a in await self._center._activity_list()}
        reasons = [names[sid] for sid, state in states.items() if state == AgentState.NOT_READY]
        agent = records.agent(worker, reservations or [], self.config.offline_activity, self.config.missed_activity)
        return agent.model_copy(update={"not_ready_reasons": reasons})

    async def _in_hand(self) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
        """Worker SID → its live reservations with their tasks: the tasks reserved, assigned or wrapping
        (one list), each task's reservations (one request per task in hand, not per worker)."""
        tasks = await self._center._list(f"{self._ws}/Tasks", "tasks", AssignmentStatus=list(LIVE_TASKS))
        pages = await asyncio.gather(*(self._center._list(f"{self._ws}/Tasks/{t['sid']}/Reservations", "reservations", 20)
                                       for t in tasks))  # fmt: skip
        held: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        for task, reservations in zip(tasks, pages, strict=True):
            for reservation in reservations:
                if reservation.get("reservation_status") in LIVE_RESERVATIONS and reservation.get("worker_sid"):
                    held.setdefault(reservation["worker_sid"], []).append((reservation, task))
        return held

    async def list_agents(self) -> list[AgentActivity]:
        """Workers by Activity, made busy, offered or in after-contact work by their live reservations (what
        TaskRouter's statistics do not say), with their tasks in hand as contacts."""
        workers, held = await asyncio.gather(self._workers(), self._in_hand())
        found = []
        for worker in workers:
            mine = held.get(worker["sid"], [])
            agent = await self._agent(worker, [reservation for reservation, _ in mine])
            contacts = [records.contact(task, worker["sid"]) for reservation, task in mine
                        if reservation.get("reservation_status") != "pending"]  # fmt: skip
            found.append(AgentActivity(agent=agent, contacts=contacts))
        return found

    async def waiting_contacts(self, queue_id: str) -> list[Contact]:
        if not records.is_sid("WQ", queue_id):
            raise BackendError(self.name, f"404 queue {queue_id} not found", 404)
        tasks = await self._center._list(
            f"{self._ws}/Tasks", "tasks", AssignmentStatus=list(WAITING_STATUSES), TaskQueueSid=queue_id,
            Ordering="DateCreated:asc",
        )  # fmt: skip
        return [records.contact(t, "") for t in tasks]

    async def agent_contacts_today(self, agent_id: str) -> list[Contact]:
        """The worker's reservations accepted since midnight (UTC), each with its task, newest first."""
        if not records.is_sid("WK", agent_id):
            raise BackendError(self.name, f"404 agent {agent_id} not found", 404)
        midnight = datetime.combine(datetime.now(UTC).date(), time(), tzinfo=UTC)
        reservations = await self._center._list(f"{self._ws}/Workers/{agent_id}/Reservations", "reservations", 200)
        taken = [r for r in reservations if r.get("reservation_status") in ("accepted", "wrapping", "completed")
                 and (records.when(r.get("date_created")) or midnight) >= midnight]  # fmt: skip
        tasks = await asyncio.gather(*(self._center._task(r["task_sid"]) for r in taken))
        contacts = [records.contact(task, agent_id, answered_at=records.when(r.get("date_created")))
                    for r, (task, _) in zip(taken, tasks, strict=True)]  # fmt: skip
        return sorted(contacts, key=lambda c: c.answered_at or c.entered_queue_at, reverse=True)

    # --- acting -------------------------------------------------------------------------------------------

    async def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> Agent:
        if not records.is_sid("WK", agent_id):
            raise BackendError(self.name, f"404 agent {agent_id} not found", 404)
        options = await self._center.state_catalog()
        chosen = next((o for o in options if o.kind == state and (state != AgentState.NOT_READY or o.reason == reason)), None)
        if chosen is None:
            raise BackendError(self.name, f"422 no Activity for {state.value} {reason or ''}".rstrip(), 422)
        worker = (await self._center._request("POST", f"{self._ws}/Workers/{agent_id}", data={"ActivitySid": chosen.id})).json()
        return await self._agent(worker)

    async def move_contact(self, contact_id: str, queue_id: str) -> Contact:
        raise BackendError(
            self.name, "501 TaskRouter moves a task between queues through its workflow (the task's attributes), "
            "not by a supervisor's command", 501,
        )  # fmt: skip

    async def set_queue_priority(self, queue_id: str, priority: int) -> SupervisedQueue:
        raise BackendError(self.name, "501 TaskRouter has no queue priority a supervisor sets", 501)

    # --- events -------------------------------------------------------------------------------------------

    async def _snapshot(self) -> FloorSnapshot:
        queues, agents, today, last_30m = await asyncio.gather(
            self.list_queues(), self.list_agents(), self.queue_stats("today"), self.queue_stats("30m")
        )
        waiting = await asyncio.gather(*(self.waiting_contacts(q.id) for q in queues))
        return FloorSnapshot(at=datetime.now(UTC), queues=queues, agents=agents, today=today, last_30m=last_30m,
                             waiting=[c for contacts in waiting for c in contacts])  # fmt: skip

    async def _changes(self, before: FloorSnapshot) -> tuple[FloorSnapshot, list[SupervisorEvent]]:
        """The floor now, and what changed since `before` as the events the screen takes."""
        now = await self._snapshot()
        events: list[SupervisorEvent] = [QueueStatsEvent(at=now.at, today=now.today, last_30m=now.last_30m)]
        was = {a.agent.id: a.agent for a in before.agents}
        events += [AgentStateEvent(agent=a.agent) for a in now.agents
                   if (old := was.get(a.agent.id)) is None or (old.state, old.reason) != (a.agent.state, a.agent.reason)]  # fmt: skip
        waited, waiting = _tracked(before), _tracked(now)  # waiting, or in an agent's hand
        events += [ContactEvent(contact=c) for c in waiting.values() if waited.get(c.id) != c]
        for gone in waited.keys() - waiting.keys():  # completed, abandoned or moved on: read where it is now
            try:
                task, _ = await self._center._task(gone)
                events.append(ContactEvent(contact=records.contact(task, "")))
            except BackendError as error:
                if error.status != 404:
                    raise
                events.append(ContactEvent(contact=waited[gone].model_copy(update={"state": ContactState.ABANDONED})))
        return now, events

    async def events(self) -> AsyncIterator[FloorSnapshot | SupervisorEvent | LinkStatus]:
        where = f"{self.config.base_url.rstrip('/')}{self._ws}"
        delay = 0.25
        while True:
            try:
                floor = await self._snapshot()
                yield LinkStatus(self.name, True, url=where)
                yield floor
                delay = 0.25
                while True:
                    await asyncio.sleep(self._poll_s)
                    floor, changes = await self._changes(floor)
                    for event in changes:
                        yield event
            except BackendError as error:
                refused = error.status in (401, 403, 404)
                yield LinkStatus(self.name, False, detail=error.message, url=where, retry_s=delay, refused=refused)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


def _tracked(floor: FloorSnapshot) -> dict[str, Contact]:
    tracked = {c.id: c for c in floor.waiting}
    tracked |= {c.id: c for activity in floor.agents for c in activity.contacts}
    return tracked


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
