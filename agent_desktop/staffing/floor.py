"""The supervisor's live picture of the floor, kept from the supervisor stream (no terminal code).

Events are applied as they arrive and only mark what changed; the screen reads
the changed parts when it redraws, so a burst of events costs one redraw.

Staffing counts the agents who can take a queue's contacts now or after their current one:
Available, Offered, Busy and After contact work, unless they asked to go Not ready or
Offline after it (Not ready, Missed and Offline never count). An agent who may take several
queues' contacts is shared among them, so the Staffed column adds up to the agents on the
floor: each queue gets the share of the last 30 minutes the agent spent on its contacts, and
the rest of the window (idle, or before the screen saw it) is split by the queues' traffic
(arrivals × AHT over 30 minutes), evenly when there is none.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from agent_desktop.domain.models import (
    Agent,
    AgentStateEvent,
    CallCoachingEvent,
    Contact,
    ContactEvent,
    RecordingEvent,
)
from agent_desktop.domain.supervisor.models import (
    FloorSnapshot,
    QueueStatsEvent,
    SupervisedQueue,
    WindowStats,
)
from agent_desktop.domain.vocabulary import IN_HAND, TALKING, AgentState, ContactState
from agent_desktop.staffing.erlang_c import StaffingAdvice
from agent_desktop.staffing.queue_advice import QueueAdvice, queue_advice
from agent_desktop.staffing.work_log import KEEP, WorkLog

WAITING = (ContactState.QUEUED, ContactState.OFFERED)
HISTORY_MINUTES = 30
TREND_MINUTES = 5
TREND_DEADBAND_PCT = 1.0
TAKES_CONTACTS = (AgentState.AVAILABLE, AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK)
LEAVES_AFTER = (AgentState.NOT_READY, AgentState.OFFLINE)
# A service level from fewer contacts than this is shown, but raises no alert: one slow answer
# moves it by more than 10 points (the same line as why_service_level.FEW_CONTACTS).
SERVICE_LEVEL_ALERT_MIN_CONTACTS = 10
# Fewer minutes of data than this (a contact center's first minutes) give no staffing advice: the rate of one
# minute and the handle time of its first, short, contacts said every queue was short (item 8).
WARM_UP_MINUTES = 5.0
DEFAULT_AHT_S = 60.0  # weighs a queue's arrivals while none of its contacts has completed
FORGET_EVERY = timedelta(minutes=1)


def takes_contacts(agent: Agent) -> bool:
    """Can take contacts now (Available) or after the current one (not asked to leave after it)."""
    if agent.state not in TAKES_CONTACTS:
        return False
    return agent.next_state is None or agent.next_state.state not in LEAVES_AFTER


def can_serve(agent: Agent, queue: SupervisedQueue) -> bool:
    """Each of the queue's skills at its minimum proficiency (as the contact center routes)."""
    return all(
        agent.proficiency.get(skill, 1 if skill in agent.skills else 0) >= queue.min_proficiency.get(skill, 1)
        for skill in queue.skills
    )


@dataclass
class QueueHistory:
    """One sample per minute: contacts waiting and service level (the sparklines)."""

    minutes: deque[datetime] = field(default_factory=lambda: deque(maxlen=HISTORY_MINUTES))
    waiting: deque[int] = field(default_factory=lambda: deque(maxlen=HISTORY_MINUTES))
    service_level: deque[float | None] = field(default_factory=lambda: deque(maxlen=HISTORY_MINUTES))

    def add(self, at: datetime, waiting: int, service_level: float | None) -> None:
        minute = at.replace(second=0, microsecond=0)
        if self.minutes and self.minutes[-1] >= minute:  # the same minute: its latest figures win
            if self.minutes[-1] == minute:
                self.waiting[-1], self.service_level[-1] = waiting, service_level
            return
        self.minutes.append(minute)
        self.waiting.append(waiting)
        self.service_level.append(service_level)

    def trend(self) -> float | None:
        """Service level now minus TREND_MINUTES ago (or the oldest sample), in points."""
        known = [(m, sl) for m, sl in zip(self.minutes, self.service_level, strict=True) if sl is not None]
        if len(known) < 2:
            return None
        now_minute, now = known[-1]
        earlier = [sl for m, sl in known if (now_minute - m).total_seconds() >= TREND_MINUTES * 60]
        return now - (earlier[-1] if earlier else known[0][1])


