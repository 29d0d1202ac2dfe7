"""The conversation core: a conversation's rules, given its record and a routing change or a command, saying what
changed (items, records, events, what the timeline must react to) and writing none of it.

Pure, as the routing core is (an import-linter contract says so): no SQLite, no event log, no engine. The shell
(service.py) reads the record, runs a command here, then stores, publishes and tells the timeline what the
returned `Changes` hold, in its transaction. What the rules read of the world (names, timeouts, the transcript's
earlier messages) they ask of the `Facts` the shell gives; the one thing kept in memory is `ending`: the
contacts the conversation's side is ending, and why (the engine's change that ends them comes later).

Parts: lifecycle.py (the contact's life), messages.py (what is said, typed, delivered and read), transcript.py
(items, masking, deadlines), waits.py (snoozed, a reply scheduled), changes.py (what a command reads and returns).
"""

from __future__ import annotations

from datetime import datetime
from typing import Unpack

from agent_desktop_mocks.ccaas.conversations.core import messages, waits
from agent_desktop_mocks.ccaas.conversations.core.changes import Changes, Facts, Notice, Outgoing, Setup, item_number
from agent_desktop_mocks.ccaas.conversations.core.lifecycle import ConversationLifecycle
from agent_desktop_mocks.ccaas.conversations.core.transcript import ItemOptions, add_item, deadline
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import EndReason, Role, TranscriptItem, WokenBy
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact

__all__ = ["Changes", "ConversationCore", "Facts", "ItemOptions", "Notice", "Outgoing", "Setup", "item_number"]


class ConversationCore:
    def __init__(self, facts: Facts, setup: Setup) -> None:
        self.facts = facts
        self.setup = setup
        self.lifecycle = ConversationLifecycle(setup)

    @property
    def ending(self) -> dict[str, EndReason]:
        return self.lifecycle.ending

    def _changes(self) -> Changes:
        return Changes(self.facts, self.setup)

    # --- the engine's side -----------------------------------------------------------

    def contact_changed(self, record: ConversationRecord | None, contact: Contact) -> Changes:
        changes = self._changes()
        self.lifecycle.contact_changed(changes, record, contact)
        return changes

    def end(self, record: ConversationRecord, reason: EndReason) -> Changes:
        changes = self._changes()
        self.lifecycle.end(changes, record, reason)
        return changes

    def customer_leaves(self, record: ConversationRecord) -> Changes:
        changes = self._changes()
        self.lifecycle.customer_leaves(changes, record)
        return changes

    # --- what is said ------------------------------------------------------------------

    def customer_says(self, record: ConversationRecord, text: str) -> tuple[TranscriptItem, Changes]:
        changes = self._changes()
        return messages.customer_says(changes, record, text), changes

    def agent_says(
        self, record: ConversationRecord, agent_id: str, text: str, subject: str | None = None
    ) -> tuple[TranscriptItem, Changes]:
        changes = self._changes()
        return messages.agent_says(changes, record, agent_id, text, subject), changes

    def customer_typing(self, record: ConversationRecord, typing: bool) -> Changes:
        changes = self._changes()
        messages.customer_typing(changes, record, typing)
        return changes

    def delivered(self, record: ConversationRecord, number: int, item: TranscriptItem) -> Changes:
        changes = self._changes()
        messages.delivered(changes, record, number, item)
        return changes

    def customer_read(
        self, record: ConversationRecord, item_id: str, unread: list[tuple[int, TranscriptItem]]
    ) -> Changes:
        changes = self._changes()
        messages.customer_read(changes, record, item_id, item_number(item_id), unread)
        return changes

    def add_item(
        self, record: ConversationRecord, role: Role, display_name: str, text: str, **options: Unpack[ItemOptions]
    ) -> tuple[TranscriptItem, Changes]:
        """One item, published by the caller (a supervisor's line, a barge: monitoring/service.py)."""
        changes = self._changes()
        return add_item(changes, record, role, display_name, text, **options), changes

    # --- waiting on the agent's say (waits.py) ------------------------------------------

    def snooze(self, record: ConversationRecord, until: datetime, wake_on_acknowledgement: bool) -> Changes:
        changes = self._changes()
        waits.snooze(changes, record, until, wake_on_acknowledgement)
        return changes

    def wake(self, record: ConversationRecord, by: WokenBy) -> Changes:
        changes = self._changes()
        if record.snoozed_until is not None:
            waits.wake(changes, record, by, deadline(changes, record, self.facts.now()))
        return changes

    def schedule(self, record: ConversationRecord, text: str, send_at: datetime) -> Changes:
        """A reply to send at `send_at`, masked now (PCI: it waits in the store), replacing any scheduled before."""
        changes = self._changes()
        waits.schedule(changes, record, messages.masked(text), send_at)
        return changes

    def cancel_scheduled(self, record: ConversationRecord) -> Changes:
        changes = self._changes()
        waits.drop_scheduled(changes, record, "cancelled", deadline(changes, record, self.facts.now()))
        return changes

    def send_scheduled(self, record: ConversationRecord, agent_id: str) -> Changes:
        """The scheduled reply sent as the agent's message (its time came)."""
        changes = self._changes()
        reply = waits.drop_scheduled(changes, record, "sent", None)
        if reply is not None:
            item = messages.agent_says(changes, record, agent_id, reply.text)
            waits.tell(changes, record, reply, "sent", item.id)
        return changes

    def not_sent(self, record: ConversationRecord) -> Changes:
        """Its time came and the contact was not connected (on hold): the reply goes back to the agent."""
        changes = self._changes()
        waits.drop_scheduled(changes, record, "not_sent", deadline(changes, record, self.facts.now()))
        return changes
