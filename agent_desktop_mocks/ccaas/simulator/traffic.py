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

The parts: the agenda (simulator_agenda.py), the callers (simulated_callers.py), the team
(simulated_team.py), the rates and durations (simulator_config.py); this module runs them.

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

import itertools
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from agent_desktop_mocks.ccaas.core import FarEnd, RandomFarEnd
from agent_desktop_mocks.ccaas.core.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import DEFAULT_CAPACITY, AgentState, Contact, Queue
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine, NotFound
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.simulator.agenda import Agenda
from agent_desktop_mocks.ccaas.simulator.bot_customers import AnswerCall, BotCustomers
from agent_desktop_mocks.ccaas.simulator.callers import SimulatedCallers
from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig, floor_config
from agent_desktop_mocks.ccaas.simulator.team import SimulatedTeam
from agent_desktop_mocks.ccaas.tables import seed as demo
from agent_desktop_mocks.ccaas.tables.ivr import CustomerDirectory
from agent_desktop_mocks.ccaas.virtual_agent.service import VirtualAgent
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.scheduler import Scheduler
from agent_desktop_mocks.demo_people import callers

SWEEP_EVERY_S = 5.0  # simulated seconds between looks for queued contacts without a patience


class Simulator:
    def __init__(
        self,
        engine: Engine,
        settings: MockSettings,
        config: SimulatorConfig | None = None,
        *,
        clock: ManualClock | None = None,
        directory: Callable[[], CustomerDirectory] | None = None,
        virtual_agent: Callable[[], VirtualAgent | None] | None = None,
        bot_answers_call: AnswerCall | None = None,
    ) -> None:
        """`directory`: the IVR's CRM dip, `virtual_agent`: the bot on some queues' chat entry, `bot_answers_call`: the
        bot answering a call on a queue whose calls it takes first (all real time only: network calls); `clock`:
        virtual time."""
        self.engine = engine
        self.config = config or floor_config(engine)
        self.clock = clock  # set in virtual time
        self.speed = settings.actor_speed  # the people act at `speed` within the mock's `time_scale`
        self.rng = random.Random(settings.seed)
        self.agenda = Agenda()
        self.callers = SimulatedCallers(
            engine,
            self.config,
            self.rng,
            self.agenda,
            callers(settings.seed, settings.customers),
            settings.ivr,
            directory,
            self.speed if clock is None else None,
        )
        if virtual_agent is not None and clock is None:
            self.callers.bots = BotCustomers(
                virtual_agent, random.Random(f"{settings.seed}:bot"), self.speed, bot_answers_call
            )
        self.agent_ids = [a.id for a in engine.read.agents() if a.id != DEMO_AGENT_ID]  # the simulated team
        self.team = SimulatedTeam(
            engine, self.config, self.rng, self.agenda, self.agent_ids, starts_mid_contact=clock is None
        )
        self._demo_available: tuple[str, float] | None = None  # (state_since, simulated time seen)
        self._next_surge = 0.0
        self._next_sweep = 0.0
        self._started = False
        # Real time (`start_real_time`): when simulated time 0 was, the clock.
        self._began: float | None = None
        self._monotonic: Callable[[], float] = time.monotonic
        self._demo_changed: float | None = None  # when the demo agent's state changed: look at the surge then
        engine.listen(self._on_events)

    @property
    def t(self) -> float:
        """Simulated seconds since start."""
        return self.agenda.t

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
        far_end: FarEnd | None = None,
    ) -> Simulator:
        """A simulator with its own engine on a manual clock and an in-memory database (or `db`: a file to
        restart an engine on). `far_end`: the customers it dials back and the consult legs it rings (default:
        the mock's own, on an rng of the run's seed: answered at the settings' default rate)."""
        config = config or SimulatorConfig()
        clock = ManualClock(start or datetime(2026, 1, 5, tzinfo=UTC))
        db = db or sqlite_utils.Database(memory=True)
        settings = MockSettings(seed=seed, customers=60, simulator=True)
        far_end = far_end or RandomFarEnd(random.Random(seed), settings.callback_answer_pct)
        engine = Engine(
            Store(db),
            EventLog(db, clock),
            clock,
            offer_timeout_s=offer_timeout_s,
            monotonic=clock.monotonic,
            far_end=far_end,
        )
        now = clock.now()
        floor = demo.shipped()
        if config.team is None:
            agents = demo.simulated_agents(seed, now, floor=floor)
        else:
            numbers = itertools.count(2)
            agents = [
                demo.agent(
                    next(numbers),
                    f"Simulated agent {i}",
                    spec.skills,
                    now,
                    floor.not_ready_reasons,
                    capacity=spec.capacity or DEFAULT_CAPACITY,
                    limits=floor.break_limits,
                )
                for spec in config.team
                for i in range(spec.count)
            ]
        engine.seed(queues or demo.demo_queues(floor), agents)
        return cls(engine, settings, config, clock=clock)

    def contacts(self) -> list[Contact]:
        """Every contact of the run, from the store (the engine holds the open ones and about the last hour)."""
        return self.engine.contacts_since(datetime.min.replace(tzinfo=UTC))

    # --- running --------------------------------------------------------------

    def start_real_time(self, scheduler: Scheduler, monotonic: Callable[[], float] = time.monotonic) -> None:
        """Real time on the server's scheduler: simulated time = elapsed × speed."""
        self._monotonic = monotonic
        self._began = monotonic()
        self.agenda.wake = scheduler.wake
        self.start()
        scheduler.add("simulator", self)

    def next_due(self) -> float | None:
        """Real time: when the next action, sweep or surge is due (monotonic seconds)."""
        if self._began is None:
            return None
        if self._demo_changed is not None:
            return self._demo_changed
        due = self.agenda.next_due()
        dues = [due] if due is not None else []
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
        clock, agenda = self.clock, self.agenda
        if clock is None:
            raise RuntimeError("run_for needs a simulator made by Simulator.virtual()")
        if not self._started:
            self.start()
        end = agenda.t + seconds
        while True:
            due = agenda.next_due()
            due = float("inf") if due is None else due
            engine_due = self.engine.read.next_due()
            if engine_due is not None:
                due = min(due, engine_due)
            if due > end:
                break
            clock.advance_to(due)
            agenda.t = max(agenda.t, due)
            self.engine.tick()
            self._run_due(agenda.t)
        clock.advance_to(end)
        agenda.t = end
        self.engine.tick()

    def start(self) -> None:
        """Sign the team in, schedule the first arrivals and put a backlog in the queues."""
        self._started = True
        for queue_id in self.config.arrivals_per_minute:
            self.callers.schedule_arrival(queue_id)
        for agent_id in self.agent_ids:
            if self.engine.read.agent(agent_id).state == AgentState.OFFLINE:
                self.engine.agents.set_agent_state(agent_id, AgentState.AVAILABLE)
        waited = sorted((self.rng.uniform(0, 60) for _ in range(self.config.backlog)), reverse=True)
        for seconds in waited:
            self.callers.arrive_somewhere(waited_s=seconds)
        self.callers.sweep()
        self.team.react(self.agent_ids)  # what they hold from an earlier run; events tell the rest

    def advance(self, now: float) -> None:
        """Real time: do everything due up to simulated time `now`, then react to the engine's state."""
        self._run_due(now)
        self.agenda.t = max(self.agenda.t, now)
        self._surge()
        if self.t >= self._next_sweep:
            self.callers.sweep()
            self._next_sweep = self.t + SWEEP_EVERY_S

    def _run_due(self, now: float) -> None:
        callers = self.callers
        while (planned := self.agenda.pop_due(now)) is not None:
            kind, ref = planned.kind, planned.ref
            try:
                if kind == "arrive":
                    callers.arrive(ref)
                    callers.schedule_arrival(ref)
                elif kind == "rate":
                    callers.schedule_arrival(ref)
                elif kind == "give_up":
                    callers.give_up(ref)
                elif kind == "callback":
                    callers.ask_for_callback(ref)
                else:
                    self.team.act(kind, ref)
            except (Conflict, NotFound):
                pass  # the world moved on (the offer expired, someone else changed the agent)

    def _surge(self) -> None:
        """The demo agent has waited long enough as available: one more caller (every `surge_every_s`)."""
        try:
            demo_agent = self.engine.read.agent(DEMO_AGENT_ID)
        except NotFound:
            return
        if demo_agent.state != AgentState.AVAILABLE:
            self._demo_available = None
            return
        since = demo_agent.state_since.isoformat()
        if self._demo_available is None or self._demo_available[0] != since:
            self._demo_available = (since, self.t)
        if self.t - self._demo_available[1] >= self.config.demo_wait_s and self.t >= self._next_surge:
            self.callers.arrive_somewhere()
            self._next_surge = self.t + self.config.surge_every_s

    def _on_events(self, events: list[DomainEvent]) -> None:
        """Plan the next step of each simulated agent something happened to."""
        if self._began is not None:  # real time: plans start from now, not from the last action's time
            self.agenda.t = max(self.agenda.t, self._elapsed())
        concerned: list[str] = []
        for event in events:
            if isinstance(event, ContactChanged):
                concerned += [event.contact.agent_id or "", event.from_agent or ""]
            elif isinstance(event, AgentStateChanged):
                concerned.append(event.agent.id)
                if event.agent.id == DEMO_AGENT_ID and self._began is not None and self._demo_changed is None:
                    self._demo_changed = self._monotonic()
                    self.agenda.wake()
            elif isinstance(event, (OfferMade, OfferClosed)):
                concerned.append(event.offer.agent_id)
        self.team.react(list(dict.fromkeys(concerned)))
