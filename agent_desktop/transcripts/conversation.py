"""A chat, SMS or email conversation as the agent's desk holds it: the transcript known so far, the
read markers, the customer's typing and idleness, the inactivity deadline, how it ended, and the
agent's private notes. No terminal code and no I/O.

Whatever order pages and events come in (the newest page loaded while the stream already brings the
next message, a page re-read after a reconnect, a replayed event), the transcript stays ordered by
index with no item twice: items are merged by id, never appended blindly. Messages are PCI-masked as they
come in, as one party's conversation: a card number split over a customer's messages is masked in each of
them once the part that completes it arrives (whichever came first), so none is held, drawn or written.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from agent_desktop.domain.models import (
    Conversation,
    ConversationEndedEvent,
    ConversationEvent,
    DeliveredEvent,
    MessageEvent,
    MonitorEvent,
    ReadEvent,
    ScheduledReply,
    ScheduledReplyEvent,
    SnoozeEvent,
    TranscriptItem,
    TranscriptItemEvent,
    TranscriptPage,
    TypingEvent,
)
from agent_desktop.domain.pci import (
    SPLIT_REACH,
    ends_in_code_name,
    ends_in_run,
    mask_messages,
    mask_pci,
    passes_through,
    stands_apart,
)
from agent_desktop.domain.vocabulary import Channel, MonitorMode, ParticipantRole

if TYPE_CHECKING:
    from agent_desktop.transcripts.sentiment import Mood

DIGITAL = (Channel.CHAT, Channel.SMS, Channel.EMAIL)
# How far a number split over one party's messages is followed, each way: a card number has at most 19
# digits, so no more messages than that can hold one.


@dataclass(frozen=True)
class PrivateNote:
    """A note the agent wrote on the conversation: never sent to the customer, written with the wrap-up."""

    text: str
    at: datetime


@dataclass
class ConversationState:
    contact_id: str
    channel: Channel
    info: Conversation | None = None  # as last read from the contact center
    items: list[TranscriptItem] = field(default_factory=list)  # ordered by index, each id once
    has_more: bool = False  # older items exist before items[0]
    loaded: bool = False  # the newest page has been read at least once
    agent_read_index: int | None = None  # the agent's read marker (index of the last item read)
    customer_read_index: int | None = None
    customer_typing: str | None = None  # the display name of the customer typing now, else None
    last_customer_message_at: datetime | None = None
    inactivity_deadline: datetime | None = None
    ended_reason: str | None = None
    # Awaiting our reply since then: as the contact center holds it when read, then moved by the messages
    # the stream brings as it moves them there: the customer's sets it, the agent's to the customer clears it; a
    # private note, a read, a whisper, a transfer never do.
    awaiting_reply_since: datetime | None = None
    # Snoozed until then, and the reply scheduled to send: as the contact center holds them, read on each
    # load and moved by its `snooze` and `scheduled_reply` events.
    snoozed_until: datetime | None = None
    scheduled_reply: ScheduledReply | None = None
    notes: list[PrivateNote] = field(default_factory=list)
    # Supervisors the agent is told are on it now (a silent monitor only when the policy announces it),
    # by id: (name, mode); and what the CRM keeps of them (who, which mode, when), for the private notes.
    supervisors: dict[str, tuple[str, MonitorMode]] = field(default_factory=dict)
    supervision: list[str] = field(default_factory=list)
    version: int = 0  # goes up with every change the transcript view draws
    read_requested_index: int | None = None  # a mark-read already asked for up to here
    # The stream's events that carry an answer applied here (the agent's message sent), dropped when they come;
    # forgotten once the stream is past them. And the id of the last event of the stream applied.
    _answered_events: set[int] = field(default_factory=set)
    _stream_at: int | None = None
    _indexes: list[int] = field(default_factory=list)  # items' indexes, for bisect
    _mood: tuple[int, Mood | None] | None = None  # the customer's mood, and the version it was read at
    _ids: dict[str, int] = field(default_factory=dict)  # item id → its index
    # Texts ending in a digit that masking alone leaves as they are (an order number): a message after one that
    # `stands_apart` is masked alone, as it would come out beside it.
    _masked_alone: set[str] = field(default_factory=set)
    # Translation both ways (agent_desk/suggestions/translations.py): the customer's language where it is not the
    # agent's (None: no translation), each message's text in the other party's language by item id (the customer's
    # in the agent's; the agent's as they wrote it, before it was sent in the customer's), why a customer's message
    # has none, and whether the agent reads the originals now (a key toggles it for the conversation).
    language: str | None = None
    translations: dict[str, str] = field(default_factory=dict)
    not_translated: dict[str, str] = field(default_factory=dict)
    show_original: bool = False

    def customer_mood(self) -> Mood | None:
        """The customer's mood from their messages (sentiment.py: scored on the desk), read again only when the
        transcript changed (None: they have written nothing)."""
        if self._mood is None or self._mood[0] != self.version:
            from agent_desktop.transcripts.sentiment import mood_of  # (the lexicon loads with the first message)

            said = [i.text for i in self.items if i.role is ParticipantRole.CUSTOMER and i.kind == "message"]
            self._mood = (self.version, mood_of(said))
        return self._mood[1]

    # --- what comes from the contact center -----------------------------------------

    def set_info(self, info: Conversation) -> None:
        """The conversation as the contact center reports it now (after loading or a reconnect)."""
        self.info = info
        if info.inactivity_deadline is not None or info.state == "closed":
            self.inactivity_deadline = info.inactivity_deadline
        if info.last_customer_message_at is not None:
            self.last_customer_message_at = _later(self.last_customer_message_at, info.last_customer_message_at)
        self.customer_typing = info.customer_name if info.customer_typing else None
        if info.state == "closed":
            self.ended_reason = info.ended_reason or "ended"
        self.awaiting_reply_since = info.awaiting_reply_since
        self.snoozed_until, self.scheduled_reply = info.snoozed_until, info.scheduled_reply
        if info.snoozed_until is not None or info.scheduled_reply is not None:
            self.inactivity_deadline = None  # it waits on us: the customer's silence ends nothing meanwhile
        self._set_agent_marker(info.agent_last_read_item_id)
        self._set_customer_marker(info.customer_last_read_item_id)
        self.version += 1

    def merge_page(self, page: TranscriptPage, *, newest: bool, filling_gap: bool = False) -> int:
        """A page of the transcript; `newest` for the latest page (has_more then tells about the rest of
        the history only if nothing older is known yet); `filling_gap` for a page fetched to fill a hole
        between what was known and a newer page. Returns how many items were new."""
        added = sum(self.add(item) for item in page.items)
        oldest_in_page = page.items[0].index if page.items else None
        if (
            not filling_gap
            and (not newest or not self.loaded)
            # The page reaches back to the oldest item known: its has_more is the truth about older ones.
            and (oldest_in_page is None or not self._indexes or oldest_in_page <= self._indexes[0])
        ):
            self.has_more = page.has_more
        if newest:
            self.loaded = True
        # A marker read before its item arrived points at it now.
        if self.info is not None:
            self._set_agent_marker(self.info.agent_last_read_item_id)
            self._set_customer_marker(self.info.customer_last_read_item_id)
        self.version += 1
        return added

    def add(self, item: TranscriptItem) -> bool:
        """Put `item` in its place; False if an item with its id is known (a replay)."""
        if item.id in self._ids:
            known = self._at(item.index)
            if known is not None and _receipts(item) != _receipts(known):
                self._replace(item.index, _keep_receipts(item, known))
            return False
        if item.role is ParticipantRole.CUSTOMER and item.kind == "message":
            self.last_customer_message_at = _later(self.last_customer_message_at, item.created_at)
            self.customer_typing = None  # their message ends their typing
        position = bisect.bisect_left(self._indexes, item.index)
        if position < len(self._indexes) and self._indexes[position] == item.index:
            return False  # another id at this index: the contact center's index is the truth, keep the first
        self._indexes.insert(position, item.index)
        self.items.insert(position, item)
        self._ids[item.id] = item.index
        if item.kind == "message":
            self._mask_around(position)
        read_already = self.customer_read_index is not None and item.index <= self.customer_read_index
        if read_already and item.role is ParticipantRole.AGENT and item.kind == "message" and item.read_at is None:
            # The customer's read marker came before this copy of the item did.
            self._replace(item.index, item.model_copy(update={"read_at": item.delivered_at or item.created_at}))
        self.version += 1
        return True

    def sent(self, item: TranscriptItem) -> bool:
        """The answer to the agent's message: the item, and the stream's events that carry it (dropped when they
        come, whatever they hold). False if the item is known already (its event came first)."""
        at = self._stream_at
        self._answered_events.update(i for i in item.event_ids if at is None or i > at)
        added = self.add(item.without_event_ids())
        self._follow_awaiting(item)
        return added

    def apply(self, event: ConversationEvent) -> bool:
        """One event of the agent's stream for this conversation; True if anything changed."""
        if event.event_id is not None:
            self._stream_at = event.event_id
            if self._answered_events:
                echo = event.event_id in self._answered_events
                self._answered_events = {i for i in self._answered_events if i > event.event_id}
                if echo:  # the stream's copy of an answer applied already: only its deadline is news
                    self._follow_deadline(event)
                    return False
        before = self.version
        if isinstance(event, TranscriptItemEvent):
            if self.add(event.item):
                told = isinstance(event, MessageEvent) and "awaiting_reply_since" in event.model_fields_set
                since = event.awaiting_reply_since if isinstance(event, MessageEvent) else None
                self._follow_awaiting(event.item, told, since)
            self._follow_deadline(event)
        elif isinstance(event, ConversationEndedEvent):
            if event.item is not None:
                self.add(event.item)
            if self.ended_reason is None:
                self.ended_reason = event.reason
                self.inactivity_deadline = None
                self.customer_typing = None
                self.version += 1
        elif isinstance(event, TypingEvent):
            if event.role is ParticipantRole.CUSTOMER:
                typing = event.display_name if event.typing else None
                if typing != self.customer_typing:
                    self.customer_typing = typing
                    self.version += 1
        elif isinstance(event, DeliveredEvent):
            self._receipt(event.item_id, "delivered_at", event.at)
        elif isinstance(event, SnoozeEvent):
            deadline = None if event.snoozed_until is not None else event.inactivity_deadline
            if (event.snoozed_until, deadline) != (self.snoozed_until, self.inactivity_deadline):
                self.snoozed_until, self.inactivity_deadline = event.snoozed_until, deadline
                self.version += 1
        elif isinstance(event, ScheduledReplyEvent):
            scheduled = ScheduledReply(text=event.text, send_at=event.send_at) if event.outcome == "scheduled" else None
            if scheduled != self.scheduled_reply:
                self.scheduled_reply = scheduled
                self.inactivity_deadline = None if scheduled is not None else self.inactivity_deadline
                self.version += 1
        elif isinstance(event, ReadEvent):
            if event.role is ParticipantRole.CUSTOMER:
                self._set_customer_marker(event.up_to_item_id, event.at)
            else:
                self._set_agent_marker(event.up_to_item_id)
        return self.version != before

    def apply_monitor(self, event: MonitorEvent) -> bool:
        """A supervisor joined, changed mode or left (as far as the agent is told)."""
        at = f"{event.at:%H:%M:%S}"
        if event.mode is None:
            gone = self.supervisors.pop(event.supervisor_id, None)
            self.supervision.append(f"Supervisor {event.supervisor_name} left at {at}")
            changed = gone is not None
        else:
            changed = self.supervisors.get(event.supervisor_id) != (event.supervisor_name, event.mode)
            self.supervisors[event.supervisor_id] = (event.supervisor_name, event.mode)
            verb = "joined" if event.type == "supervisor_joined" else "switched"
            self.supervision.append(f"Supervisor {event.supervisor_name} {verb} ({event.mode.value}) at {at}")
        if changed:
            self.version += 1
        return changed

    @property
    def snoozed(self) -> bool:
        return self.snoozed_until is not None and self.ended_reason is None

    @property
    def reply_scheduled(self) -> bool:
        return self.scheduled_reply is not None and self.ended_reason is None

    @property
    def awaiting_reply(self) -> bool:
        """The customer wrote last and the conversation goes on: ours to answer."""
        return self.awaiting_reply_since is not None and self.ended_reason is None

    def _follow_awaiting(self, item: TranscriptItem, told: bool = False, since: datetime | None = None) -> None:
        """A new message moves the awaiting-reply state as the contact center's rule does, if it is the newest
        known (an older page's message says nothing of now); `told`: as the contact center says it is (`since`)."""
        if item.kind != "message" or (self._indexes and item.index < self._indexes[-1]):
            return
        if told:
            pass
        elif item.role is ParticipantRole.CUSTOMER:
            since = self.awaiting_reply_since or item.created_at
        elif item.role is ParticipantRole.AGENT:
            since = None
        else:
            return
        if since != self.awaiting_reply_since:
            self.awaiting_reply_since = since
            self.version += 1

    def whispers(self) -> list[TranscriptItem]:
        """The supervisors' whispers to the agent (never the customer's): kept with the private notes."""
        return [item for item in self.items if item.kind == "whisper"]

    def gap(self) -> str | None:
        """The id of the item just after a hole in the transcript (items are numbered 0, 1, 2… so a jump is
        a hole: a newest page re-read after a long outage), or None when what is known has no hole."""
        indexes = self._indexes
        for position in range(len(indexes) - 1, 0, -1):
            if indexes[position] - indexes[position - 1] > 1:
                return self.items[position].id
        return None

    def _receipt(self, item_id: str, name: str, at: datetime) -> None:
        index = self._ids.get(item_id)
        item = self._at(index) if index is not None else None
        if item is not None and getattr(item, name) is None:
            self._replace(item.index, item.model_copy(update={name: at}))
            self.version += 1

    def _set_customer_marker(self, item_id: str | None, at: datetime | None = None) -> None:
        index = self._ids.get(item_id) if item_id else None
        if index is None or (self.customer_read_index is not None and index <= self.customer_read_index):
            return
        self.customer_read_index = index
        # Read up to there: every agent message before it too (as Twilio's read index means).
        for position in range(bisect.bisect_right(self._indexes, index) - 1, -1, -1):
            item = self.items[position]
            if item.role is ParticipantRole.AGENT and item.kind == "message":
                if item.read_at is not None:
                    break
                when = at or item.delivered_at or item.created_at
                self.items[position] = item.model_copy(
                    update={"read_at": when, "delivered_at": item.delivered_at or when}
                )
        self.version += 1

    def _set_agent_marker(self, item_id: str | None) -> None:
        index = self._ids.get(item_id) if item_id else None
        if index is not None and index != self.agent_read_index:
            self.agent_read_index = index  # it may move back: the agent marked it unread
            self.version += 1

    def _mask_around(self, position: int) -> None:
        """Mask the message at `position` with the same party's messages it may share a number with (the
        ones before it that end in digits, the ones after it while it ends in digits): a card number split
        between them is masked in all of them, whichever arrived first (items re-read keep this text). The
        neighbours are read one at a time, nearest first, and only while a number could go on through them:
        most messages end in a word, and the walk stops at the first. A message that ends in a security code's name
        ("my cvv is") is read with the party's next one, which may hold the code's digits."""
        role = self.items[position].role
        chain: list[int] = []  # as `connected_tail` reads the party's messages before this one
        for at in self._party_positions(position, -1, role):
            text = self.items[at].text
            if not ends_in_run(text):
                if not chain and ends_in_code_name(text):
                    chain.append(at)
                break
            chain.append(at)
            if not passes_through(text):
                break
        if (
            len(chain) == 1
            and self.items[chain[0]].text in self._masked_alone
            and stands_apart(self.items[position].text)
        ):
            chain = []  # masked with it, each would come out as it does alone: the earlier one as it is
        chain.reverse()
        after: list[int] = []
        last_text = self.items[position].text
        for at in self._party_positions(position, 1, role):
            if not ends_in_run(last_text):
                if not after and ends_in_code_name(last_text):
                    after.append(at)
                break
            after.append(at)
            last_text = self.items[at].text
            if not passes_through(last_text):
                break
        around = [*chain, position, *after]
        texts = [self.items[at].text for at in around]
        masked = mask_messages(texts)
        for at, was, now in zip(around, texts, masked, strict=True):
            if now != was:
                self.items[at] = self.items[at].model_copy(update={"text": now})
        # Only texts that end in a digit are kept (a number can go on from them): one character looked at, no search.
        if len(texts) == 1 and texts[0][-1:].isdigit() and masked == texts and not ends_in_code_name(texts[0]):
            self._masked_alone.add(texts[0])

    def _party_positions(self, position: int, step: int, role: ParticipantRole) -> Iterator[int]:
        """Positions of up to `SPLIT_REACH` messages of `role` next to `position`, nearest first (`step` -1:
        before it, 1: after it)."""
        found = 0
        at = position + step
        while 0 <= at < len(self.items) and found < SPLIT_REACH:
            item = self.items[at]
            if item.role is role and item.kind == "message":
                found += 1
                yield at
            at += step

    def _same_party(self, position: int, step: int, role: ParticipantRole) -> list[int]:
        """Positions of up to `SPLIT_REACH` messages of `role` next to `position`, oldest first."""
        return sorted(self._party_positions(position, step, role))

    def _at(self, index: int) -> TranscriptItem | None:
        position = bisect.bisect_left(self._indexes, index)
        return self.items[position] if position < len(self._indexes) and self._indexes[position] == index else None

    def _replace(self, index: int, item: TranscriptItem) -> None:
        self.items[bisect.bisect_left(self._indexes, index)] = item

    # --- what the agent does ----------------------------------------------------------

    def mark_read_locally(self) -> str | None:
        """The agent sees the newest item: the marker moves there now; the id to tell the contact center,
        or None when there is nothing new to mark."""
        if not self.items or self.unread == 0:
            return None
        last = self.items[-1]
        if self.read_requested_index is not None and self.read_requested_index >= last.index:
            return None
        self.agent_read_index = self.read_requested_index = last.index
        self.version += 1
        return last.id

    def sent_texts(self) -> list[str]:
        """The agent's last messages as they were sent, oldest first (a number may go on from them)."""
        sent = self._same_party(len(self.items), -1, ParticipantRole.AGENT)
        return [self.items[at].text for at in sent]

    def translated(self, item_id: str, text: str | None, why: str = "") -> None:
        """A message's text in the other party's language (None: the model gave none, `why`)."""
        if text is None:
            self.not_translated[item_id] = why
        else:
            self.translations[item_id] = text
            self.not_translated.pop(item_id, None)
        self.version += 1

    def toggle_original(self) -> None:
        self.show_original = not self.show_original
        self.version += 1

    def add_note(self, text: str, at: datetime) -> PrivateNote:
        note = PrivateNote(mask_pci(text), at)
        self.notes.append(note)
        self.version += 1
        return note

    # --- what the screen reads ------------------------------------------------------

    @property
    def unread(self) -> int:
        """Customer messages after the agent's read marker (never negative)."""
        marker = self.agent_read_index if self.agent_read_index is not None else -1
        start = bisect.bisect_right(self._indexes, marker)
        return sum(1 for item in self.items[start:] if item.role is ParticipantRole.CUSTOMER and item.kind == "message")

    @property
    def ended(self) -> bool:
        return self.ended_reason is not None

    @property
    def oldest_id(self) -> str | None:
        return self.items[0].id if self.items else None

    @property
    def customer_name(self) -> str:
        return self.info.customer_name if self.info else ""

    @property
    def subject(self) -> str | None:
        return self.info.subject if self.info else None

    def idle_seconds(self, now: datetime) -> float | None:
        """How long the customer has been quiet (None before they wrote, or once it ended)."""
        if self.last_customer_message_at is None or self.ended:
            return None
        return max(0.0, (now - self.last_customer_message_at).total_seconds())

    def customer_waiting_since(self) -> datetime | None:
        """When the customer wrote the last message, still unanswered: it is the agent's turn (None when the
        agent wrote last, nobody wrote yet, or the conversation ended)."""
        if self.ended:
            return None
        for item in reversed(self.items):
            if not item.is_system:
                return item.created_at if item.role is ParticipantRole.CUSTOMER else None
        return None

    def _follow_deadline(self, event: ConversationEvent) -> None:
        """The inactivity deadline an item's event carries. Not a change to draw now: the countdown is drawn by
        the clock (the screen's tick), so the copy of the agent's own message, which the answer applied already
        but which alone says where the deadline moved to, costs no redraw."""
        if (
            isinstance(event, TranscriptItemEvent)
            and event.inactivity_deadline is not None
            and self.ended_reason is None
        ):
            self.inactivity_deadline = event.inactivity_deadline

    def seconds_left(self, now: datetime) -> float | None:
        """Until the inactivity timeout ends the conversation (None: no timeout running)."""
        if self.inactivity_deadline is None or self.ended:
            return None
        return max(0.0, (self.inactivity_deadline - now).total_seconds())


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def _receipts(item: TranscriptItem) -> tuple[datetime | None, datetime | None]:
    return item.delivered_at, item.read_at


def _keep_receipts(new: TranscriptItem, known: TranscriptItem) -> TranscriptItem:
    """The same item read again: a receipt known here is not lost because the copy read was older."""
    return new.model_copy(
        update={
            "text": known.text,  # as masked when it first came
            "delivered_at": new.delivered_at or known.delivered_at,
            "read_at": new.read_at or known.read_at,
        }
    )
