"""What one command of the conversation core reads (`Facts`, answered by the shell) and what it changed (`Changes`).

A command never writes: it adds items, rewrites items, saves records, publishes events and tells the timeline
in a `Changes`, and the shell (service.py) stores them, publishes the events and calls the timeline, in that
order, inside its transaction. Reads of the transcript go through the `Changes`, so a command sees its own
items before they are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel

from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.tables.intents import IntentTable


class Facts(Protocol):
    """What the core reads of the world, the shell answering (the engine's names, the store's transcript)."""

    def now(self) -> datetime: ...

    def agent_name(self, agent_id: str) -> str: ...

    def queue_name(self, queue_id: str) -> str: ...

    def timeout_s(self, record: ConversationRecord) -> int | None:
        """The inactivity timeout of the record's queue and channel, in the mock's seconds (None: none)."""
        ...

    def next_item_number(self) -> int:
        """The number the next transcript item gets (the stored items' highest, plus one)."""
        ...

    def messages(self, contact_id: str, role: str, *, newest: int) -> list[tuple[int, TranscriptItem]]:
        """The stored messages of `role`, the `newest` N of them, oldest first, with their item numbers."""
        ...


@dataclass(frozen=True)
class Setup:
    """What the core is configured with: the simulated customers' seed, scripts and book, and the mock's pace."""

    seed: int
    customers_count: int
    intents: IntentTable
    time_scale: float = 1.0  # the mock's seconds per real second: an inactivity timeout passes that much faster


@dataclass(frozen=True)
class Outgoing:
    """An event to publish: to the supervisor's stream or not, to these agents' streams (and to whoever the shell
    knows is watching the contact)."""

    event: BaseModel
    agents: tuple[str, ...]
    supervisor: bool


NoticeKind = Literal["joined", "agent_message", "customer_message"]


@dataclass(frozen=True)
class Notice:
    """Something the simulated customer's timeline reacts to (timeline.py)."""

    kind: NoticeKind
    record: ConversationRecord
    item: TranscriptItem | None = None


@dataclass
class Changes:
    facts: Facts
    setup: Setup
    added: dict[int, TranscriptItem] = field(default_factory=dict)  # new items, by number
    updated: dict[int, TranscriptItem] = field(default_factory=dict)  # stored items changed, by number
    redacted: list[TranscriptItem] = field(default_factory=list)  # stored messages masked after their publication
    saved: dict[str, ConversationRecord] = field(default_factory=dict)
    events: list[Outgoing] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    _next: int | None = None

    def number(self) -> int:
        """A new item's number (the first asked of the shell, the rest counted on from it)."""
        if self._next is None:
            self._next = self.facts.next_item_number()
        number, self._next = self._next, self._next + 1
        return number

    def add(self, number: int, item: TranscriptItem) -> None:
        self.added[number] = item

    def update(self, number: int, item: TranscriptItem) -> None:
        """A changed item: one added by this command is replaced, a stored one rewritten."""
        if number in self.added:
            self.added[number] = item
        else:
            self.updated[number] = item

    def redact(self, number: int, item: TranscriptItem) -> None:
        """An earlier message masked: its events of this command carry the masked text, and those already
        published are rewritten by the shell."""
        if number in self.added:
            self.added[number] = item
            self.events = [_with_item(out, item) for out in self.events]
        else:
            self.updated[number] = item
            self.redacted.append(item)

    def messages(self, contact_id: str, role: str, *, newest: int) -> list[tuple[int, TranscriptItem]]:
        """The messages of `role`, the `newest` N, oldest first: those stored, as this command changed them, and its own."""
        stored = [(n, self.updated.get(n, item)) for n, item in self.facts.messages(contact_id, role, newest=newest)]
        mine = [
            (n, item)
            for n, item in self.added.items()
            if item.contact_id == contact_id and item.role == role and item.kind == "message"
        ]
        return (stored + mine)[-newest:]

    def last_message(self, contact_id: str, role: str) -> TranscriptItem | None:
        found = self.messages(contact_id, role, newest=1)
        return found[0][1] if found else None

    def save(self, record: ConversationRecord) -> None:
        self.saved[record.contact_id] = record

    def publish(self, record: ConversationRecord, event: BaseModel, *, supervisor: bool = True) -> None:
        """`event` to the record's agent now, and the supervisor's stream unless told not."""
        self.events.append(Outgoing(event, (record.agent_id,) if record.agent_id else (), supervisor))

    def tell(self, kind: NoticeKind, record: ConversationRecord, item: TranscriptItem | None = None) -> None:
        self.notices.append(Notice(kind, record, item))


def item_number(item_id: str) -> int:
    return int(item_id.split("-", 1)[1])


def _with_item(out: Outgoing, item: TranscriptItem) -> Outgoing:
    carried = getattr(out.event, "item", None)
    if isinstance(carried, TranscriptItem) and carried.id == item.id:
        return Outgoing(out.event.model_copy(update={"item": item}), out.agents, out.supervisor)
    return out
