"""Supervisor mode on Twilio TaskRouter: the floor from its statistics endpoints, polled within a budget.

Queues are TaskQueues; their figures come from the TaskQueues statistics list (`/TaskQueues/Statistics`: every
queue's `realtime` figures — tasks waiting by status, the longest wait, eligible workers by Activity — and
`cumulative` ones — tasks entered, accepted and canceled in the window, the average wait until accepted, and
`SplitByWaitTime` at the service-level threshold — in one request). Agents are Workers by Activity, made busy,
offered or in after-contact work by their live reservations; a Task names no worker, so who holds each open
task is read from the workspace's Events resource, one request a poll (twilio_floor_events.py). The queues'
agents-by-state columns are TaskRouter's own (by Activity: a worker on a call counts as Available there).

Volume (docs/backends.md, "Requests per minute"): a poll costs a handful of requests whatever the floor's size
(Workers, open Tasks, Events, today's statistics; the last 30 minutes' every fifth poll, the TaskQueues list
every minute), and `PollBudget` stretches the period so the console stays within `requests_per_minute`.

Finished tasks: TaskRouter deletes a task five minutes after it is completed or canceled. How a task ended is
read from its task.completed/task.canceled event (a deleted one is never "abandoned" for want of an answer),
and an agent's contacts today from their reservation events since midnight (the Events resource keeps 30 days).

Events: TaskRouter has no supervisor stream (Event Callbacks go to the relay, which serves each worker its
own), so the console polls: a FloorSnapshot on each (re)connection, then the queue figures as a
QueueStatsEvent, an AgentStateEvent for each worker whose state changed and a ContactEvent for each task that
started, changed or stopped waiting or being handled. Not served, said in words: moving a task to another
queue (its workflow routes it from its attributes), a queue's priority (declared: `queue_priority=False`),
per-minute history.
"""

from __future__ import annotations

import asyncio
import logging
import time as clock
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from agent_desktop.adapters.twilio import fields, records
from agent_desktop.adapters.twilio import history as twilio_history
from agent_desktop.adapters.twilio.contact_center import TwilioConfig, TwilioContactCenter
from agent_desktop.adapters.twilio.floor_events import MARGIN, FloorEvents, Holder
from agent_desktop.adapters.twilio.poll_budget import PollBudget
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import IN_HAND, Agent, AgentState, AgentStateEvent, Contact, ContactEvent, ContactState
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.supervisor.models import (
    AgentActivity,
    FloorSnapshot,
    QueueStatsEvent,
    StatsSample,
    StatsWindow,
    SupervisedQueue,
    SupervisorEvent,
    WindowStats,
)
from agent_desktop.domain.workforce.models import AdherenceSnapshot, Coverage

log = logging.getLogger(__name__)
WAITING_STATUSES = ("pending", "reserved")
LIVE_TASKS = ("reserved", "assigned", "wrapping")
LIVE_RESERVATIONS = ("pending", "accepted", "wrapping")
OPEN_TASKS = (*WAITING_STATUSES, "assigned", "wrapping")
REQUESTS_PER_MINUTE = (
    120.0  # the default budget (2 a second; TwilioConfig.supervisor_requests_per_minute): docs/backends.md
)
QUEUES_EVERY_S = 60.0  # the TaskQueues list (names) changes when an admin changes it
LAST_30M_EVERY = 5  # polls: the last 30 minutes' figures move slowly
HOLDER_READS_PER_POLL = 10  # open tasks whose holder no event named yet, read by their reservations
EVENTS_MOST = 20_000


