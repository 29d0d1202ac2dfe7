"""Simulated traffic and a simulated team for the CCaaS mock.

Callers arrive at each queue at random (Poisson), give up when they have waited
longer than their patience, and the simulated agents (everyone but the demo
agent) accept, handle and wrap up what they are offered, taking a short break
now and then. Everything here runs on simulated time (real time × speed) and
drives the engine through its public methods only.

The defaults keep the floor a little over capacity: about 6.5 contacts a minute
against six agents who each need a bit over a minute per contact, so a few
callers are usually waiting and the demo agent gets an offer as soon as they go
available. The simulator also starts with a backlog, so that is true from the
first second.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from mock_backends.ccaas.engine import Conflict, Engine
from mock_backends.ccaas.schemas import AgentState, Channel, ContactState
from mock_backends.common.settings import DEMO_AGENT_ID, MockSettings
from mock_backends.demo_people import callers, unknown_caller_phone

log = logging.getLogger(__name__)

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

CHANNELS = [(Channel.VOICE, 0.60), (Channel.CHAT, 0.25), (Channel.EMAIL, 0.10), (Channel.SMS, 0.05)]


@dataclass
class SimulatorConfig:
    """Rates and durations, in simulated seconds."""

    arrivals_per_minute: dict[str, float] = field(
        default_factory=lambda: {"billing": 2.4, "tech_support": 1.9, "sales": 1.2}
    )
    known_caller_share: float = 0.85
    mean_patience_s: float = 120.0
    accept_delay_s: tuple[float, float] = (1.0, 3.0)
    mean_handle_s: float = 60.0
    wrap_up_s: tuple[float, float] = (5.0, 15.0)
    break_share: float = 0.05  # of completed contacts followed by a break
    break_s: tuple[float, float] = (60.0, 240.0)
    back_after_miss_s: tuple[float, float] = (2.0, 6.0)
    backlog: int = 9  # contacts waiting when the simulator starts (the floor is already busy)
    # When the demo agent has waited this long as available without an offer, extra callers
    # arrive (one every `surge_every_s`) until one reaches them: the demo never idles long.
    demo_wait_s: float = 5.0
    surge_every_s: float = 2.0
    step_s: float = 0.1  # real seconds between steps


@dataclass
class _Plan:
    key: tuple[str, str]  # what the agent is about to do, and to which offer or contact
    due: float  # simulated time


class Simulator:
    def __init__(self, engine: Engine, settings: MockSettings, config: SimulatorConfig | None = None) -> None:
        self.engine = engine
        self.config = config or SimulatorConfig()
        self.speed = settings.speed
        self.rng = random.Random(settings.seed)
        self.callers = callers(settings.seed, settings.customers)
        self.agent_ids = [a.id for a in engine.agents() if a.id != DEMO_AGENT_ID]
        self._next_arrival: dict[str, float] = {}
        self._gives_up_at: dict[str, float] = {}  # contact id → simulated time
        self._plans: dict[str, _Plan] = {}
        self._first_contact: set[str] = set(self.agent_ids)  # their first handle time is shortened
        self._demo_available: tuple[str, float] | None = None  # (state_since, simulated time seen)
        self._next_surge = 0.0

    # --- running --------------------------------------------------------------

    async def run(self) -> None:
        start = time.monotonic()
        self.start(0.0)
        while True:
            await asyncio.sleep(self.config.step_s)
            try:
                self.step((time.monotonic() - start) * self.speed)
            except Exception:  # a bug here must not stop the server
                log.exception("simulator step failed")

    def start(self, now: float) -> None:
        """Sign the team in, schedule the first arrivals and put a backlog in the queues."""
        for queue_id, per_minute in self.config.arrivals_per_minute.items():
            self._next_arrival[queue_id] = now + self.rng.expovariate(per_minute / 60)
        for agent_id in self.agent_ids:
            if self.engine.agent(agent_id).state == AgentState.OFFLINE:
                self.engine.set_agent_state(agent_id, AgentState.AVAILABLE)
        queue_ids = list(self.config.arrivals_per_minute)
        weights = list(self.config.arrivals_per_minute.values())
        waited = sorted((self.rng.uniform(0, 60) for _ in range(self.config.backlog)), reverse=True)
        for seconds in waited:
            queue_id = self.rng.choices(queue_ids, weights)[0]
            self._arrive(queue_id, now, waited_s=seconds)

    def step(self, now: float) -> None:
        """Do everything due at simulated time `now`."""
        for queue_id, due in self._next_arrival.items():
            per_second = self.config.arrivals_per_minute[queue_id] / 60
            while due <= now:
                self._arrive(queue_id, due)
                due += self.rng.expovariate(per_second)
            self._next_arrival[queue_id] = due
        self._surge(now)
        self._give_up(now)
        for agent_id in self.agent_ids:
            self._work(agent_id, now)

    def _surge(self, now: float) -> None:
        demo = self.engine.agent(DEMO_AGENT_ID)
        if demo.state != AgentState.AVAILABLE:
            self._demo_available = None
            return
        since = demo.state_since.isoformat()
        if self._demo_available is None or self._demo_available[0] != since:
            self._demo_available = (since, now)
        if now - self._demo_available[1] >= self.config.demo_wait_s and now >= self._next_surge:
            queue_ids = list(self.config.arrivals_per_minute)
            self._arrive(self.rng.choices(queue_ids, list(self.config.arrivals_per_minute.values()))[0], now)
            self._next_surge = now + self.config.surge_every_s

    # --- callers --------------------------------------------------------------

    def _arrive(self, queue_id: str, now: float, waited_s: float = 0.0) -> None:
        rng = self.rng
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        known = rng.random() < self.config.known_caller_share
        by_phone = channel in (Channel.VOICE, Channel.SMS)
        if known:
            caller = rng.choice(self.callers)
            address = caller.phone_as_written(rng) if by_phone else caller.email
        else:
            address = unknown_caller_phone(rng) if by_phone else f"visitor{rng.randint(1000, 9999)}@example.net"
        entered = self.engine.now() - timedelta(seconds=waited_s / self.speed) if waited_s else None
        contact = self.engine.create_contact(
            queue_id, channel, address, rng.choice(SUBJECTS[queue_id]), entered_queue_at=entered
        )
        patience = rng.expovariate(1 / self.config.mean_patience_s)
        self._gives_up_at[contact.id] = now - waited_s + max(patience, waited_s + 5)

    def _give_up(self, now: float) -> None:
        for contact_id, at in list(self._gives_up_at.items()):
            state = self.engine.contact(contact_id).state
            if state not in (ContactState.QUEUED, ContactState.OFFERED):
                del self._gives_up_at[contact_id]  # answered
            elif at <= now and state == ContactState.QUEUED:  # one being offered holds on until it is back
                self.engine.abandon(contact_id)
                del self._gives_up_at[contact_id]
        for contact in self.engine.queued_contacts():  # e.g. left from an earlier run, or put in by hand
            if contact.id not in self._gives_up_at:
                self._gives_up_at[contact.id] = now + self.rng.expovariate(1 / self.config.mean_patience_s)

    # --- the simulated team ---------------------------------------------------

    def _work(self, agent_id: str, now: float) -> None:
        rng, cfg, engine = self.rng, self.config, self.engine
        agent = engine.agent(agent_id)
        key: tuple[str, str]
        if agent.state == AgentState.OFFERED:
            offers = engine.pending_offers(agent_id)
            if not offers:
                return
            key = ("accept", offers[0].id)
        elif agent.state in (AgentState.BUSY, AgentState.AFTER_CONTACT_WORK):
            contacts = engine.contacts_in_hand(agent_id)
            if not contacts:
                return
            key = ("end" if agent.state == AgentState.BUSY else "complete", contacts[0].id)
        elif agent.state in (AgentState.NOT_READY, AgentState.MISSED, AgentState.OFFLINE):
            key = ("available", f"{agent.state.value}@{agent.state_since.isoformat()}")
        else:
            return  # available: waiting for the next offer
        plan = self._plans.get(agent_id)
        if plan is None or plan.key != key:
            plan = self._plans[agent_id] = _Plan(key, now + self._duration(agent_id, key[0], agent.state))
        if plan.due > now:
            return
        del self._plans[agent_id]
        action, target = key
        try:
            if action == "accept":
                engine.accept(target)
            elif action == "end":
                engine.end(target)
            elif action == "complete":
                contact = engine.contact(target)
                dispositions = engine.queue(contact.queue_id).dispositions
                then = (AgentState.NOT_READY, "Break") if rng.random() < cfg.break_share else None
                engine.complete(target, rng.choice(dispositions), then=then)
            else:
                engine.set_agent_state(agent_id, AgentState.AVAILABLE)
        except Conflict:
            pass  # the world moved on (the offer expired, someone else changed the agent)

    def _duration(self, agent_id: str, action: str, state: AgentState) -> float:
        rng, cfg = self.rng, self.config
        if action == "accept":
            return rng.uniform(*cfg.accept_delay_s)
        if action == "end":
            handle = rng.gammavariate(2.0, cfg.mean_handle_s / 2)
            if agent_id in self._first_contact:  # they were already in the middle of a contact
                self._first_contact.discard(agent_id)
                handle *= rng.random()
            return max(handle, 8.0)
        if action == "complete":
            return rng.uniform(*cfg.wrap_up_s)
        if state == AgentState.NOT_READY:
            return rng.uniform(*cfg.break_s)
        if state == AgentState.MISSED:
            return rng.uniform(*cfg.back_after_miss_s)
        return 0.0
