"""The simulator's team: each simulated agent's next step (accept, end, wrap up, back to available) planned
on the agenda when something happened to them, and done when it is due."""

from __future__ import annotations

import random
from typing import cast

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel, ContactState
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.simulator.agenda import Agenda, AgendaKind
from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig


class SimulatedTeam:
    def __init__(
        self,
        engine: Engine,
        config: SimulatorConfig,
        rng: random.Random,
        agenda: Agenda,
        agent_ids: list[str],
        *,
        starts_mid_contact: bool,
    ) -> None:
        """`starts_mid_contact`: each agent's first handle time is shortened (the demo opens on a busy floor)."""
        self.engine = engine
        self.config = config
        self.rng = rng
        self.agenda = agenda
        self.agent_ids = agent_ids
        self._simulated = set(agent_ids)
        self._planned: set[tuple[str, ...]] = set()
        self._first_contact: set[str] = set(agent_ids) if starts_mid_contact else set()

    def react(self, agent_ids: list[str]) -> None:
        """Plan the next step of each of these agents that is simulated."""
        for agent_id in agent_ids:
            if agent_id in self._simulated:
                self.react_one(agent_id)

    def react_one(self, agent_id: str) -> None:
        """Give a simulated agent their next step for what they have now (once per thing to do)."""
        engine, rng, cfg = self.engine, self.rng, self.config
        for offer in engine.read.pending_offers(agent_id):
            self._plan(("accept", offer.id), rng.uniform(*cfg.accept_delay_s))
        hand = engine.read.contacts_in_hand(agent_id)
        for contact in hand:
            if contact.state in (ContactState.CONNECTED, ContactState.ON_HOLD):
                self._plan(("end", contact.id), self._handle_s(agent_id, contact.queue_id, contact.channel))
            elif contact.state == ContactState.AFTER_CONTACT_WORK:
                self._plan(("complete", contact.id), rng.uniform(*cfg.wrap_up_s))
        chosen, _ = engine.read.chosen_state(agent_id)
        if chosen != AgentState.AVAILABLE and not hand:
            since = engine.read.agent(agent_id).state_since.isoformat()
            if chosen == AgentState.NOT_READY:
                delay = rng.uniform(*cfg.break_s)
            elif chosen == AgentState.MISSED:
                delay = rng.uniform(*cfg.back_after_miss_s)
            else:
                delay = 0.0
            self._plan(("available", agent_id, f"{chosen.value}@{since}"), delay)

    def act(self, action: str, ref: str) -> None:
        """Do a planned step that is due."""
        key = (action, *ref.split("|"))
        self._planned.discard(key)
        engine, rng, cfg = self.engine, self.rng, self.config
        if action == "accept":
            engine.contacts.accept(key[1])
        elif action == "end":
            engine.contacts.end(key[1])
        elif action == "complete":
            contact = engine.read.contact(key[1])
            dispositions = engine.read.queue(contact.queue_id).dispositions or ["Resolved"]
            then = (AgentState.NOT_READY, "Break") if rng.random() < cfg.break_share else None
            engine.contacts.complete(contact.id, rng.choice(dispositions), then=then)
        elif (
            action == "available"
            and engine.read.chosen_state(key[1])[0] != AgentState.AVAILABLE
            and not engine.read.contacts_in_hand(key[1])
        ):
            engine.agents.set_agent_state(key[1], AgentState.AVAILABLE)

    def _plan(self, key: tuple[str, ...], after_s: float) -> None:
        if key in self._planned:
            return
        self._planned.add(key)
        self.agenda.at(after_s, cast(AgendaKind, key[0]), "|".join(key[1:]))

    def _handle_s(self, agent_id: str, queue_id: str, channel: Channel) -> float:
        cfg = self.config
        mean = cfg.handle_s.get(queue_id, {}).get(channel.value, cfg.mean_handle_s)
        handle = self.rng.expovariate(1 / mean) if mean > 0 else 0.0
        if agent_id in self._first_contact:
            self._first_contact.discard(agent_id)
            handle *= self.rng.random()
        return max(handle, cfg.min_handle_s)