class TwilioSupervisorConsole:
    name = "contact center"

    def __init__(
        self,
        config: TwilioConfig,
        *,
        poll_s: float = 2.0,
        requests_per_minute: float | None = None,
        **center_options: Any,
    ) -> None:
        # The agent backend's HTTP plumbing (basic auth with the API key, paging, 429 backoff, Twilio's errors).
        self._center = TwilioContactCenter(config, **center_options)
        self.config = config
        self.capabilities = self._center.capabilities
        self._ws = f"/v1/Workspaces/{config.workspace_sid}"
        self.budget = PollBudget(poll_s, requests_per_minute or config.supervisor_requests_per_minute)
        self._center._client.event_hooks["request"].append(self.budget.count)  # every request this console sends
        self._events = FloorEvents()
        self._queues_read: tuple[float, list[SupervisedQueue]] | None = None
        self._last_30m: list[WindowStats] = []
        self._polls = 0

    @property
    def _poll_s(self) -> float:
        """The poll's period (the budget may stretch it): tests shorten it."""
        return self.budget.poll_s

    @_poll_s.setter
    def _poll_s(self, value: float) -> None:
        self.budget.poll_s = value

    async def check_access(self) -> None:
        # A Twilio API key reads the whole workspace: there is no supervisor role to check, only the key.
        await self._center._get(f"{self._ws}/Workers/RealTimeStatistics")

    async def aclose(self) -> None:
        await self._center.aclose()

    # --- reading ------------------------------------------------------------------------------------------

    async def list_queues(self) -> list[SupervisedQueue]:
        queues = await self._center.list_queues()
        level = {
            "service_level_target_pct": self.config.service_level_target_pct,
            "service_level_threshold_s": self.config.service_level_threshold_s,
        }
        return [SupervisedQueue(**{**q.model_dump(), **level}) for q in queues]

    async def _activities(self) -> dict[str, AgentState]:
        """Activity SID → the state it stands for."""
        activities = await self._center._activity_list()
        offline, missed = self.config.offline_activity, self.config.missed_activity
        return {
            a["sid"]: records.chosen_state(
                {"available": a.get("available"), "activity_name": a.get("friendly_name")}, offline, missed
            )[0]
            for a in activities
        }

    def _span(self, window: StatsWindow) -> tuple[dict[str, Any], float]:
        now = datetime.now(UTC)
        if window == "30m":
            return {"Minutes": 30}, 30.0
        midnight = datetime.combine(now.date(), time(), tzinfo=UTC)
        return {"StartDate": midnight.strftime("%Y-%m-%dT%H:%M:%SZ")}, max(1.0, (now - midnight).total_seconds() / 60)

    def _window_stats(
        self, row: dict[str, Any], name: str, window: StatsWindow, minutes: float, states: dict[str, AgentState]
    ) -> WindowStats:
        threshold = self.config.service_level_threshold_s
        real_time, cumulative = _part(self.name, row, "realtime"), _part(self.name, row, "cumulative")
        by_status = _part(self.name, real_time, "tasks_by_status")
        by_state = {state.value: 0 for state in AgentState}
        for activity in _items(self.name, real_time, "activity_statistics"):
            sid = activity.get("sid")
            state = states.get(sid, AgentState.NOT_READY) if isinstance(sid, str) else AgentState.NOT_READY
            by_state[state.value] += _count(self.name, activity, "workers")
        entered = _count(self.name, cumulative, "tasks_entered")
        accepted = _count(self.name, cumulative, "reservations_accepted")
        canceled = _count(self.name, cumulative, "tasks_canceled")
        split = _part(self.name, _part(self.name, cumulative, "split_by_wait_time"), str(threshold))
        within = _count(self.name, _part(self.name, split, "below"), "reservations_accepted")
        waits = _part(self.name, cumulative, "wait_duration_until_accepted")
        return WindowStats(
            queue_id=row.get("task_queue_sid") or "",
            queue_name=name,
            window=window,
            waiting=sum(_count(self.name, by_status, s) for s in WAITING_STATUSES),
            longest_wait_s=float(_count(self.name, real_time, "longest_task_waiting_age")),
            arrived=entered,
            answered=accepted,
            abandoned=canceled,
            answered_within_threshold=within,
            service_level_pct=_pct(within, accepted + canceled),
            abandonment_rate_pct=_pct(canceled, entered),
            asa_s=float(_count(self.name, waits, "avg")) if accepted else None,
            arrival_rate_per_min=round(entered / minutes, 4),
            service_level_target_pct=self.config.service_level_target_pct,
            service_level_threshold_s=threshold,
            staffed=_count(self.name, real_time, "total_eligible_workers") - by_state[AgentState.OFFLINE.value],
            agents_by_state=by_state,
        )

    async def _stats(
        self, queues: list[SupervisedQueue], window: StatsWindow, states: dict[str, AgentState]
    ) -> list[WindowStats]:
        """Every queue's figures in one request (paged by 1,000 queues): the TaskQueues statistics list."""
        span, minutes = self._span(window)
        rows = await self._center._list(
            f"{self._ws}/TaskQueues/Statistics",
            "task_queues_statistics",
            SplitByWaitTime=str(self.config.service_level_threshold_s),
            **span,
        )
        by_sid = {r.get("task_queue_sid"): r for r in rows}
        return [
            self._window_stats(by_sid.get(q.id) or {"task_queue_sid": q.id}, q.name, window, minutes, states)
            for q in queues
        ]

    async def _queues(self) -> list[SupervisedQueue]:
        """The TaskQueues, read again once a minute (an admin adds one now and then)."""
        if self._queues_read is None or clock.monotonic() - self._queues_read[0] >= QUEUES_EVERY_S:
            self._queues_read = (clock.monotonic(), await self.list_queues())
        return self._queues_read[1]

    async def queue_stats(self, window: StatsWindow = "today") -> list[WindowStats]:
        queues, states = await asyncio.gather(self._queues(), self._activities())
        return await self._stats(queues, window, states)

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

    async def _follow_holders(self, tasks: list[dict[str, Any]]) -> None:
        """Who holds each open task, from the Events logged since the last poll (one request; on the first,
        back to the oldest open task), then, for a few tasks no event named, their reservations."""
        start = self._events.start()
        if start is None:
            entered = [records.when(t.get("date_created")) for t in tasks if t.get("assignment_status") in LIVE_TASKS]
            start = min([e for e in entered if e is not None], default=datetime.now(UTC)) - MARGIN
        events = await self._center._list(
            f"{self._ws}/Events", "events", EVENTS_MOST, StartDate=start.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        self._events.take(events)
        self._events.cursor = self._events.cursor or start + MARGIN
        live = [t for t in tasks if t.get("assignment_status") in LIVE_TASKS]
        self._events.forget({t["sid"] for t in live})
        unknown = [t for t in live if t["sid"] not in self._events.holders][:HOLDER_READS_PER_POLL]
        pages = await asyncio.gather(
            *(self._center._list(f"{self._ws}/Tasks/{t['sid']}/Reservations", "reservations", 20) for t in unknown)
        )
        for task, reservations in zip(unknown, pages, strict=True):
            for r in reservations:
                if r.get("reservation_status") in LIVE_RESERVATIONS and r.get("worker_sid"):
                    self._events.holders[task["sid"]] = Holder(
                        r["worker_sid"], r.get("sid") or "", r["reservation_status"], r.get("date_created")
                    )

    def _held(self, tasks: list[dict[str, Any]]) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
        """Worker SID → its live reservations (as TaskRouter shapes one) with their tasks."""
        held: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        for task in tasks:
            holder = self._events.holders.get(task["sid"])
            if task.get("assignment_status") not in LIVE_TASKS or holder is None:
                continue
            reservation = {
                "sid": holder.reservation_sid,
                "worker_sid": holder.worker_sid,
                "task_sid": task["sid"],
                "reservation_status": holder.status,
                "date_created": holder.since,
            }
            held.setdefault(holder.worker_sid, []).append((reservation, task))
        return held

    async def _floor(self) -> tuple[list[AgentActivity], list[Contact]]:
        """The agents with their tasks in hand, and the tasks waiting: the Workers, the open Tasks (one list
        each, whatever the floor's size) and who holds each task."""
        workers, tasks = await asyncio.gather(
            self._workers(), self._center._list(f"{self._ws}/Tasks", "tasks", 10_000, AssignmentStatus=list(OPEN_TASKS))
        )
        await self._follow_holders(tasks)
        held = self._held(tasks)
        found = []
        for worker in workers:
            mine = held.get(worker["sid"], [])
            agent = await self._agent(worker, [reservation for reservation, _ in mine])
            contacts = [
                records.contact(task, worker["sid"])
                for reservation, task in mine
                if reservation.get("reservation_status") != "pending"
            ]
            found.append(AgentActivity(agent=agent, contacts=contacts))
        waiting = [t for t in tasks if t.get("assignment_status") in WAITING_STATUSES]
        waiting.sort(key=lambda t: t.get("task_queue_entered_date") or t.get("date_created") or "")
        return found, [records.contact(t, "") for t in waiting]

    async def list_agents(self) -> list[AgentActivity]:
        """Workers by Activity, made busy, offered or in after-contact work by their live reservations (what
        TaskRouter's statistics do not say), with their tasks in hand as contacts."""
        return (await self._floor())[0]

    async def waiting_contacts(self, queue_id: str) -> list[Contact]:
        if not records.is_sid("WQ", queue_id):
            raise BackendError(self.name, f"404 queue {queue_id} not found", 404)
        tasks = await self._center._list(
            f"{self._ws}/Tasks",
            "tasks",
            AssignmentStatus=list(WAITING_STATUSES),
            TaskQueueSid=queue_id,
            Ordering="DateCreated:asc",
        )
        return [records.contact(t, "") for t in tasks]

    async def agent_contacts_today(self, agent_id: str) -> list[Contact]:
        """The worker's tasks accepted since midnight (UTC), newest first, from their reservation events (the
        Events resource keeps 30 days; the tasks themselves are deleted five minutes after they finish)."""
        if not records.is_sid("WK", agent_id):
            raise BackendError(self.name, f"404 agent {agent_id} not found", 404)
        midnight = datetime.combine(datetime.now(UTC).date(), time(), tzinfo=UTC)
        events = await self._center._list(
            f"{self._ws}/Events",
            "events",
            EVENTS_MOST,
            WorkerSid=agent_id,
            StartDate=midnight.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        return twilio_history.contacts_today(events, agent_id)

    # --- acting -------------------------------------------------------------------------------------------

    async def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> Agent:
        if not records.is_sid("WK", agent_id):
            raise BackendError(self.name, f"404 agent {agent_id} not found", 404)
        options = await self._center.state_catalog()
        chosen = next(
            (o for o in options if o.kind == state and (state != AgentState.NOT_READY or o.reason == reason)), None
        )
        if chosen is None:
            raise BackendError(self.name, f"422 no Activity for {state.value} {reason or ''}".rstrip(), 422)
        url = f"{self._ws}/Workers/{agent_id}"
        response = await self._center._request("POST", url, data={"ActivitySid": chosen.id})
        return await self._agent(self._center._json(url, response))  # read as every answer is: nonsense in words

    async def set_agent_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> Agent:
        raise BackendError(
            self.name,
            "501 TaskRouter keeps no next state: a Worker's Activity is set now, or by the agent's own desk "
            "when their last task completes",
            501,
        )

    async def move_contact(self, contact_id: str, queue_id: str) -> Contact:
        raise BackendError(
            self.name,
            "501 TaskRouter moves a task between queues through its workflow (the task's attributes), "
            "not by a supervisor's command",
            501,
        )

    async def set_queue_priority(self, queue_id: str, priority: int) -> SupervisedQueue:
        raise BackendError(self.name, "501 TaskRouter has no queue priority a supervisor sets", 501)

    async def queue_coverage(self, queue_id: str) -> Coverage:
        raise BackendError(self.name, "501 TaskRouter keeps no forecast or schedule (no WFM)", 501)

    async def adherence(self) -> AdherenceSnapshot:
        raise BackendError(self.name, "501 TaskRouter keeps no schedule to adhere to (no WFM)", 501)

    # --- events -------------------------------------------------------------------------------------------

    async def _snapshot(self) -> FloorSnapshot:
        self._polls += 1
        queues, states = await asyncio.gather(self._queues(), self._activities())
        fresh_30m = not self._last_30m or self._polls % LAST_30M_EVERY == 1
        today, last_30m, (agents, waiting) = await asyncio.gather(
            self._stats(queues, "today", states),
            self._stats(queues, "30m", states) if fresh_30m else _kept(self._last_30m),
            self._floor(),
        )
        self._last_30m = last_30m
        return FloorSnapshot(
            at=datetime.now(UTC), queues=queues, agents=agents, today=today, last_30m=last_30m, waiting=waiting
        )

    async def _ended(self, task_sid: str, was: Contact) -> Contact:
        """A tracked task no longer open: as its task.completed/canceled event says (read this poll, else
        asked of the Events resource), else as TaskRouter still holds it; a deleted task is never called
        abandoned for want of an answer."""
        if (ended := self._events.ended.pop(task_sid, None)) is not None:
            at, data = ended
            return records.contact(twilio_history.task_of(data, at), "")
        try:
            task, _ = await self._center._task(task_sid)
            return records.contact(task, "")
        except BackendError as error:
            if error.status != 404:
                raise
        since = min(was.entered_queue_at, datetime.now(UTC) - timedelta(minutes=15))
        events = await self._center._list(
            f"{self._ws}/Events", "events", 200, TaskSid=task_sid, StartDate=since.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        self._events.take(events)
        if (ended := self._events.ended.pop(task_sid, None)) is not None:
            at, data = ended
            return records.contact(twilio_history.task_of(data, at), "")
        # No event says (older than the Events kept): a task in an agent's hands only ends completed.
        return was.model_copy(
            update={"state": ContactState.COMPLETED if was.state in IN_HAND else ContactState.ABANDONED}
        )

    async def _changes(self, before: FloorSnapshot) -> tuple[FloorSnapshot, list[SupervisorEvent]]:
        """The floor now, and what changed since `before` as the events the screen takes."""
        now = await self._snapshot()
        events: list[SupervisorEvent] = [QueueStatsEvent(at=now.at, today=now.today, last_30m=now.last_30m)]
        was = {a.agent.id: a.agent for a in before.agents}
        events += [
            AgentStateEvent(agent=a.agent)
            for a in now.agents
            if (old := was.get(a.agent.id)) is None or (old.state, old.reason) != (a.agent.state, a.agent.reason)
        ]
        waited, waiting = _tracked(before), _tracked(now)  # waiting, or in an agent's hand
        events += [ContactEvent(contact=c) for c in waiting.values() if waited.get(c.id) != c]
        for gone in waited.keys() - waiting.keys():  # completed, abandoned or moved on
            events.append(ContactEvent(contact=await self._ended(gone, waited[gone])))
        self._events.ended.clear()  # endings of tasks this console never tracked
        return now, events

    async def events(self) -> AsyncIterator[FloorSnapshot | SupervisorEvent | LinkStatus]:
        where = f"{self.config.base_url.rstrip('/')}{self._ws}"
        delay = 0.25
        while True:
            try:
                self.budget.poll_started()
                floor = await self._snapshot()
                yield LinkStatus(self.name, True, url=where)
                yield floor
                delay = 0.25
                while True:
                    await asyncio.sleep(self.budget.wait_s())  # the period, or longer to keep within the budget
                    self.budget.poll_started()
                    floor, changes = await self._changes(floor)
                    for event in changes:
                        yield event
            except BackendError as error:
                refused = error.status in (401, 403, 404)
                # Rate limited (Twilio's 20429, after the client's own retries): said on the status line, and
                # the polls spread out until one goes through.
                wait = self.budget.wait_s(rate_limited=True) if error.status == 429 else delay
                yield LinkStatus(self.name, False, detail=error.message, url=where, retry_s=wait, refused=refused)
                await asyncio.sleep(wait)
                delay = min(delay * 2, 5.0)


def _tracked(floor: FloorSnapshot) -> dict[str, Contact]:
    tracked = {c.id: c for c in floor.waiting}
    tracked |= {c.id: c for activity in floor.agents for c in activity.contacts}
    return tracked


async def _kept(value: list[WindowStats]) -> list[WindowStats]:
    return value


def _part(backend: str, figures: dict[str, Any], key: str) -> dict[str, Any]:
    """A part of a statistics row (an object), {} where absent; anything else is a BackendError in words."""
    value = figures.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fields.wrong(backend, f"statistics.{key}", value, "an object")
    return value


def _items(backend: str, figures: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = figures.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise fields.wrong(backend, f"statistics.{key}", value, "a list of objects")
    return value


def _count(backend: str, figures: dict[str, Any], key: str) -> int:
    """A figure (a count, or seconds): a number Twilio could write, never negative; 0 where absent."""
    value = figures.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e12:
        raise fields.wrong(backend, f"statistics.{key}", value, "a count")
    return int(value)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
