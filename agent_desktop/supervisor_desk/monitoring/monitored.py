"""The contacts a supervisor is on: each one's session (mode), its transcript as the agent sees it
(whispers included), typing and read marks, fed by the monitoring stream. No terminal code and no I/O: the
supervisor screen draws it (`take_changes()`: the contacts whose card must be drawn again).

The transcript of each is the agent desk's own `ConversationState`, so pages and events merge the same way
(ordered by index, each item once, card numbers masked across messages).

Three sources tell it what the supervisor is on: the stream's events, the answers to join/mode/leave, and the
list re-read after a (re)connection. They race (an answer or a list arrives after an event that is newer than
it), so older news never undoes newer: a list is applied only to the contacts nothing changed since it was
asked for (`asking()`), and a session or event older than the mode shown (the contact center's timestamps) is
ignored.

Each change of the supervisor's own (joined, mode changed, left) is also a `SupervisionRecord` for the CRM, handed to
`record` (the app's outbox) as the change is applied, drawn or not: the agent's desk, which writes the interaction,
is not told of a silent monitor. Every change is announced on `feed` (agent_desktop/domain/changes.py) as it is made.

What the supervisor types (a whisper, a barge's message) is PCI-masked here before it leaves the desk
(`outgoing_line`), as the agent's replies are: sent is sent, so across the lines they sent on the contact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from agent_desktop.domain.changes import ChangeFeed
from agent_desktop.domain.models import SupervisionRecord, TranscriptPage
from agent_desktop.domain.models.transcription import TranscriptionEvent
from agent_desktop.domain.monitoring.participants import MonitoredEvent, MonitorEvent, Monitoring, MonitorMode
from agent_desktop.domain.pci import mask_outgoing
from agent_desktop.transcripts.call_transcript import CallTranscript
from agent_desktop.transcripts.conversation import DIGITAL, ConversationState

MAX_SHOWN = 3  # cards side by side on the supervisor screen; more are kept, the latest three drawn


def kept_nowhere(records: list[SupervisionRecord]) -> None:
    """Where the CRM keeps no supervisor's records (and a model built bare, as tests build one)."""


@dataclass
class MonitoredContact:
    session: Monitoring
    conversation: ConversationState | None  # None for a call: its audio is not the desk's, the mode is state
    others: dict[str, tuple[str, MonitorMode]] = field(default_factory=dict)  # other supervisors on it
    version: int = 0  # the model's count of changes when this contact last changed
    caller: str | None = None  # a call's customer in a line, from the CRM (monitored_call.py); None: not yet
    call: CallTranscript | None = None  # a call's live transcript (None for a chat, SMS or email)

    @property
    def contact_id(self) -> str:
        return self.session.contact_id

    @property
    def mode(self) -> MonitorMode:
        return self.session.mode


@dataclass(frozen=True)
class MonitoredChanges:
    """What changed of the monitored contacts' cards: a `Changes` (agent_desktop/domain/changes.py)."""

    order: bool = False  # the set of cards or the selection
    contacts: set[str] = field(default_factory=set)  # the contacts whose card must be drawn again

    def __bool__(self) -> bool:
        return self.order or bool(self.contacts)


