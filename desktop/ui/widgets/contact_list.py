"""The contacts in the agent's hands: pick one to work on."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from desktop.backends.models import Contact, ContactState
from desktop.ui.plain_text import cell
from desktop.ui.widgets.agent_status import format_duration
from desktop.ui.widgets.offer_card import CHANNEL_SYMBOLS

STATE_WORDS = {
    ContactState.CONNECTED: ("Connected", "bold green"),
    ContactState.ON_HOLD: ("On hold", "yellow"),
    ContactState.AFTER_CONTACT_WORK: ("Wrap-up", "magenta"),
}


class ContactList(DataTable):
    def on_mount(self) -> None:
        self.cursor_type = "row"
        # Fixed widths that fit the column at 120×40, so the layout never waits on auto-sizing.
        for label, width in (("Contact", 20), ("Queue", 10), ("State", 9), ("Time", 5)):
            self.add_column(label, width=width, key=label.lower())

    def show(self, contacts: list[Contact], now: datetime, current_id: str | None) -> None:
        self.clear()
        for contact in contacts:
            word, style = STATE_WORDS.get(contact.state, (contact.state.value, ""))
            self.add_row(
                Text.assemble(CHANNEL_SYMBOLS[contact.channel], " ", cell(contact.from_address, limit=40)),
                cell(contact.queue_name, limit=20),
                Text(word, style=style),
                Text(_time_on(contact, now)),
                key=contact.id,
            )
        if current_id is not None and current_id in self.rows:
            self.move_cursor(row=self.get_row_index(current_id))

    def refresh_times(self, contacts: list[Contact], now: datetime) -> None:
        """Tick the time on each contact without rebuilding the rows (the cursor stays put)."""
        for contact in contacts:
            if contact.id in self.rows:
                self.update_cell(contact.id, "time", Text(_time_on(contact, now)))


def _time_on(contact: Contact, now: datetime) -> str:
    return format_duration((now - (contact.answered_at or contact.entered_queue_at)).total_seconds())
