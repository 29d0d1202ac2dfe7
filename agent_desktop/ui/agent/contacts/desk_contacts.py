"""The agent screen's contacts area: the contacts in hand, drawn from the desk (their rows, the selected one, the
callers' names the CRM found), and their times each tick. The list itself is contact_list.py; this feeds it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Contact
from agent_desktop.ui.agent.contacts.contact_list import ContactList

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions


class DeskContacts(ContactList):
    def __init__(self, desk: Desk, clock: Callable[[], datetime], **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(desk.sla_target, desk.wrap_up_deadlines.left_s, **kwargs)
        self.desk = desk
        self.clock = clock
        self._names: dict[str, str] = {}  # the callers' names the list shows, by contact id
        self.calls = desk.calls
        self.media = desk.softphone.by_contact
        self.recording_paused = desk.recording_paused

    def desk_changed(self, changes: DeskChanges) -> bool:
        """Redraw the rows that changed (a caller's name found counts); True when any did (or the selection)."""
        names = self._caller_names()
        renamed = {cid for cid in names.keys() | self._names.keys() if names.get(cid) != self._names.get(cid)}
        if not (changes.contacts or changes.selection or renamed):
            return False
        self._names = names
        desk = self.desk
        self.show(
            self._contacts(),
            self.clock(),
            desk.selected_id,
            changes.contacts | renamed,
            desk.conversations,
            names,
            in_hand=len(desk.held),
            awaiting_only=desk.awaiting_only,
            later_only=desk.later_only,
        )
        return True

    def tick(self, now: datetime) -> None:
        if self.desk.held:
            self.refresh_times(self._contacts(), now)

    def _contacts(self) -> list[Contact]:
        return [held.contact for held in self.desk.listed()]

    def _caller_names(self) -> dict[str, str]:
        """The name the CRM found for each contact in hand, by contact id."""
        lookups = self.desk.lookups
        return {
            cid: lookup.record.customer.name
            for cid in self.desk.held
            if (lookup := lookups.get(cid)) is not None and lookup.record is not None and lookup.record.customer.name
        }
