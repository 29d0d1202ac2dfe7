"""The contacts in the agent's hands: pick one to work on (the selected one is marked ▶)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from desktop.backends.models import Contact, ContactState
from desktop.ui.plain_text import cell
from desktop.ui.widgets.agent_status import format_duration, format_short
from desktop.ui.widgets.offer_card import CHANNEL_SYMBOLS

STATE_WORDS = {
    ContactState.CONNECTED: ("Connected", "bold green"),
    ContactState.ON_HOLD: ("On hold", "yellow"),
    ContactState.AFTER_CONTACT_WORK: ("Wrap-up", "magenta"),
    ContactState.COMPLETED: ("Timed out", "bold magenta"),  # kept on screen: its wrap-up is not saved yet
}
SELECTED_MARK = "▶"


def state_cell(contact: Contact, now: datetime) -> Text:
    """The state word with the timer that matters in it: hold time, consult leg, or the ACW countdown."""
    word, style = STATE_WORDS.get(contact.state, (contact.state.value, ""))
    if contact.consult is not None:
        return Text(f"Consult {contact.consult.state.value}"[:12], style="bold cyan")
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
        self.clear()
        for contact in contacts:
            selected = contact.id == current_id
            self.add_row(
                Text.assemble(
                    (f"{SELECTED_MARK} " if selected else "  ", "bold"),
                    CHANNEL_SYMBOLS[contact.channel],
                    " ",
                    cell(contact.from_address, "bold" if selected else "", limit=40),
                ),
                cell(contact.queue_name, limit=20),
                state_cell(contact, now),
                Text(_time_on(contact, now)),
                key=contact.id,
            )
        if current_id is not None and current_id in self.rows:
            self.move_cursor(row=self.get_row_index(current_id))
        count = len(contacts)
        self.border_subtitle = f"{count} in hand · [ ] switch" if count > 1 else ""

    def refresh_times(self, contacts: list[Contact], now: datetime) -> None:
        """Tick the timers on each contact without rebuilding the rows (the cursor stays put)."""
        for contact in contacts:
            if contact.id in self.rows:
                self.update_cell(contact.id, "state", state_cell(contact, now))
                self.update_cell(contact.id, "time", Text(_time_on(contact, now)))


def _time_on(contact: Contact, now: datetime) -> str:
    end = contact.completed_at if contact.state == ContactState.COMPLETED and contact.completed_at else now
    return format_duration((end - (contact.answered_at or contact.entered_queue_at)).total_seconds())
