"""Simulated traffic and a simulated team for the CCaaS mock.

Callers arrive at each queue at random (Poisson, per-queue rate, optionally shaped by a
time-of-day profile), give up when they have waited longer than their patience (while
queued or being offered), and the simulated agents accept, handle and wrap up what they
are offered, taking a break now and then. It drives the engine through its public
methods only, as a discrete-event simulation: an agenda of timed actions (arrivals,
give-ups, agents' next steps) on simulated time. It listens to the engine's domain events
(`Engine.listen`) and plans a simulated agent's next step when something happened to them
(an offer, a contact connected or ended, a state chosen), rather than looking at every agent
after every step.

Two ways to run it:
- **real time** (`start_real_time()`, the demo server): simulated time = real time × `speed`; the
  simulator is a part of the server's scheduler (common/scheduler.py), due when its next action is
  (or at once when the demo agent's state changed: the surge watches it), never polled; the engine
  keeps its wall clock and its own timers;
- **virtual time** (`Simulator.virtual(config).run_for(seconds)`): the engine runs on a
  manual clock that jumps from one due action or engine timer to the next. Deterministic
  for a seed and fast (no sleeping): used to check the measured service level against
  Erlang C (`erlang_c_config()` gives the textbook set-up: fixed rate, exponential handle
  time, no abandonment, no ACW, no breaks, N agents with one skill).

The demo defaults keep the floor a little over capacity: about 5.5 contacts a minute
against six agents who each need a bit over a minute per contact, so a few callers are
usually waiting and the demo agent gets an offer as soon as they go available. The
simulator also starts with a backlog, so that is true from the first second.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

import sqlite_utils

from mock_backends.ccaas import floor_plan
from mock_backends.ccaas import seed as demo
from mock_backends.ccaas.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from mock_backends.ccaas.engine import Conflict, Engine, NotFound
from mock_backends.ccaas.ivr import CustomerDirectory, NoDirectory, attached_data, identify, menu_leaves, walk
from mock_backends.ccaas.schemas import (
    DEFAULT_CAPACITY,
    AgentState,
    AttachedData,
    Channel,
    Contact,
    ContactState,
    Queue,
)
from mock_backends.ccaas.store import Store
from mock_backends.common.clock import ManualClock
from mock_backends.common.event_log import EventLog
from mock_backends.common.scheduler import Scheduler
from mock_backends.common.settings import DEMO_AGENT_ID, MockSettings
from mock_backends.demo_people import callers, unknown_caller_phone

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 5.0  # simulated seconds between looks for queued contacts without a patience

# A caller's (arrive, rate: look at a time-of-day rate again, give_up, callback) or a simulated agent's step.
AgendaKind = Literal["arrive", "rate", "give_up", "callback", "accept", "end", "complete", "available"]


@dataclass(frozen=True)
class Planned:
    """An entry of the simulator's agenda: what, and for which queue, contact, offer or agent (`|`-joined)."""

    kind: AgendaKind
    ref: str

SUBJECTS = {
    "billing": [
        "Question about my last invoice",
        "Charged twice this month",
        "Update my payment method",
        "Refund request",
        "Set up a payment plan",
        "Late fee on my account",
    ],
    "tech_support": [
        "Internet keeps dropping",
        "Cannot log in to the app",
        "Router lights blinking red",
        "Slow speeds in the evening",
        "Error when pairing a new device",
        "Email not syncing",
    ],
    "sales": [
        "Upgrade my plan",
        "Pricing for a business account",
        "Add a line to my account",
        "Moving: transfer service",
        "Is fibre available at my address?",
    ],
}
SUBJECTS |= {  # the lines of business a bigger floor adds (floor_plan.py)
    "retention": ["I want to cancel", "Better deal elsewhere", "Contract ending soon"],
    "moving": ["Moving next month", "Transfer service to a new address", "Install at my new home"],
    "business": ["Add users to our account", "Invoice for the company", "Outage at our office"],
    "collections": ["Missed a payment", "Payment plan for arrears", "Letter about my balance"],
    "fraud": ["Charge I did not make", "Lost my card", "Suspicious text message"],
    "devices": ["Phone screen cracked", "Device will not charge", "Repair status"],
    "orders": ["Where is my order?", "Parcel arrived damaged", "Change delivery date"],
}
OTHER_SUBJECTS = ["A question", "Help with my account", "Following up"]


