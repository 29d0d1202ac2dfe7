"""The routing core: agents, queues, contacts and offers in memory, and every transition between them.

Pure: no SQLite, no event stream, no chance. A command changes the state, checks it against the transition
tables (transitions.py) and records what happened as domain events (domain_events.py) and which records
changed; the shell (engine.py) takes both (`take_events`, `take_changes`), stores the records, commits, then
publishes. Single-threaded: every call happens on the server's event loop (or in a virtual-time simulation).
Three things are injected, through the `State` the core is given: the archive (finished records, read from the
store by queries only: a command reads memory, and one on a record memory no longer holds raises `NotHeld` for
the shell to answer), the far end (whether a customer answers a dial, when a consult leg picks up: far_end.py),
so routing alone is deterministic, and the wait estimate a new contact is told (the shell's, from the statistics).

`Core` is a thin facade over parts that share one `State` (state.py; each part holds it, the reads, the floor
and the offers: part.py): `read` (queries.py), `agents`,
`contacts` (a contact's life with its agent), `transfers` (and consults), `callbacks`, `voicemails`, `arrivals`,
`supervisor`, `offers` (routing: floor.py keeps the indexes, offers.py offers what became routable) and
`memory` (seed, restore, forgetting finished contacts). A command from outside is run with `run`, which
routes whatever it made routable before returning.

Timers (offer timeout, ACW timeout, a consult leg picked up, a callback's dial and retry, a decline's hold,
a caller's wait past the queue's voicemail limit)
are typed and carry a generation (timers.py), on the core's monotonic clock; `fire_due()` fires the due ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from agent_desktop_mocks.ccaas.core.domain_events import DomainEvent
from agent_desktop_mocks.ccaas.core.far_end import FarEnd, RandomFarEnd
from agent_desktop_mocks.ccaas.core.floor import RoutingFloor
from agent_desktop_mocks.ccaas.core.parts.agents import AgentRequests
from agent_desktop_mocks.ccaas.core.parts.arrivals import Arrivals
from agent_desktop_mocks.ccaas.core.parts.callbacks import CALLBACK_FAILED_DISPOSITION, Callbacks
from agent_desktop_mocks.ccaas.core.parts.contacts import ACW_TIMEOUT_DISPOSITION, ContactLifecycle
from agent_desktop_mocks.ccaas.core.parts.offers import Offers
from agent_desktop_mocks.ccaas.core.parts.supervisor import SupervisorChanges
from agent_desktop_mocks.ccaas.core.parts.transfers import Transfers
from agent_desktop_mocks.ccaas.core.parts.voicemails import Voicemails
from agent_desktop_mocks.ccaas.core.queries import Queries
from agent_desktop_mocks.ccaas.core.restore import Memory
from agent_desktop_mocks.ccaas.core.rules import priority_raise
from agent_desktop_mocks.ccaas.core.state import Archive, Changes, State
from agent_desktop_mocks.ccaas.core.timers import TimerKind

__all__ = [
    "ACW_TIMEOUT_DISPOSITION",
    "CALLBACK_FAILED_DISPOSITION",
    "Archive",
    "Changes",
    "Core",
    "FarEnd",
    "RandomFarEnd",
    "State",
    "priority_raise",
]

P = ParamSpec("P")
T = TypeVar("T")


class Core:
    def __init__(self, state: State) -> None:
        """`state`: a fresh one, holding what is injected (clock, archive, far end, wait estimate: state.py)."""
        self._state = state
        self.read = Queries(state)
        floor = RoutingFloor(state, self.read)
        self.offers = Offers(state, self.read, floor)
        shared = (state, self.read, floor, self.offers)
        self.agents = AgentRequests(*shared)
        self.arrivals = Arrivals(*shared)
        self.callbacks = Callbacks(*shared)
        self.voicemails = Voicemails(*shared)
        self.contacts = ContactLifecycle(*shared)
        self.transfers = Transfers(*shared)
        self.supervisor = SupervisorChanges(*shared)
        self.memory = Memory(*shared)
        self._on_timer: dict[TimerKind, Callable[[str], None]] = {
            "offer": self.offers.expire,
            "acw": self.contacts.acw_over,
            "consult": self.transfers.picked_up,
            "dial": self.callbacks.dialled,
            "retry": self.callbacks.retry_due,
            "declined": self.offers.declined_over,
            "voicemail": self.voicemails.waited_out,
        }

    def run(self, command: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a command of one of the parts, then offer whatever it made routable."""
        result = command(*args, **kwargs)
        self.offers.dispatch()
        return result

    def fire_due(self) -> None:
        """Fire the timers due on the monotonic clock: offers expire, ACW times out, consult legs are picked up."""
        state = self._state
        now = state.monotonic()
        while (timer := state.timers.pop_due(now)) is not None:
            self._on_timer[timer.kind](timer.ref)
        self.offers.dispatch()

    # --- what the shell takes ---------------------------------------------------

    def take_events(self) -> list[DomainEvent]:
        events, self._state.events = self._state.events, []
        return events

    def take_changes(self) -> Changes:
        changes, self._state.changes = self._state.changes, Changes()
        return changes

    def has_changes(self) -> bool:
        return bool(self._state.events) or bool(self._state.changes)
