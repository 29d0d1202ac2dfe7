"""The routing core on its own (no store, no engine): what it reads mid-command and what its events share.

Commands read memory only: a contact folded out of memory (finished, FOLD_AFTER ago) is refused without a read of
the archive, and the shell answers the refusal from the store, as it was answered before (the user's 409 names
the finished state). One offer's events share the snapshot taken of its contact.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_desktop_mocks.ccaas.core import Core, RandomFarEnd, State
from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, OfferMade
from agent_desktop_mocks.ccaas.core.errors import NotHeld
from agent_desktop_mocks.ccaas.core.records import OfferRecord
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel, Contact, ContactState, Target
from agent_desktop_mocks.ccaas.figures.stats_projection import FOLD_AFTER
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine, NotFound
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.tables import seed
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class NoArchiveMidCommand:
    """An archive the test lets queries read; a read while a command runs fails the test."""

    def __init__(self) -> None:
        self.in_command = False

    def _read(self, what: str) -> None:
        assert not self.in_command, f"the core read the archive ({what}) in the middle of a command"

    def contact(self, contact_id: str) -> Contact | None:
        self._read(f"contact {contact_id}")
        return None

    def offer(self, offer_id: str) -> OfferRecord | None:
        self._read(f"offer {offer_id}")
        return None

    def contacts_handled_by(self, agent_id: str, *, since: datetime) -> list[Contact]:
        self._read(f"contacts of {agent_id}")
        return []


def a_core(archive: NoArchiveMidCommand) -> tuple[Core, ManualClock]:
    clock = ManualClock(START)
    far_end = RandomFarEnd(random.Random(0))
    state = State(clock, archive, far_end, monotonic=clock.monotonic, offer_timeout_s=15, time_scale=1.0)
    core = Core(state)
    core.memory.seed(seed.demo_queues(), [seed.demo_agent(START)])
    core.take_events()
    core.take_changes()
    return core, clock


def handled_and_finished(core: Core) -> tuple[str, str]:
    """A chat offered to the demo agent, accepted, ended and wrapped up: (contact id, offer id)."""
    agent_id = core.read.agents()[0].id
    core.run(core.agents.set_agent_state, agent_id, AgentState.AVAILABLE)
    contact = core.run(core.arrivals.create_contact, "billing", Channel.CHAT, "+12125550100")
    (offer,) = core.read.pending_offers(agent_id)
    core.run(core.contacts.accept, offer.id)
    core.run(core.contacts.end, contact.id)
    core.run(core.contacts.complete, contact.id, core.read.queue("billing").dispositions[0])
    core.take_events()
    core.take_changes()  # as the shell does after each unit of work: stored
    return contact.id, offer.id


def test_a_command_on_a_contact_memory_no_longer_holds_reads_no_archive() -> None:
    archive = NoArchiveMidCommand()
    core, clock = a_core(archive)
    contact_id, offer_id = handled_and_finished(core)
    clock.advance_to(clock.elapsed + FOLD_AFTER.total_seconds() + 60)
    assert core.memory.forget_finished_before(clock.now() - FOLD_AFTER) == [contact_id]

    archive.in_command = True
    asked: dict[str, Callable[[], object]] = {
        "hold": lambda: core.run(core.contacts.hold, contact_id),
        "end": lambda: core.run(core.contacts.end, contact_id),
        "complete": lambda: core.run(core.contacts.complete, contact_id, "Resolved"),
        "transfer": lambda: core.run(core.transfers.transfer, contact_id, Target(kind="queue", id="sales")),
        "consult": lambda: core.run(core.transfers.consult, contact_id, Target(kind="queue", id="sales")),
        "move": lambda: core.run(core.supervisor.move, contact_id, "sales"),
        "abandon": lambda: core.run(core.arrivals.abandon, contact_id),
        "callback": lambda: core.run(core.callbacks.request_callback, contact_id),
        "accept": lambda: core.run(core.contacts.accept, offer_id),
        "reject": lambda: core.run(core.offers.reject, offer_id),
    }
    for action, command in asked.items():
        with pytest.raises(NotHeld) as refused:
            command()
        named = offer_id if action in ("accept", "reject") else contact_id
        assert (refused.value.id, refused.value.action) == (named, action)
    assert not core.has_changes()  # refused before anything changed


def test_a_command_on_a_folded_contact_is_answered_as_a_finished_one() -> None:
    """What the user sees: a 409 naming the contact's finished state (or the offer's), a 404 for an unknown id."""
    folder = Path(tempfile.mkdtemp(prefix="ccaas-core-"))
    try:
        clock = ManualClock(START)
        db = open_database(folder, "ccaas", fresh=True)
        far_end = RandomFarEnd(random.Random(0))
        engine = Engine(Store(db), EventLog(db, clock), clock, monotonic=clock.monotonic, far_end=far_end)
        engine.seed(seed.demo_queues(), [seed.demo_agent(START)])
        agent_id = engine.read.agents()[0].id
        engine.agents.set_agent_state(agent_id, AgentState.AVAILABLE)
        contact = engine.arrivals.create_contact("billing", Channel.CHAT, "+12125550100")
        (offer,) = engine.read.pending_offers(agent_id)
        engine.contacts.accept(offer.id)
        engine.contacts.end(contact.id)
        engine.contacts.complete(contact.id, engine.read.queue("billing").dispositions[0])
        clock.advance_to(clock.elapsed + (FOLD_AFTER + timedelta(minutes=2)).total_seconds())
        engine.tick()  # the minute's sample folds what finished FOLD_AFTER ago
        assert contact.id not in {c.id for c in engine.read.contacts()}

        with pytest.raises(Conflict, match="contact is completed") as refused:
            engine.contacts.hold(contact.id)
        assert refused.value.state == ContactState.COMPLETED
        with pytest.raises(Conflict, match="offer is accepted"):
            engine.offers.reject(offer.id)
        with pytest.raises(NotFound, match="contact c-999999 not found"):
            engine.contacts.end("c-999999")
        with pytest.raises(NotFound, match="offer o-999999 not found"):
            engine.contacts.accept("o-999999")
        assert engine.read.contact(contact.id).state == ContactState.COMPLETED  # a read still finds it, in the store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_one_offer_s_events_share_one_snapshot_of_its_contact() -> None:
    """Snapshots are taken once per command: the offer event carries the very copy the contact event does."""
    core, _ = a_core(NoArchiveMidCommand())
    agent_id = core.read.agents()[0].id
    core.run(core.agents.set_agent_state, agent_id, AgentState.AVAILABLE)
    core.take_events()
    contact = core.run(core.arrivals.create_contact, "billing", Channel.CHAT, "+12125550100")
    events = core.take_events()
    offered = next(e for e in events if isinstance(e, ContactChanged) and e.kind == "offered")
    made = next(e for e in events if isinstance(e, OfferMade))
    assert made.offer.contact is offered.contact
    assert offered.contact is not contact
    assert offered.contact.state == ContactState.OFFERED