@dataclass
class MonitoredContacts:
    supervisor_id: str | None = None  # learnt from the first session the contact center answers with
    contacts: dict[str, MonitoredContact] = field(default_factory=dict)  # in the order joined
    selected: str | None = None  # the contact the keys w, b, m, l act on
    _changed: set[str] = field(default_factory=set)
    _order_changed: bool = False
    _version: int = 0  # counts the changes applied (joins, modes, leaves): what a re-read list is older than
    _left_at: dict[str, int] = field(default_factory=dict)  # contact id → the change that took it off
    # The supervisor's joins, mode changes and leaves, handed over as each is applied (the app's outbox, for the CRM).
    record: Callable[[list[SupervisionRecord]], object] = field(default=kept_nowhere, repr=False)
    feed: ChangeFeed = field(default_factory=ChangeFeed, repr=False)  # told of every change, as it is made
    _said: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (contact, whisper|barge) → lines sent
    phone: str = ""  # the supervisor's own softphone in one line (supervisor_phone.py): where a call taken goes

    def phone_is(self, line: str) -> None:
        """The supervisor's softphone changed (ready, failed): said on the panel's title, beside `T`."""
        if line != self.phone:
            self.phone = line
            self._order_moved()

    def outgoing_line(self, contact_id: str, kind: str, text: str) -> str:
        """The supervisor's whisper or barge line as it may leave the desk: card numbers and security codes
        masked, and no number the next line could finish (`mask_outgoing` over their earlier lines of that kind
        on the contact: a whisper reaches the agent, a barge the customer)."""
        said = self._said.setdefault((contact_id, kind), [])
        masked = mask_outgoing(said, text)
        said.append(masked)
        return masked

    def _record(
        self, session: Monitoring, event: Literal["joined", "mode_changed", "left", "took_over"], at: datetime
    ) -> None:
        self.record(
            [
                SupervisionRecord(
                    contact_id=session.contact_id,
                    supervisor_id=session.supervisor_id,
                    supervisor_name=session.supervisor_name,
                    event=event,
                    mode=session.mode if event in ("joined", "mode_changed") else None,
                    at=at,
                    agent_id=session.agent_id,
                    queue_id=session.queue_id,
                    channel=session.channel,
                )
            ]
        )

    def _count(self, contact_id: str) -> int:
        self._version += 1
        self.mark_changed(contact_id)
        return self._version

    def mark_changed(self, contact_id: str) -> None:
        """Something drawn on the contact's card changed (outside the stream too: its caller, read from the CRM)."""
        self._changed.add(contact_id)
        self.feed.announce()

    def _order_moved(self) -> None:
        """The set of cards or the selection changed."""
        self._order_changed = True
        self.feed.announce()

    def asking(self) -> int:
        """Call before asking the contact center for the list of sessions; hand the answer to `sessions_now`."""
        return self._version

    # --- what comes from the contact center ------------------------------------------------

    def joined(self, session: Monitoring) -> MonitoredContact:
        """An answer to monitor/mode, or a session re-read after a reconnect. An answer older than the mode
        shown (two mode changes answered out of order, or after the stream's event of a later one) is ignored."""
        self.supervisor_id = session.supervisor_id
        known = self.contacts.get(session.contact_id)
        if known is None:
            conversation = (
                ConversationState(session.contact_id, session.channel) if session.channel in DIGITAL else None
            )
            call = CallTranscript(session.contact_id) if conversation is None else None
            known = self.contacts[session.contact_id] = MonitoredContact(session, conversation, call=call)
            self.selected = session.contact_id
            self._order_moved()
            self._record(session, "joined", session.since)
        elif session.mode_since < known.session.mode_since:
            return known
        else:
            if session.mode != known.session.mode:
                self._record(session, "mode_changed", session.mode_since)
            known.session = session
        known.version = self._count(session.contact_id)
        return known

    def sessions_now(
        self, sessions: list[Monitoring], asked_at: int | None = None, now: datetime | None = None
    ) -> None:
        """What the contact center says this supervisor is on (after a (re)connection). `asked_at`: `asking()`
        when the list was asked for; a contact joined, changed or left since keeps what it has (the list is
        older news), the others are brought in line with the list. `now`: when those no longer listed are
        recorded as left (their leave happened while the link was down)."""
        asked = self._version if asked_at is None else asked_at
        listed = {s.contact_id for s in sessions}
        for gone in [c for c in self.contacts if c not in listed and self.contacts[c].version <= asked]:
            self.left(gone, now)
        for session in sessions:
            known = self.contacts.get(session.contact_id)
            newer = known.version if known is not None else self._left_at.get(session.contact_id, 0)
            if newer <= asked:
                self.joined(session)

    def left(self, contact_id: str, at: datetime | None = None, *, took_over: bool = False) -> None:
        """Off the contact (left, or it ended; `took_over`: the supervisor took the call, which goes on with them);
        `at`: when, for the record (None: not recorded)."""
        known = self.contacts.pop(contact_id, None)
        if known is None:
            return
        if at is not None:
            self._record(known.session, "took_over" if took_over else "left", at)
        self._left_at[contact_id] = self._count(contact_id)
        self._changed.discard(contact_id)
        if self.selected == contact_id:
            self.selected = next(reversed(self.contacts), None)
        self._order_moved()

    def page(self, contact_id: str, page: TranscriptPage) -> None:
        known = self.contacts.get(contact_id)
        if known is not None and known.conversation is not None:
            known.conversation.merge_page(page, newest=True)
            self.mark_changed(contact_id)

    def apply(self, event: MonitoredEvent) -> bool:
        """One event of the monitoring stream; True if anything to draw changed."""
        known = self.contacts.get(event.contact_id)
        if known is None:
            return False
        if isinstance(event, MonitorEvent):
            return self._apply_monitor(known, event)
        if isinstance(event, TranscriptionEvent):
            if known.call is None or not known.call.apply(event.line):
                return False
            self.mark_changed(event.contact_id)
            return True
        if known.conversation is None or not known.conversation.apply(event):
            return False
        self.mark_changed(event.contact_id)
        return True

    def _apply_monitor(self, known: MonitoredContact, event: MonitorEvent) -> bool:
        if event.supervisor_id == self.supervisor_id:
            if event.at < known.session.mode_since:
                return False  # older than the mode shown (e.g. the leave of a session before this one)
            if event.mode is None:  # left here, elsewhere, the contact ended, or this supervisor took the call
                self.left(event.contact_id, event.at, took_over=event.reason == "taken_over")
                return True
            changed = event.mode != known.session.mode
            known.session = known.session.model_copy(update={"mode": event.mode, "mode_since": event.at})
            if changed:
                self._record(known.session, "mode_changed", event.at)
        elif event.mode is None:
            known.others.pop(event.supervisor_id, None)
        else:
            known.others[event.supervisor_id] = (event.supervisor_name, event.mode)
        known.version = self._count(event.contact_id)
        return True

    # --- the supervisor's keys ----------------------------------------------------------------

    def select_next(self) -> None:
        ids = list(self.contacts)
        if ids:
            at = ids.index(self.selected) if self.selected in ids else -1
            self.selected = ids[(at + 1) % len(ids)]
            self._order_moved()

    def current(self) -> MonitoredContact | None:
        return self.contacts.get(self.selected) if self.selected else None

    # --- what the screen reads ------------------------------------------------------------------

    def shown(self) -> list[MonitoredContact]:
        """The cards drawn: the latest `MAX_SHOWN` joined, the selected one always among them."""
        ordered = list(self.contacts.values())
        shown = ordered[-MAX_SHOWN:]
        current = self.current()
        if current is not None and current not in shown:
            shown = [current, *shown[1:]]
        return shown

    def take_changes(self) -> MonitoredChanges:
        """What changed of the cards since the last call."""
        changes = MonitoredChanges(self._order_changed, self._changed)
        self._order_changed, self._changed = False, set()
        return changes