def subjects_for(queue_id: str) -> list[str]:
    """The queue's own subjects, or its line of business's ("billing_north": billing's)."""
    return SUBJECTS.get(queue_id) or next(
        (subjects for line, subjects in SUBJECTS.items() if queue_id.startswith(f"{line}_")), OTHER_SUBJECTS
    )

CHANNELS = {Channel.VOICE: 0.60, Channel.CHAT: 0.25, Channel.EMAIL: 0.10, Channel.SMS: 0.05}


@dataclass
class TeamSpec:
    """`count` simulated agents with these skills (skill → proficiency 1..5) and capacity."""

    count: int
    skills: dict[str, int]
    capacity: dict[str, int] | None = None


@dataclass
class SimulatorConfig:
    """Rates and durations, in simulated seconds."""

    arrivals_per_minute: dict[str, float] = field(
        default_factory=lambda: {"billing": 2.4, "tech_support": 1.9, "sales": 1.2}
    )
    # UTC hour of the engine's clock → multiplier of every queue's rate (hours not listed: 1.0)
    time_of_day_profile: dict[int, float] | None = None
    channel_mix: dict[Channel, float] = field(default_factory=lambda: dict(CHANNELS))
    known_caller_share: float = 0.85
    mean_patience_s: float | None = 120.0  # exponential; None: callers never give up
    # A voice caller still waiting when their queue offers a callback takes it with this probability
    # (and then waits to be called back rather than giving up).
    callback_take_up: float = 0.4
    accept_delay_s: tuple[float, float] = (1.0, 3.0)
    # Handle time (talk) is exponential with this mean, per queue and channel where given, floored.
    mean_handle_s: float = 60.0
    handle_s: dict[str, dict[str, float]] = field(default_factory=dict)
    min_handle_s: float = 8.0
    wrap_up_s: tuple[float, float] = (5.0, 15.0)
    break_share: float = 0.05  # of completed contacts followed by a break
    break_s: tuple[float, float] = (60.0, 240.0)
    back_after_miss_s: tuple[float, float] = (2.0, 6.0)
    backlog: int = 9  # contacts waiting when the simulator starts (the floor is already busy)
    # When the demo agent has waited this long as available without an offer, extra callers
    # arrive (one every `surge_every_s`) until one reaches them: the demo never idles long.
    demo_wait_s: float = 5.0
    surge_every_s: float = 2.0
    # Voice callers go through the IVR (menu, self-service offered per option, the CRM dip in real
    # time); this share dials the second entry number (the demo's Spanish one).
    through_ivr: bool = True
    second_language_share: float = 0.1
    # The simulated team of a virtual run (None: the demo's six agents, agent-002 … agent-007)
    team: list[TeamSpec] | None = None


def erlang_c_config(
    queue_id: str = "billing", *, per_minute: float, aht_s: float, agents: int, channel: Channel = Channel.VOICE
) -> SimulatorConfig:
    """The M/M/N set-up Erlang C describes: Poisson arrivals, exponential handle time equal to AHT,
    no abandonment, no ACW, no accept delay, no breaks, `agents` agents with the one skill."""
    return SimulatorConfig(
        arrivals_per_minute={queue_id: per_minute},
        channel_mix={channel: 1.0},
        mean_patience_s=None,
        accept_delay_s=(0.0, 0.0),
        mean_handle_s=aht_s,
        min_handle_s=0.0,
        wrap_up_s=(0.0, 0.0),
        break_share=0.0,
        backlog=0,
        through_ivr=False,
        team=[TeamSpec(count=agents, skills={queue_id: 3})],
    )


def floor_config(engine: Engine) -> SimulatorConfig:
    """The demo's rates on the demo's three queues; on any other floor (`--agents`, `--queues`), rates set
    from the team that serves each queue (floor_plan.arrivals_per_minute) and a backlog of two per queue."""
    config = SimulatorConfig()
    floor_queues = engine.queues()
    demo_agents = 1 + len(demo.shipped().team)
    if {q.id for q in floor_queues} == set(config.arrivals_per_minute) and len(engine.agents()) <= demo_agents:
        return config
    team = [a for a in engine.agents() if a.id != DEMO_AGENT_ID]
    seconds = config.mean_handle_s + sum(config.accept_delay_s) / 2 + sum(config.wrap_up_s) / 2
    config.arrivals_per_minute = floor_plan.arrivals_per_minute(floor_queues, team, seconds / 60)
    config.backlog = 2 * len(floor_queues)
    return config


