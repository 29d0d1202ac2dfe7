"""The conversation service: the shell around the conversation core (core/), as engine.py is around the routing core.

It follows the engine through its post-commit listener (following.py hands in the contacts of each committed unit
of work) and answers the API (api.py) and the timeline (timeline.py): each reads the conversation's record from the
store, runs a command of the core, and `apply`s what it returned: items and records written, earlier messages a
card number reached rewritten in the event log too (and the WAL emptied after the commit, so no copy stays
readable), events published on the agent's stream (`agent:{id}`), the supervisor's and the watching supervisors',
and the timeline told. All of it in one transaction of this service (`transaction()`), pushed once it commits.
The only engine calls it makes are reads and `end()` (the customer left, or was inactive too long).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Unpack

from agent_desktop_mocks.ccaas.conversations.core import Changes, ConversationCore, ItemOptions, Setup, item_number
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import EndReason, Role, TranscriptItem
from agent_desktop_mocks.ccaas.conversations.store import ConversationStore
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact
from agent_desktop_mocks.ccaas.shell.engine import SUPERVISOR_TOPIC, Conflict, Engine, NotFound, agent_topic
from agent_desktop_mocks.ccaas.tables.intents import IntentTable
from agent_desktop_mocks.ccaas.tables.intents import shipped as shipped_intents
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog

__all__ = ["DEFAULT_TIMEOUTS", "ConversationService", "item_number"]

DEFAULT_TIMEOUTS: dict[str, int | None] = {"chat": 300, "sms": 1800, "email": None}


class ConversationService:
    def __init__(
        self,
        store: ConversationStore,
        events: EventLog,
        engine: Engine,
        clock: Clock,
        *,
        seed: int,
        customers_count: int,
        time_scale: float = 1.0,
        intents: IntentTable | None = None,
    ) -> None:
        """`time_scale`: the mock's seconds per real second; a queue's inactivity timeout passes that much faster.
        `intents`: the simulated customers' scripts (the shipped intents.toml by default)."""
        self.store = store
        self.intents = intents or shipped_intents()
        self.time_scale = time_scale
        self.events = events
        self.engine = engine
        self.clock = clock
        self.seed = seed
        self.customers_count = customers_count
        self.core = ConversationCore(self, Setup(seed, customers_count, self.intents, time_scale))
        self._redacted = False  # an earlier message was rewritten: empty the WAL after the commit
        # Told about what the simulated customer should react to (timeline.py sets these).
        self.on_agent_message: Callable[[ConversationRecord, TranscriptItem], None] = lambda r, i: None
        self.on_joined: Callable[[ConversationRecord], None] = lambda r: None
        self.on_customer_message: Callable[[ConversationRecord], None] = lambda r: None
        # Told when a record's snooze or scheduled reply is set, to arm its time (timeline.py sets it).
        self.on_waits: Callable[[ConversationRecord], None] = lambda r: None
        # Told of each customer message, with it (the said alerts' rules read it: said_alerts/service.py sets it).
        self.on_customer_said: Callable[[ConversationRecord, TranscriptItem], None] = lambda r, i: None
        self.behind = False  # the engine's changes after the cursor are not taken in yet (following.py)
        # The monitoring streams of the supervisors watching a contact (monitoring/service.py sets it).
        self.watchers: Callable[[str], list[str]] = lambda contact_id: []

    @property
    def ending(self) -> dict[str, EndReason]:
        """The contacts this service is ending, and why (the core keeps them until the engine's change comes)."""
        return self.core.ending

    # --- the engine's side (following.py hands the engine's changes in) --------------

    def contact_changed(self, contact: Contact) -> None:
        self.apply(self.core.contact_changed(self.store.get(contact.id), contact))

    def end_by_customer(self, record: ConversationRecord, reason: EndReason) -> None:
        """The customer left or was inactive: the contact ends (after-contact work for its agent)."""
        with self.transaction():  # ours first: a refused engine request must not take it back with its own
            if reason == "customer_left":
                self.apply(self.core.customer_leaves(record))
        self.ending[record.contact_id] = reason
        try:
            # Its `contact` event closes the conversation (contact_changed); an inactivity timeout is the system's end.
            self.engine.contacts.end(record.contact_id, "system" if reason == "customer_inactive" else "customer")
        except (Conflict, NotFound):
            if record.state == "active":
                self.apply(self.core.end(record, reason))
        finally:
            if not self.behind:  # else the catch-up closes it, with this reason
                self.ending.pop(record.contact_id, None)
            self.commit()

    # --- requests and timers ------------------------------------------------------------

    def customer_says(self, record: ConversationRecord, text: str) -> TranscriptItem:
        item, changes = self.core.customer_says(record, text)
        self.apply(changes)
        return item

    def agent_says(
        self, record: ConversationRecord, agent_id: str, text: str, subject: str | None = None
    ) -> TranscriptItem:
        """An agent's message, checked already (the API's send, or a simulated agent's line)."""
        item, changes = self.core.agent_says(record, agent_id, text, subject)
        self.apply(changes)
        return item

    def set_customer_typing(self, record: ConversationRecord, typing: bool) -> None:
        self.apply(self.core.customer_typing(record, typing))

    def add_item(
        self, record: ConversationRecord, role: Role, display_name: str, text: str, **options: Unpack[ItemOptions]
    ) -> TranscriptItem:
        """One item written (the caller publishes it and saves the record)."""
        item, changes = self.core.add_item(record, role, display_name, text, **options)
        self.apply(changes)
        return item

    def active(self, contact_id: str) -> ConversationRecord | None:
        """The conversation if it is active (read from the store each time: no copy to go stale when an
        engine transition it took part in is rolled back)."""
        record = self.store.get(contact_id)
        return record if record is not None and record.state == "active" else None

    # --- what a command of the core changed ----------------------------------------------

    def apply(self, changes: Changes) -> None:
        """Write what a command of the core changed, publish its events, then tell the timeline (in the caller's
        transaction)."""
        for number, item in changes.added.items():
            self.store.add_item(number, item)
        for number, item in changes.updated.items():
            self.store.update_item(number, item)
        for item in changes.redacted:
            self.events.rewrite("message", f'"{item.id}"', functools.partial(_with_item, item=item))
            self._redacted = True
        for record in changes.saved.values():
            self.store.save(record)
        for out in changes.events:
            self._send(out.event, out.agents, supervisor=out.supervisor)
        for notice in changes.notices:
            if notice.kind == "joined":
                self.on_joined(notice.record)
            elif notice.kind == "agent_message":
                assert notice.item is not None
                self.on_agent_message(notice.record, notice.item)
            else:
                self.on_customer_message(notice.record)
                if notice.item is not None:
                    self.on_customer_said(notice.record, notice.item)

    def publish(self, record: ConversationRecord, event: Any, *, supervisor: bool = True) -> None:
        """`event` to the record's agent, the supervisor's stream unless told not, and the watchers'."""
        self._send(event, (record.agent_id,) if record.agent_id else (), supervisor=supervisor)

    def _send(self, event: Any, agents: tuple[str, ...], *, supervisor: bool) -> None:
        topics = [*([SUPERVISOR_TOPIC] if supervisor else []), *(agent_topic(a) for a in agents)]
        topics += self.watchers(event.contact_id)
        if topics:
            self.events.publish(topics, event.type, event.model_dump(mode="json"))

    def commit(self) -> None:
        """Commit what this service wrote outside an engine transition (the engine commits its own),
        then push its events: a client never sees an event the log does not hold."""
        self.store.commit()
        self.events.flush()
        if self._redacted:
            self._redacted = False
            self.store.checkpoint_truncate()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A change of this service's own (a request, a timer): committed whole or rolled back whole
        (it keeps no state in memory that a rollback could leave behind)."""
        try:
            yield
        except BaseException:
            self.store.rollback()
            self.events.discard()  # never pushed: they did not happen
            raise
        self.commit()

    # --- what the core reads (`core.Facts`) ----------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def agent_name(self, agent_id: str) -> str:
        try:
            return self.engine.read.agent(agent_id).name
        except NotFound:
            return agent_id

    def queue_name(self, queue_id: str) -> str:
        try:
            return self.engine.read.queue(queue_id).name
        except NotFound:
            return queue_id

    def timeout_s(self, record: ConversationRecord) -> int | None:
        stored = self.store.settings(record.queue_id) or {}
        return {**DEFAULT_TIMEOUTS, **stored}.get(record.channel.value)

    def next_item_number(self) -> int:
        return self.store.next_item_number()

    def messages(self, contact_id: str, role: str, *, newest: int) -> list[tuple[int, TranscriptItem]]:
        return self.store.messages(contact_id, role, newest=newest)


def _with_item(data: dict[str, Any], item: TranscriptItem) -> dict[str, Any]:
    """A stored message event with its item replaced by `item` (if it is that item's event)."""
    if isinstance(data.get("item"), dict) and data["item"].get("id") == item.id:
        return {**data, "item": {**data["item"], "text": item.text}}
    return data