@dataclass(frozen=True)
class Alert:
    queue_id: str
    kind: str  # a queue's: "service_level" | "longest_wait"; from what was said: "<cause>:<contact id>"
    text: str
    source: Literal["queue", "said"] = "queue"  # the queue's figures, or what a customer said (said_alerts/)


@dataclass(frozen=True)
class FloorModelChanges:
    """What the stream changed of the floor since it was last asked: a `Changes` (agent_desktop/domain/changes.py)."""

    agents: set[str] = field(default_factory=set)  # agent ids whose row changed
    queues: bool = False  # the queues' figures
    reset: bool = False  # the agent list was replaced (a snapshot)

    def __bool__(self) -> bool:
        return bool(self.agents) or self.queues or self.reset


class Floor:
    """Queues, agents, the contacts in their hands and waiting, statistics and their history."""

    def __init__(
        self,
        longest_wait_alert_s: float = 60.0,
        max_occupancy_pct: float | None = None,
        service_level_alert_min_contacts: int = SERVICE_LEVEL_ALERT_MIN_CONTACTS,
    ) -> None:
        self.longest_wait_alert_s = longest_wait_alert_s
        self.service_level_alert_min_contacts = service_level_alert_min_contacts
        self.max_occupancy_pct = max_occupancy_pct
        self.queues: dict[str, SupervisedQueue] = {}
        self.agents: dict[str, Agent] = {}
        self.in_hand: dict[str, dict[str, Contact]] = {}  # agent id → contact id → contact
        self.waiting: dict[str, dict[str, Contact]] = {}  # queue id → contact id → contact
        self._holder: dict[str, str] = {}  # contact id → the agent holding it
        self._queue_of: dict[str, str] = {}  # waiting contact id → its queue
        self.recording_paused: set[str] = set()  # calls in hand whose recording the agent paused (card data)
        self.coaching: dict[str, CallCoachingEvent] = {}  # how the calls in hand are being spoken (monitor cards)
        self.today: dict[str, WindowStats] = {}
        self.last_30m: dict[str, WindowStats] = {}
        self.history: dict[str, QueueHistory] = {}
        self.stats_at: datetime | None = None
        self.knows_waiting = False  # the waiting contacts came with the snapshot: wait times tick locally
        self.now: datetime | None = None
        self.changed_agents: set[str] = set()
        self.queues_changed = False
        self.agents_reset = False  # the whole agent list was replaced (a snapshot)
        self.log = WorkLog()
        self._serves: dict[str, tuple[str, ...]] = {}  # agent id → queues whose contacts they may take
        self._served_by: dict[str, set[str]] = {}  # queue id → those agents
        self._version = 0  # moves on each event: the staffed figures are worked out again when read
        self._staffed: tuple[tuple[int, datetime | None], dict[str, float]] | None = None
        self._forgot_at: datetime | None = None
        # queue → (the statistics, (staffed, waiting, free), the advice from them)
        self._advice: dict[str, tuple[WindowStats | None, tuple[float, int, int], QueueAdvice]] = {}

    # --- applying what the backend says ---------------------------------------

    def apply(self, item: object) -> bool:
        """Apply one item of the supervisor stream; False for what the floor does not keep (offers)."""
        if isinstance(item, FloorSnapshot):
            self.apply_snapshot(item)
        elif isinstance(item, QueueStatsEvent):
            self.apply_stats(item)
        elif isinstance(item, AgentStateEvent):
            self.apply_agent(item)
        elif isinstance(item, ContactEvent):
            self.apply_contact(item)
        elif isinstance(item, RecordingEvent):
            self.apply_recording(item)
        elif isinstance(item, CallCoachingEvent):
            if self.contact_in_hand(item.contact_id) is not None:  # (a call's last figures may come after its end)
                self.coaching[item.contact_id] = item
        else:
            return False
        return True

    def apply_recording(self, event: RecordingEvent) -> None:
        """A call's recording paused or not any more: its agent's row marks it while the call is in their hands."""
        held = self.contact_in_hand(event.contact_id)
        if event.state == "paused" and held is not None and held.state in TALKING:
            self.recording_paused.add(event.contact_id)
        else:
            self.recording_paused.discard(event.contact_id)
        holder = self._holder.get(event.contact_id) or event.agent_id
        if holder is not None:
            self.changed_agents.add(holder)

    def recording_paused_of(self, agent_id: str) -> bool:
        """Whether a call in the agent's hands is being recorded with its recording paused."""
        return any(contact_id in self.recording_paused for contact_id in self.in_hand.get(agent_id, {}))

    def apply_snapshot(self, snapshot: FloorSnapshot) -> None:
        self.queues = {q.id: q for q in snapshot.queues}
        self.agents = {a.agent.id: a.agent for a in snapshot.agents}
        self.in_hand = {a.agent.id: {c.id: c for c in a.contacts if c.state in IN_HAND} for a in snapshot.agents}
        self._holder = {contact_id: agent_id for agent_id, hand in self.in_hand.items() for contact_id in hand}
        talking = {c.id for hand in self.in_hand.values() for c in hand.values() if c.state in TALKING}
        self.recording_paused = set(snapshot.recording_paused) & talking
        self.coaching = {cid: figures for cid, figures in self.coaching.items() if cid in self._holder}
        self.waiting = {}
        self._queue_of = {}
        for contact in snapshot.waiting:
            if contact.state in WAITING:
                self.waiting.setdefault(contact.queue_id, {})[contact.id] = contact
                self._queue_of[contact.id] = contact.queue_id
        self.knows_waiting = True
        self.now = snapshot.at
        for activity in snapshot.agents:
            self.log.saw_agent(activity.agent)
            for contact in activity.contacts:
                self.log.saw_contact(contact)
        for contact in snapshot.waiting:
            self.log.saw_contact(contact)
        self._index_skills()
        self._version += 1
        self.history = {}
        for sample in snapshot.history:
            self._history(sample.queue_id).add(sample.at, sample.waiting, sample.service_level_pct)
        self.today, self.last_30m = {}, {}
        self._apply_stats(snapshot.at, snapshot.today, snapshot.last_30m)
        self.agents_reset = True
        self.changed_agents = set(self.agents)

    def apply_stats(self, event: QueueStatsEvent) -> None:
        """A push carries only the queues whose figures changed: the others keep theirs."""
        self._apply_stats(event.at, event.today, event.last_30m)

    def _apply_stats(self, at: datetime, today: list[WindowStats], last_30m: list[WindowStats]) -> None:
        self.today.update((s.queue_id, s) for s in today)
        self.last_30m.update((s.queue_id, s) for s in last_30m)
        self.stats_at = at
        self._version += 1
        for queue_id in self.today.keys() | self.last_30m.keys():
            current = self.current_stats(queue_id)
            if current is not None:
                self._history(queue_id).add(at, current.waiting, self.service_level_of(queue_id))
        self.queues_changed = True

    def apply_agent(self, event: AgentStateEvent) -> None:
        agent = event.agent
        before = self.agents.get(agent.id)
        self.agents[agent.id] = agent
        self.changed_agents.add(agent.id)
        self.log.saw_agent(agent)
        self._version += 1
        if before is None or before.proficiency != agent.proficiency or before.skills != agent.skills:
            self._index_agent(agent)

    def apply_contact(self, event: ContactEvent) -> None:
        contact = event.contact
        self.log.saw_contact(contact)
        self._version += 1
        holder = self._holder.pop(contact.id, None)
        if holder is not None:
            self.in_hand.get(holder, {}).pop(contact.id, None)
            self.changed_agents.add(holder)
        if contact.state not in TALKING:
            self.recording_paused.discard(contact.id)  # the call is over: so is its recording
        if contact.state not in IN_HAND:
            self.coaching.pop(contact.id, None)
        if contact.state in IN_HAND and contact.agent_id:
            self.in_hand.setdefault(contact.agent_id, {})[contact.id] = contact
            self._holder[contact.id] = contact.agent_id
            self.changed_agents.add(contact.agent_id)
        queue_id = self._queue_of.pop(contact.id, None)
        if queue_id is not None:
            self.waiting.get(queue_id, {}).pop(contact.id, None)
        if contact.state in WAITING:
            self.waiting.setdefault(contact.queue_id, {})[contact.id] = contact
            self._queue_of[contact.id] = contact.queue_id
        if holder is not None or queue_id is not None or contact.state in WAITING:
            self.queues_changed = True

    def set_waiting(self, queue_id: str, contacts: list[Contact]) -> None:
        """What the backend says is waiting in a queue now (a drill-down opened)."""
        for contact_id in self.waiting.get(queue_id, {}):
            self._queue_of.pop(contact_id, None)
        self.waiting[queue_id] = {}
        for contact in contacts:
            if contact.state in WAITING:
                elsewhere = self._queue_of.get(contact.id)
                if elsewhere is not None and elsewhere != queue_id:
                    self.waiting.get(elsewhere, {}).pop(contact.id, None)
                self.waiting[queue_id][contact.id] = contact
                self._queue_of[contact.id] = queue_id
        self.queues_changed = True

    def set_queue(self, queue: SupervisedQueue) -> None:
        self.queues[queue.id] = queue
        self._index_skills()
        self.queues_changed = True

    def tick(self, now: datetime) -> None:
        """The clock moved: waits grow even when no event says so."""
        self.now = now
        if self._forgot_at is None or now - self._forgot_at >= FORGET_EVERY:
            self._forgot_at = now
            self.log.forget_before(now - KEEP)
        if self.knows_waiting and any(self.waiting.values()):
            self.queues_changed = True

    def waiting_now(self, queue_id: str) -> tuple[int, float]:
        """(contacts waiting, longest wait in s): from the contacts themselves when known, else the statistics."""
        if self.knows_waiting and self.now is not None:
            contacts = self.waiting.get(queue_id, {}).values()
            longest = max(((self.now - c.entered_queue_at).total_seconds() for c in contacts), default=0.0)
            return len(contacts), max(0.0, longest)
        stats = self.current_stats(queue_id)
        return (stats.waiting, stats.longest_wait_s) if stats else (0, 0.0)

    def take_changes(self) -> FloorModelChanges:
        """What the stream changed since the last call."""
        changes = FloorModelChanges(self.changed_agents, self.queues_changed, self.agents_reset)
        self.changed_agents, self.queues_changed, self.agents_reset = set(), False, False
        return changes

    def _history(self, queue_id: str) -> QueueHistory:
        return self.history.setdefault(queue_id, QueueHistory())

    # --- what the panels show -------------------------------------------------

    def queue_ids(self) -> list[str]:
        ids = list(self.queues) or list(self.today)
        return ids + [q for q in self.last_30m if q not in ids]

    def queue_name(self, queue_id: str) -> str:
        if queue_id in self.queues:
            return self.queues[queue_id].name
        stats = self.current_stats(queue_id)
        return stats.queue_name if stats else queue_id

    def current_stats(self, queue_id: str) -> WindowStats | None:
        """The last 30 minutes' figures; today's while the server gives no 30-minute window."""
        return self.last_30m.get(queue_id) or self.today.get(queue_id)

    def sla_breaches_of(self, queue_id: str) -> int | None:
        """The queue's chats, SMS and emails past their response target now, as the contact center counts them
        (the same in every window; None before its figures came)."""
        stats = self.today.get(queue_id) or self.last_30m.get(queue_id)
        return stats.sla_breaches if stats is not None else None

    def awaiting_reply_of(self, queue_id: str) -> int | None:
        """The queue's chats, SMS and emails in agents' hands awaiting our reply now (the customer wrote last), as the
        contact center counts them (None: not told, by a contact center that does not count them)."""
        stats = self.today.get(queue_id) or self.last_30m.get(queue_id)
        return stats.awaiting_reply if stats is not None else None

    def later_of(self, queue_id: str) -> tuple[int, int] | None:
        """The queue's chats, SMS and emails in agents' hands snoozed now, and with a reply scheduled, as the contact
        center counts them (None: not told, by a contact center that keeps neither)."""
        stats = self.today.get(queue_id) or self.last_30m.get(queue_id)
        if stats is None or stats.snoozed is None or stats.scheduled_replies is None:
            return None
        return stats.snoozed, stats.scheduled_replies

    def virtual_agent_of(self, queue_id: str) -> tuple[int, int, int] | None:
        """The chats the queue's virtual agent contained, escalated to a person and failed, as the contact center
        counts them (None: the queue has no virtual agent, or the contact center does not say)."""
        stats = self.today.get(queue_id) or self.last_30m.get(queue_id)
        if stats is None or stats.virtual_agent_contained is None:
            return None
        return stats.virtual_agent_contained, stats.virtual_agent_escalated or 0, stats.virtual_agent_failed or 0

    def service_level_of(self, queue_id: str) -> float | None:
        stats = self.current_stats(queue_id)
        if stats is None:
            return None
        if stats.service_level_pct is None and queue_id in self.today:
            return self.today[queue_id].service_level_pct  # nothing left the queue in 30 min
        return stats.service_level_pct

    def contacts_left(self, queue_id: str) -> int | None:
        """Contacts that left the queue (answered + abandoned) in the window the service level is from;
        None when the server does not say."""
        stats = self.current_stats(queue_id)
        if stats is not None and stats.service_level_pct is None and queue_id in self.today:
            stats = self.today[queue_id]  # as service_level_of: nothing left the queue in 30 min
        if stats is None or (stats.answered is None and stats.abandoned is None):
            return None
        return (stats.answered or 0) + (stats.abandoned or 0)

    def service_level_settled(self, queue_id: str) -> bool:
        """Enough contacts left the queue for its service level to mean something (unknown counts: yes)."""
        left = self.contacts_left(queue_id)
        return left is None or left >= self.service_level_alert_min_contacts

    def data_minutes(self, queue_id: str) -> float | None:
        """Minutes of data the 30-minute figures hold: fewer in a contact center's first half hour (its rate is
        the arrivals over the time it has been open); None where that cannot be told (no arrivals)."""
        stats = self.last_30m.get(queue_id)
        if stats is None or not stats.arrived or not stats.arrival_rate_per_min:
            return None
        return min(float(HISTORY_MINUTES), stats.arrived / stats.arrival_rate_per_min)

    def warming_up(self, queue_id: str) -> bool:
        minutes = self.data_minutes(queue_id)
        return minutes is not None and minutes < WARM_UP_MINUTES

    def warm_up_left_min(self, queue_id: str) -> int:
        """Whole minutes until the queue's figures hold WARM_UP_MINUTES of data (0 once they do)."""
        minutes = self.data_minutes(queue_id)
        return 0 if minutes is None else max(0, math.ceil(WARM_UP_MINUTES - minutes))

    def target_of(self, queue_id: str) -> tuple[float, int]:
        """(service-level target %, threshold s) of a queue."""
        stats = self.current_stats(queue_id)
        queue = self.queues.get(queue_id)
        target = (stats and stats.service_level_target_pct) or (queue.service_level_target_pct if queue else 80.0)
        threshold = (stats and stats.service_level_threshold_s) or (queue.service_level_threshold_s if queue else 20)
        return float(target), int(threshold)

    def staffed(self, queue_id: str) -> float:
        """Agents who can take the queue's contacts now or after their current one, shared agents in part."""
        if self.agents and queue_id in self.queues:
            return self.staffed_by_queue().get(queue_id, 0.0)
        stats = self.current_stats(queue_id)  # a feed without the agents: the server's count of those logged in
        if stats is not None and stats.staffed is not None:
            return float(stats.staffed)
        return 0.0

    def staffed_by_queue(self) -> dict[str, float]:
        """Every queue's staffed figure, worked out once per change of the floor or second of its clock."""
        now = self.clock_now()
        key = (self._version, now.replace(microsecond=0) if now else None)
        if self._staffed is None or self._staffed[0] != key:
            traffic = {queue_id: self.traffic_of(queue_id) for queue_id in self.queues}
            totals: dict[str, float] = {}
            for agent in self.agents.values():
                if takes_contacts(agent):
                    for queue_id, share in self._shares(agent.id, now, traffic).items():
                        totals[queue_id] = totals.get(queue_id, 0.0) + share
            self._staffed = (key, totals)
        return self._staffed[1]

    def shares(self, agent_id: str) -> dict[str, float]:
        """How much of the agent each queue they may serve counts on (the shares add up to 1)."""
        return self._shares(agent_id, self.clock_now(), {q: self.traffic_of(q) for q in self._serves.get(agent_id, ())})

    def _shares(self, agent_id: str, now: datetime | None, traffic: dict[str, float]) -> dict[str, float]:
        serves = self._serves.get(agent_id, ())
        if len(serves) <= 1 or now is None:
            return dict.fromkeys(serves, 1.0)
        window = KEEP.total_seconds()
        spent = self.log.time_on_contacts(agent_id, now - KEEP, now)
        spent = {q: spent.get(q, 0.0) for q in serves}
        on_contacts = sum(spent.values())
        if on_contacts >= window:  # several chats at once can fill more than the window
            return {q: spent[q] / on_contacts for q in serves}
        total = sum(traffic[q] for q in serves)
        rest = window - on_contacts
        return {q: (spent[q] + rest * (traffic[q] / total if total else 1 / len(serves))) / window for q in serves}

    def traffic_of(self, queue_id: str) -> float:
        """Erlangs offered over the last 30 minutes (arrivals × AHT), 0 without arrivals."""
        stats = self.last_30m.get(queue_id)
        if stats is None or not stats.arrival_rate_per_min:
            return 0.0
        return stats.arrival_rate_per_min / 60 * (stats.aht_s or DEFAULT_AHT_S)

    def agents_serving(self, queue_id: str) -> list[Agent]:
        return [self.agents[a] for a in sorted(self._served_by.get(queue_id, ())) if a in self.agents]

    def clock_now(self) -> datetime | None:
        return self.now or self.stats_at

    def _index_skills(self) -> None:
        self._serves, self._served_by = {}, {queue_id: set() for queue_id in self.queues}
        for agent in self.agents.values():
            self._index_agent(agent)

    def _index_agent(self, agent: Agent) -> None:
        for queue_id in self._serves.get(agent.id, ()):
            self._served_by.get(queue_id, set()).discard(agent.id)
        self._serves[agent.id] = tuple(q.id for q in self.queues.values() if can_serve(agent, q))
        for queue_id in self._serves[agent.id]:
            self._served_by.setdefault(queue_id, set()).add(agent.id)
        self._staffed = None

    def staffing(self, queue_id: str) -> StaffingAdvice | None:
        """Erlang C from the arrivals (the waiting contacts at least) and AHT of the last 30 minutes;
        None while nothing arrived and nothing waits."""
        advice = self.advice(queue_id)
        return advice.erlang if advice is not None else None

    def advice(self, queue_id: str) -> QueueAdvice | None:
        """Erlang C checked against the agents free now and the contacts waiting (queue_advice.py)."""
        stats = self.last_30m.get(queue_id)
        waiting, _ = self.waiting_now(queue_id)
        if stats is None and not waiting:
            return None
        key = (self.staffed(queue_id), waiting, self.free_for(queue_id))
        cached = self._advice.get(queue_id)
        if cached is not None and cached[0] is stats and cached[1] == key:
            return cached[2]  # the table and the causes both ask, on every redraw
        target, threshold = self.target_of(queue_id)
        advice = queue_advice(
            stats.arrival_rate_per_min if stats else None,
            stats.aht_s if stats else None,
            assumed_aht_s=self.floor_aht(),
            threshold_s=threshold,
            target_pct=target,
            staffed=key[0],
            waiting=waiting,
            free=key[2],
            max_occupancy=self.max_occupancy_pct / 100 if self.max_occupancy_pct else None,
        )
        self._advice[queue_id] = (stats, key, advice)
        return advice

    def free_for(self, queue_id: str) -> int:
        """Agents Available now who can take the queue's contacts (each counted whole)."""
        served_by = self._served_by.get(queue_id, ())
        return sum(1 for a in served_by if (agent := self.agents.get(a)) and agent.state == AgentState.AVAILABLE)

    def floor_aht(self) -> float:
        """The AHT assumed for a queue none of whose contacts completed: the floor's mean, else DEFAULT_AHT_S."""
        known = [s.aht_s for s in self.last_30m.values() if s.aht_s]
        return sum(known) / len(known) if known else DEFAULT_AHT_S

    def alerts(self) -> list[Alert]:
        found = []
        for queue_id in self.queue_ids():
            stats = self.current_stats(queue_id)
            if stats is None:
                continue
            name = self.queue_name(queue_id)
            target, _ = self.target_of(queue_id)
            level = self.service_level_of(queue_id)
            if level is not None and level < target and self.service_level_settled(queue_id):
                found.append(Alert(queue_id, "service_level", f"{name}: service level {level:.0f}% < {target:.0f}%"))
            _, longest = self.waiting_now(queue_id)
            if longest > self.longest_wait_alert_s:
                found.append(
                    Alert(
                        queue_id,
                        "longest_wait",
                        f"{name}: longest wait {longest:.0f} s > {self.longest_wait_alert_s:.0f} s",
                    )
                )
        return found

    def contact_in_hand(self, contact_id: str) -> Contact | None:
        """A contact some agent has in hand now (talking, on hold or wrapping up), None otherwise."""
        holder = self._holder.get(contact_id)
        return self.in_hand.get(holder, {}).get(contact_id) if holder is not None else None

    def contacts_of(self, agent_id: str) -> list[Contact]:
        return list(self.in_hand.get(agent_id, {}).values())
