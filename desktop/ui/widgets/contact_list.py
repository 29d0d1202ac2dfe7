"""The contacts in the agent's hands: pick one to work on (the selected one is marked ▶)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from desktop.backends.models import ConsultState, Contact, ContactState
from desktop.ui.plain_text import cell, literal_title
from desktop.ui.widgets.agent_status import format_duration, format_short
from desktop.ui.widgets.offer_card import CHANNEL_SYMBOLS

STATE_WORDS = {
    ContactState.CONNECTED: ("Connected", "bold green"),
    ContactState.ON_HOLD: ("On hold", "yellow"),
    ContactState.AFTER_CONTACT_WORK: ("Wrap-up", "magenta"),
    ContactState.COMPLETED: ("Timed out", "bold magenta"),  # kept on screen: its wrap-up is not saved yet
}
CONSULT_WORDS = {ConsultState.RINGING: "Consulting", ConsultState.CONNECTED: "In consult", ConsultState.FAILED: "Consult fail"}
SELECTED_MARK = "▶"


def state_cell(contact: Contact, now: datetime) -> Text:
    """The state word with the timer that matters in it: hold time, consult leg, or the ACW countdown."""
    word, style = STATE_WORDS.get(contact.state, (contact.state.value, ""))
    if contact.consult is not None:
        return Text(CONSULT_WORDS[contact.consult.state], style="bold cyan")
    if contact.state == ContactState.ON_HOLD:
        return Text(f"{word} {format_short(contact.hold_seconds(now))}", style=style)
    if contact.state == ContactState.AFTER_CONTACT_WORK and contact.acw_deadline is not None:
        left = (contact.acw_deadline - now).total_seconds()
        return Text(f"{word} {format_short(left)}", style="bold red" if left <= 10 else style)
    return Text(word, style=style)


class ContactList(DataTable):
    def on_mount(self) -> None:
        self.cursor_type = "row"
        # Fixed widths that fit the column at 120×40, so the layout never waits on auto-sizing.
        for label, width in (("Contact", 20), ("Queue", 7), ("State", 12), ("Time", 5)):
            self.add_column(label, width=width, key=label.lower())

    def show(self, contacts: list[Contact], now: datetime, current_id: str | None) -> None:
        ids = [contact.id for contact in contacts]
        if ids == [row.value for row in self.rows]:
            # Same contacts in the same order: update in place, so the cursor does not jump about.
            for contact in contacts:
                for column, value in zip(self.columns, self._cells(contact, now, contact.id == current_id)):
                    self.update_cell(contact.id, column, value)
        else:
            self.clear()
            for contact in contacts:
                self.add_row(*self._cells(contact, now, contact.id == current_id), key=contact.id)
        if current_id is not None and current_id in self.rows:
            row = self.get_row_index(current_id)
            if self.cursor_row != row:
                self.move_cursor(row=row)
        count = len(contacts)
        self.border_subtitle = literal_title(f"{count} in hand · [ ] switch") if count > 1 else ""

    def highlighted_id(self) -> str | None:
        """The contact under the cursor now (a RowHighlighted message may be older than that)."""
        if not self.row_count or self.cursor_row < 0:
            return None
        return self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value

    @staticmethod
    def _cells(contact: Contact, now: datetime, selected: bool) -> tuple[Text, Text, Text, Text]:
        return (
            Text.assemble(
                (f"{SELECTED_MARK} " if selected else "  ", "bold"),
                CHANNEL_SYMBOLS[contact.channel],
                " ",
                cell(contact.from_address, "bold" if selected else "", limit=40),
            ),
            cell(contact.queue_name, limit=20),
            state_cell(contact, now),
            Text(_time_on(contact, now)),
        )

    def refresh_times(self, contacts: list[Contact], now: datetime) -> None:
        """Tick the timers on each contact without rebuilding the rows (the cursor stays put)."""
        for contact in contacts:
            if contact.id in self.rows:
                self.update_cell(contact.id, "state", state_cell(contact, now))
                self.update_cell(contact.id, "time", Text(_time_on(contact, now)))


def _time_on(contact: Contact, now: datetime) -> str:
    end = contact.completed_at if contact.state == ContactState.COMPLETED and contact.completed_at else now
    return format_duration((end - (contact.answered_at or contact.entered_queue_at)).total_seconds())
