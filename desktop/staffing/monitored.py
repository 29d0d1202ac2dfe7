"""The contacts a supervisor is on (issue 22): each one's session (mode), its transcript as the agent sees it
(whispers included), typing and read marks, fed by the monitoring stream. No terminal code and no I/O: the
supervisor screen draws it (`take_changes()`: the contacts whose card must be drawn again).

The transcript of each is the agent desk's own `ConversationState`, so pages and events merge the same way
(ordered by index, each item once, card numbers masked across messages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.backends.models import ConversationEvent, TranscriptPage
from desktop.backends.monitoring_models import MonitorEvent, Monitoring, MonitorMode
from desktop.desk.conversations import DIGITAL, ConversationState

MAX_SHOWN = 3  # cards side by side on the supervisor screen; more are kept, the latest three drawn


@dataclass
class MonitoredContact:
    session: Monitoring
    conversation: ConversationState | None  # None for a call: its audio is not the desk's, the mode is state
    others: dict[str, tuple[str, MonitorMode]] = field(default_factory=dict)  # other supervisors on it

    @property
    def contact_id(self) -> str:
        return self.session.contact_id

    @property
    def mode(self) -> MonitorMode:
        return self.session.mode


@dataclass
class MonitoredContacts:
    supervisor_id: str | None = None  # learnt from the first session the contact center answers with
    contacts: dict[str, MonitoredContact] = field(default_factory=dict)  # in the order joined
    selected: str | None = None  # the contact the keys w, b, m, l act on
    _changed: set[str] = field(default_factory=set)
    _order_changed: bool = False

    # --- what comes from the contact center ------------------------------------------------

    def joined(self, session: Monitoring) -> MonitoredContact:
        """An answer to monitor/mode, or a session re-read after a reconnect."""
        self.supervisor_id = session.supervisor_id
        known = self.contacts.get(session.contact_id)
        if known is None:
            conversation = ConversationState(session.contact_id, session.channel) if session.channel in DIGITAL else None
            known = self.contacts[session.contact_id] = MonitoredContact(session, conversation)
            self.selected = session.contact_id
            self._order_changed = True
        else:
            known.session = session
        self._changed.add(session.contact_id)
        return known

    def sessions_now(self, sessions: list[Monitoring]) -> None:
        """What the contact center says this supervisor is on (after a (re)connection)."""
        for gone in set(self.contacts) - {s.contact_id for s in sessions}:
            self.left(gone)
        for session in sessions:
            self.joined(session)

    def left(self, contact_id: str) -> None:
        if self.contacts.pop(contact_id, None) is None:
            return
        self._order_changed = True
        if self.selected == contact_id:
            self.selected = next(reversed(self.contacts), None)

    def page(self, contact_id: str, page: TranscriptPage) -> None:
        known = self.contacts.get(contact_id)
        if known is not None and known.conversation is not None:
            known.conversation.merge_page(page, newest=True)
            self._changed.add(contact_id)

    def apply(self, event: MonitorEvent | ConversationEvent) -> bool:
        """One event of the monitoring stream; True if anything to draw changed."""
        known = self.contacts.get(event.contact_id)
        if known is None:
            return False
        if isinstance(event, MonitorEvent):
            return self._apply_monitor(known, event)
        if known.conversation is None or not known.conversation.apply(event):
            return False
        self._changed.add(event.contact_id)
        return True

    def _apply_monitor(self, known: MonitoredContact, event: MonitorEvent) -> bool:
        if event.supervisor_id == self.supervisor_id:
            if event.mode is None:
                self.left(event.contact_id)  # left here, elsewhere, or the contact ended
                return True
            known.session = known.session.model_copy(update={"mode": event.mode, "mode_since": event.at})
        elif event.mode is None:
            known.others.pop(event.supervisor_id, None)
        else:
            known.others[event.supervisor_id] = (event.supervisor_name, event.mode)
        self._changed.add(event.contact_id)
        return True

    # --- the supervisor's keys ----------------------------------------------------------------

    def select_next(self) -> None:
        ids = list(self.contacts)
        if ids:
            at = ids.index(self.selected) if self.selected in ids else -1
            self.selected = ids[(at + 1) % len(ids)]
            self._order_changed = True

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

    def take_changes(self) -> tuple[bool, set[str]]:
        """(whether the set of cards or the selection changed, the contacts whose card must be drawn)."""
        order, changed = self._order_changed, self._changed
        self._order_changed, self._changed = False, set()
        return order, changed

