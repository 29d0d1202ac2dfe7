"""The routing core's shared state: the registries and indexes every part reads and changes, and what changed.

One `State` per core; each part (agents.py, contacts.py, offers.py, ...) holds a reference to it (part.py). It
holds what is injected too: the clock, the archive and the far end. Recording happens here: a change to a record is noted for the shell to store (`Changes`) and announced as a domain event.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from agent_desktop_mocks.ccaas.core.domain_events import (
    AgentStateChanged,
    CallerSelfServed,
    ContactChanged,
    ContactKind,
    DomainEvent,
)
from agent_desktop_mocks.ccaas.core.far_end import FarEnd
from agent_desktop_mocks.ccaas.core.records import OfferRecord
from agent_desktop_mocks.ccaas.core.routing import RoutingIndex
from agent_desktop_mocks.ccaas.core.rules import agent_snapshot, snapshot
from agent_desktop_mocks.ccaas.core.timers import Timers
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, Channel, Contact, Queue
from agent_desktop_mocks.common.clock import Clock


class Archive(Protocol):
    """Finished records the core no longer holds in memory (the store), read-only, for queries only.

    Injected (the engine passes its store), so the core itself imports no I/O. Commands never read it: they act
    on what memory holds, and one naming a record memory no longer holds raises `NotHeld` (errors.py), which the
    shell answers from the store after the unit of work.
    """

    def contact(self, contact_id: str) -> Contact | None: ...

    def offer(self, offer_id: str) -> OfferRecord | None: ...

    def contacts_handled_by(self, agent_id: str, *, since: datetime) -> list[Contact]: ...


@dataclass
class Changes:
    """Records changed since the last `take_changes()`, to be stored by the shell."""

    agents: dict[str, tuple[Agent, AgentState, str | None]] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    offers: dict[str, OfferRecord] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    self_served: list[CallerSelfServed] = field(default_factory=list)
    declined: dict[str, frozenset[str]] = field(default_factory=dict)  # contact id → who declined it (empty: none)

    def __bool__(self) -> bool:
        return bool(self.agents or self.contacts or self.offers or self.queues or self.self_served or self.declined)


class State:
    def __init__(
        self,
        clock: Clock,
        archive: Archive,
        far_end: FarEnd,
        *,
        monotonic: Callable[[], float],
        offer_timeout_s: float,
        time_scale: float,
        estimate_wait: Callable[[str, Channel, int], float | None] | None = None,
    ) -> None:
        """`estimate_wait(queue id, channel, priority)`: the wait announced to a contact entering a queue (the
        shell's estimate, from the statistics; None: none announced)."""
        self.clock = clock
        self.archive = archive
        self.far_end = far_end
        self.monotonic = monotonic
        self.offer_timeout_s = offer_timeout_s
        self.time_scale = time_scale
        self.estimate_wait = estimate_wait
        self.queues: dict[str, Queue] = {}
        self.agents: dict[str, Agent] = {}
        self.chosen: dict[str, tuple[AgentState, str | None]] = {}  # what the agent chose, under the derived state
        self.contacts: dict[str, Contact] = {}
        self.by_queue: dict[str, dict[str, Contact]] = {}
        self.offers: dict[str, OfferRecord] = {}  # pending ones (others are only in the archive)
        self.offer_of: dict[str, str] = {}  # agent id → their pending offer id
        self.hand: dict[str, dict[str, Contact]] = {}  # agent id → contacts connected, on hold or in ACW
        self.eligible: dict[str, list[str]] = {}  # agent id → queues they may take
        # queue id → agents who may take it: replaced, never changed in place, so a reader holding one knows it by id
        self.queue_agents: dict[str, frozenset[str]] = {}
        # queue id → channel → capacity of its agents serving (available, offered, busy or wrapping up), kept by
        # the floor as agents change (what each agent adds is in `serving_counted`): the estimated wait reads it
        self.serving_slots: dict[str, Counter[str]] = {}
        self.serving_counted: dict[str, tuple[tuple[str, ...], tuple[tuple[str, int], ...]]] = {}
        self.index = RoutingIndex()
        self.queued: dict[str, set[str]] = {}  # queue id → queued contact ids
        self.lane_priorities: dict[tuple[str, Channel], Counter[int]] = {}  # queued contacts per priority
        self.indexed: dict[str, tuple[datetime | None, tuple[Channel, ...]]] = {}
        self.idle_seq: dict[str, int] = {}
        self.idle_order = itertools.count()
        self.agents_to_route: set[str] = set()
        self.contacts_to_route: list[str] = []
        # contact id → the agents who rejected or missed its offer: it is tried on others first, until
        # one offer timeout after the last decline (stored: a restart keeps it and starts the timeout again).
        self.declined: dict[str, set[str]] = {}
        self.timers = Timers()
        self.contact_numbers = itertools.count(1)
        self.offer_numbers = itertools.count(1)
        self.events: list[DomainEvent] = []
        self.changes = Changes()

    # --- time -------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def real(self, seconds: float) -> timedelta:
        """A protocol duration (an offer's timeout, ACW, a consult leg, a dial) as it passes at the mock's
        `time_scale`: tests run these timers many times faster and prove the same transitions."""
        return timedelta(seconds=seconds / self.time_scale)

    def due(self, seconds: float) -> float:
        """When, on the monotonic clock, a protocol duration that starts now ends (see `real`)."""
        return self.monotonic() + seconds / self.time_scale

    # --- recording --------------------------------------------------------------

    def agent_changed(self, agent_id: str) -> None:
        chosen, reason = self.chosen[agent_id]
        self.changes.agents[agent_id] = (self.agents[agent_id], chosen, reason)

    def agent_announced(self, agent: Agent) -> None:
        self.events.append(AgentStateChanged(agent=agent_snapshot(agent)))

    def contact_changed(self, contact: Contact, kind: ContactKind, *, from_agent: str | None = None) -> Contact:
        """Note the change and announce it; returns the event's copy (an offer event made next can carry it too)."""
        self.changes.contacts[contact.id] = contact
        copy = snapshot(contact)
        self.events.append(ContactChanged(kind=kind, contact=copy, from_agent=from_agent))
        return copy