class Simulator:
    def __init__(
        self,
        engine: Engine,
        settings: MockSettings,
        config: SimulatorConfig | None = None,
        *,
        clock: ManualClock | None = None,
        directory: Callable[[], CustomerDirectory] | None = None,
    ) -> None:
        self.engine = engine
        self.ivr = settings.ivr
        self._directory = directory  # the IVR's CRM dip (real time only: it is a network call)
        self.config = config or floor_config(engine)
        self.clock = clock  # set in virtual time
        self.speed = settings.actor_speed  # the people act at `speed` within the mock's `time_scale`
        self.rng = random.Random(settings.seed)
        self.callers = callers(settings.seed, settings.customers)
        self.agent_ids = [a.id for a in engine.agents() if a.id != DEMO_AGENT_ID]
        self._simulated = set(self.agent_ids)
        self.t = 0.0  # simulated seconds since start
        self._agenda: list[tuple[float, int, Planned]] = []
        self._seq = itertools.count()
        self._planned: set[tuple[str, ...]] = set()
        self._patience_for: set[str] = set()
        self._first_contact: set[str] = set(self.agent_ids)  # their first handle time is shortened
        self._demo_available: tuple[str, float] | None = None  # (state_since, simulated time seen)
        self._next_surge = 0.0
        self._next_sweep = 0.0
        self._started = False
        self._dips: set[asyncio.Task[None]] = set()
        # Real time (`start_real_time`): when simulated time 0 was, the clock, the scheduler's wake.
        self._began: float | None = None
        self._monotonic: Callable[[], float] = time.monotonic
        self._wake: Callable[[], None] = lambda: None
        self._demo_changed: float | None = None  # when the demo agent's state changed: look at the surge then
        engine.listen(self._on_events)

    @classmethod
    def virtual(
        cls,
        config: SimulatorConfig | None = None,
        *,
        seed: int = 1,
        offer_timeout_s: float = 15.0,
        queues: list[Queue] | None = None,
        start: datetime | None = None,
        db: sqlite_utils.Database | None = None,
    ) -> Simulator:
        """A simulator with its own engine on a manual clock and an in-memory database (or `db`: a file to
        restart an engine on)."""
        config = config or SimulatorConfig()
        clock = ManualClock(start or datetime(2026, 1, 5, tzinfo=UTC))
        db = db or sqlite_utils.Database(memory=True)
        engine = Engine(
            Store(db), EventLog(db, clock), clock, offer_timeout_s=offer_timeout_s, monotonic=clock.monotonic, seed=seed
        )
        now = clock.now()
        floor = demo.shipped()
        if config.team is None:
            agents = demo.simulated_agents(seed, now, floor=floor)
        else:
            numbers = itertools.count(2)
            agents = [
                demo.agent(
                    next(numbers), f"Simulated agent {i}", spec.skills, now, floor.not_ready_reasons,
                    capacity=spec.capacity or DEFAULT_CAPACITY,
                )
                for spec in config.team
                for i in range(spec.count)
            ]
        engine.seed(queues or demo.demo_queues(floor), agents)
        settings = MockSettings(seed=seed, customers=60, simulator=True)
        return cls(engine, settings, config, clock=clock)

    def contacts(self) -> list[Contact]:
        """Every contact of the run, from the store (the engine holds the open ones and about the last hour)."""
        return self.engine.contacts_since(datetime.min.replace(tzinfo=UTC))

    # --- running --------------------------------------------------------------

    def start_real_time(self, scheduler: Scheduler, monotonic: Callable[[], float] = time.monotonic) -> None:
        """Real time on the server's scheduler: simulated time = elapsed × speed."""
        self._monotonic = monotonic
        self._began = monotonic()
        self._wake = scheduler.wake
        self.start()
        scheduler.add("simulator", self)

    def next_due(self) -> float | None:
        """Real time: when the next action, sweep or surge is due (monotonic seconds)."""
        if self._began is None:
            return None
        if self._demo_changed is not None:
            return self._demo_changed
        dues = [self._agenda[0][0]] if self._agenda else []
        if self.config.mean_patience_s is not None:
            dues.append(self._next_sweep)
        if self._demo_available is not None:
            dues.append(max(self._demo_available[1] + self.config.demo_wait_s, self._next_surge))
        return self._began + min(dues) / self.speed if dues else None

    def fire_due(self) -> None:
        """Real time: do what is due by now."""
        self._demo_changed = None
        self.advance(self._elapsed())

    def _elapsed(self) -> float:
        """Real time: the simulated seconds since start."""
        return (self._monotonic() - (self._began or 0.0)) * self.speed

    def run_for(self, seconds: float) -> None:
        """Virtual time: run `seconds` of simulated time as fast as the machine allows."""
        clock = self.clock
        if clock is None:
            raise RuntimeError("run_for needs a simulator made by Simulator.virtual()")
        if not self._started:
            self.start()
        end = self.t + seconds
        while True:
            due = self._agenda[0][0] if self._agenda else float("inf")
            engine_due = self.engine.next_due()
            if engine_due is not None:
                due = min(due, engine_due)
            if due > end:
                break
            clock.advance_to(due)
            self.t = max(self.t, due)
            self.engine.tick()
            self._run_due(self.t)
        clock.advance_to(end)
        self.t = end
        self.engine.tick()

    def start(self) -> None:
        """Sign the team in, schedule the first arrivals and put a backlog in the queues."""
        self._started = True
        for queue_id in self.config.arrivals_per_minute:
            self._schedule_arrival(queue_id)
        for agent_id in self.agent_ids:
            if self.engine.agent(agent_id).state == AgentState.OFFLINE:
                self.engine.set_agent_state(agent_id, AgentState.AVAILABLE)
        queue_ids = list(self.config.arrivals_per_minute)
        weights = list(self.config.arrivals_per_minute.values())
        waited = sorted((self.rng.uniform(0, 60) for _ in range(self.config.backlog)), reverse=True)
        for seconds in waited:
            self._arrive(self.rng.choices(queue_ids, weights)[0], waited_s=seconds)
        self._sweep()
        for agent_id in self.agent_ids:  # what they hold from an earlier run; events tell the rest
            self._react(agent_id)

    def advance(self, now: float) -> None:
        """Real time: do everything due up to simulated time `now`, then react to the engine's state."""
        self._run_due(now)
        self.t = max(self.t, now)
        self._surge()
        if self.t >= self._next_sweep:
            self._sweep()
            self._next_sweep = self.t + SWEEP_EVERY_S

    def _at(self, after_s: float, kind: AgendaKind, ref: str) -> None:
        heapq.heappush(self._agenda, (self.t + max(0.0, after_s), next(self._seq), Planned(kind, ref)))
        self._wake()

    def _run_due(self, now: float) -> None:
        while self._agenda and self._agenda[0][0] <= now:
            due, _, planned = heapq.heappop(self._agenda)
            kind, ref = planned.kind, planned.ref
            self.t = max(self.t, due)
            try:
                if kind == "arrive":
                    self._arrive(ref)
                    self._schedule_arrival(ref)
                elif kind == "rate":
                    self._schedule_arrival(ref)
                elif kind == "give_up":
                    self._give_up(ref)
                elif kind == "callback":
                    if self.engine.contact(ref).state == ContactState.QUEUED:
                        self.engine.request_callback(ref)
                else:
                    self._act(kind, ref)
            except (Conflict, NotFound):
                pass  # the world moved on (the offer expired, someone else changed the agent)

    # --- callers --------------------------------------------------------------

    def _rate_per_s(self, queue_id: str) -> float:
        rate = self.config.arrivals_per_minute[queue_id] / 60
        if self.config.time_of_day_profile:
            rate *= self.config.time_of_day_profile.get(self.engine.now().hour, 1.0)
        return rate

    def _schedule_arrival(self, queue_id: str) -> None:
        rate = self._rate_per_s(queue_id)
        if rate > 0:
            self._at(self.rng.expovariate(rate), "arrive", queue_id)
        else:
            self._at(60.0, "rate", queue_id)  # look again in a minute (time-of-day profile)

    def _surge(self) -> None:
        try:
            demo_agent = self.engine.agent(DEMO_AGENT_ID)
        except NotFound:
            return
        if demo_agent.state != AgentState.AVAILABLE:
            self._demo_available = None
            return
        since = demo_agent.state_since.isoformat()
        if self._demo_available is None or self._demo_available[0] != since:
            self._demo_available = (since, self.t)
        if self.t - self._demo_available[1] >= self.config.demo_wait_s and self.t >= self._next_surge:
            queue_ids = list(self.config.arrivals_per_minute)
            self._arrive(self.rng.choices(queue_ids, list(self.config.arrivals_per_minute.values()))[0])
            self._next_surge = self.t + self.config.surge_every_s

    def _arrive(self, queue_id: str, waited_s: float = 0.0) -> None:
        rng, cfg = self.rng, self.config
        mix = list(cfg.channel_mix.items())
        channel = rng.choices([c for c, _ in mix], [w for _, w in mix])[0]
        known = rng.random() < cfg.known_caller_share
        by_phone = channel in (Channel.VOICE, Channel.SMS)
        if known:
            caller = rng.choice(self.callers)
            address = caller.phone_as_written(rng) if by_phone else caller.email
        else:
            address = unknown_caller_phone(rng) if by_phone else f"visitor{rng.randint(1000, 9999)}@example.net"
        scale = self.speed if self.clock is None else 1.0
        entered = self.engine.now() - timedelta(seconds=waited_s / scale) if waited_s else None
        subject = rng.choice(subjects_for(queue_id))
        if channel == Channel.VOICE and cfg.through_ivr and not waited_s:
            self._through_ivr(queue_id, address, subject)
            return
        self._enter(queue_id, channel, address, subject, entered, waited_s, None)

    def _through_ivr(self, queue_id: str, address: str, subject: str) -> None:
        """The caller picks the menu path to their queue; some take the self-service offered."""
        rng = self.rng
        entries = self.ivr
        entry = entries[1] if len(entries) > 1 and rng.random() < self.config.second_language_share else entries[0]
        paths = [keys for keys, option in menu_leaves(entry.options) if option.queue_id == queue_id]
        if not paths:  # the menu does not lead there: the call reaches the queue directly
            self._enter(queue_id, Channel.VOICE, address, subject, None, 0.0, None)
            return
        menu = walk(entries, entry.number, rng.choice(paths))
        if rng.random() * 100 < menu.option.self_service_pct:
            self.engine.self_served(queue_id, menu.option.intent, menu.path)
            return
        directory = self._directory() if self._directory else None
        if directory is None or self.clock is not None or isinstance(directory, NoDirectory):
            self._enter(queue_id, Channel.VOICE, address, subject, None, 0.0, attached_data(menu, None, False, None))
            return

        async def dip() -> None:
            try:
                account, verified, tier = await identify(directory, menu.option, address, None)
                attached = attached_data(menu, account, verified, tier)
                self._enter(queue_id, Channel.VOICE, address, subject, None, 0.0, attached)
            except Exception:  # a bug here must not stop the simulator
                log.exception("simulated IVR call failed")

        task = asyncio.get_running_loop().create_task(dip())
        self._dips.add(task)
        task.add_done_callback(self._dips.discard)

    def _enter(
        self,
        queue_id: str,
        channel: Channel,
        address: str,
        subject: str,
        entered: datetime | None,
        waited_s: float,
        attached: AttachedData | None,
    ) -> None:
        cfg = self.config
        contact = self.engine.create_contact(
            queue_id, channel, address, subject, entered_queue_at=entered, attached=attached
        )
        if cfg.mean_patience_s is not None:
            patience = self.rng.expovariate(1 / cfg.mean_patience_s)
            threshold = self.engine.queue(queue_id).callback_offer_after_s
            offered = channel == Channel.VOICE and threshold is not None and patience - waited_s > threshold
            if offered and self.rng.random() < cfg.callback_take_up:
                self._at(max(threshold - waited_s, 0.0) + 0.5, "callback", contact.id)
            self._patience_for.add(contact.id)
            self._at(max(patience - waited_s, 5.0), "give_up", contact.id)

    def _give_up(self, contact_id: str) -> None:
        self._patience_for.discard(contact_id)
        contact = self.engine.contact(contact_id)
        if contact.callback is None and contact.state in (ContactState.QUEUED, ContactState.OFFERED):
            self.engine.abandon(contact_id)  # a caller waiting for a callback has hung up: they do not give up

    def _sweep(self) -> None:
        """Contacts the simulator did not put in (left from an earlier run, or put in by hand) get a patience."""
        if self.config.mean_patience_s is None:
            return
        for contact in self.engine.queued_contacts():
            if contact.id not in self._patience_for:
                self._patience_for.add(contact.id)
                self._at(self.rng.expovariate(1 / self.config.mean_patience_s), "give_up", contact.id)

    # --- the simulated team ---------------------------------------------------

    def _on_events(self, events: list[DomainEvent]) -> None:
        """Plan the next step of each simulated agent something happened to."""
        if self._began is not None:  # real time: plans start from now, not from the last action's time
            self.t = max(self.t, self._elapsed())
        concerned: list[str] = []
        for event in events:
            if isinstance(event, ContactChanged):
                concerned += [event.contact.agent_id or "", event.from_agent or ""]
            elif isinstance(event, AgentStateChanged):
                concerned.append(event.agent.id)
                if event.agent.id == DEMO_AGENT_ID and self._began is not None and self._demo_changed is None:
                    self._demo_changed = self._monotonic()
                    self._wake()
            elif isinstance(event, (OfferMade, OfferClosed)):
                concerned.append(event.offer.agent_id)
        for agent_id in dict.fromkeys(concerned):
            if agent_id in self._simulated:
                self._react(agent_id)

    def _react(self, agent_id: str) -> None:
        """Give a simulated agent their next step for what they have now (once per thing to do)."""
        engine, rng, cfg = self.engine, self.rng, self.config
        for offer in engine.pending_offers(agent_id):
            self._plan(("accept", offer.id), rng.uniform(*cfg.accept_delay_s))
        hand = engine.contacts_in_hand(agent_id)
        for contact in hand:
            if contact.state in (ContactState.CONNECTED, ContactState.ON_HOLD):
                self._plan(("end", contact.id), self._handle_s(agent_id, contact.queue_id, contact.channel))
            elif contact.state == ContactState.AFTER_CONTACT_WORK:
                self._plan(("complete", contact.id), rng.uniform(*cfg.wrap_up_s))
        chosen, _ = engine.chosen_state(agent_id)
        if chosen != AgentState.AVAILABLE and not hand:
            since = engine.agent(agent_id).state_since.isoformat()
            if chosen == AgentState.NOT_READY:
                delay = rng.uniform(*cfg.break_s)
            elif chosen == AgentState.MISSED:
                delay = rng.uniform(*cfg.back_after_miss_s)
            else:
                delay = 0.0
            self._plan(("available", agent_id, f"{chosen.value}@{since}"), delay)

    def _plan(self, key: tuple[str, ...], after_s: float) -> None:
        if key in self._planned:
            return
        self._planned.add(key)
        self._at(after_s, cast(AgendaKind, key[0]), "|".join(key[1:]))

    def _act(self, action: str, ref: str) -> None:
        key = (action, *ref.split("|"))
        self._planned.discard(key)
        engine, rng, cfg = self.engine, self.rng, self.config
        if action == "accept":
            engine.accept(key[1])
        elif action == "end":
            engine.end(key[1])
        elif action == "complete":
            contact = engine.contact(key[1])
            dispositions = engine.queue(contact.queue_id).dispositions or ["Resolved"]
            then = (AgentState.NOT_READY, "Break") if rng.random() < cfg.break_share else None
            engine.complete(contact.id, rng.choice(dispositions), then=then)
        elif action == "available":
            if engine.chosen_state(key[1])[0] != AgentState.AVAILABLE and not engine.contacts_in_hand(key[1]):
                engine.set_agent_state(key[1], AgentState.AVAILABLE)

    def _handle_s(self, agent_id: str, queue_id: str, channel: Channel) -> float:
        cfg = self.config
        mean = cfg.handle_s.get(queue_id, {}).get(channel.value, cfg.mean_handle_s)
        handle = self.rng.expovariate(1 / mean) if mean > 0 else 0.0
        if agent_id in self._first_contact and self.clock is None:  # the demo starts mid-contact
            self._first_contact.discard(agent_id)
            handle *= self.rng.random()
        return max(handle, cfg.min_handle_s)
