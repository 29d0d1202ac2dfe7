"""A queue's waiting contacts with their wait times; move one to another queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import DataTable, Static

from desktop.backends.errors import BackendError
from desktop.backends.models import Contact, ContactEvent
from desktop.backends.supervisor_protocol import SupervisorConsole
from desktop.staffing.floor import Floor
from desktop.ui.plain_text import cell, plain
from desktop.ui.screens.choice_picker import ChoicePicker
from desktop.ui.screens.drilldown import Drilldown
from desktop.ui.widgets.offer_card import CHANNEL_SYMBOLS
from desktop.ui.widgets.supervisor.cells import format_seconds

COLUMNS = (("Contact", "contact", 12), ("From", "from", 24), ("Ch", "channel", 2), ("State", "state", 8),
           ("Waiting", "wait", 7), ("Subject", "subject", 30))  # fmt: skip


class QueueDrilldown(Drilldown):
    """Kept live from the floor the supervisor screen updates from its stream."""

    COLUMNS = COLUMNS
    TABLE_ID = "waiting-table"
    LOAD_TITLE = "Waiting contacts"
    BINDINGS = [
        Binding("m", "move", "Move to queue", tooltip="Move the waiting contact under the cursor to another queue"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, console: SupervisorConsole, floor: Floor, queue_id: str, clock: Callable[[], datetime]) -> None:
        self.queue_id = queue_id
        super().__init__(console, floor, clock)

    def title_text(self) -> str:
        return f"Waiting in {self.floor.queue_name(self.queue_id)}"

    async def fetch(self) -> list[Contact]:
        return await self.console.waiting_contacts(self.queue_id)

    def loaded_contacts(self, contacts: list[Contact]) -> None:
        self.floor.set_waiting(self.queue_id, contacts)

    def redraw(self) -> None:
        now = self.clock()
        waiting = sorted(self.floor.waiting.get(self.queue_id, {}).values(), key=lambda c: (c.entered_queue_at, c.id))
        queue = self.floor.queues.get(self.queue_id)
        summary = self.query_one("#drilldown-summary", Static)
        if not self.loaded:
            summary.update(Text("Loading…", style="dim"))
        else:
            priority = f"   routing priority {queue.priority}" if queue is not None else ""
            summary.update(plain(f"{len(waiting)} waiting, longest first{priority}"))
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for contact in waiting:
            table.add_row(
                cell(contact.id, "dim", limit=12),
                cell(contact.from_address, limit=24),
                Text(CHANNEL_SYMBOLS[contact.channel]),
                Text("offered" if contact.state.value == "offered" else "queued",
                     style="yellow" if contact.state.value == "offered" else ""),
                Text(format_seconds((now - contact.entered_queue_at).total_seconds()), justify="right", style="bold"),
                cell(contact.subject or "", "italic", limit=30),
                key=contact.id,
            )  # fmt: skip
        if waiting:
            table.move_cursor(row=min(cursor, len(waiting) - 1))

    def _selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_move(self) -> None:
        contact_id = self._selected_id()
        if contact_id is None:
            self.notify("No waiting contact to move.", title="Move")
            return
        others = [(q, self.floor.queue_name(q)) for q in self.floor.queue_ids() if q != self.queue_id]

        def chosen(queue_id: str | None) -> None:
            if queue_id:
                self.move(contact_id, queue_id)

        self.app.push_screen(ChoicePicker(f"Move {contact_id} to…", others), chosen)

    @work(group="drilldown-action")
    async def move(self, contact_id: str, queue_id: str) -> None:
        try:
            contact = await self.console.move_contact(contact_id, queue_id)
        except BackendError as error:
            self.notify(error.message, title="Move", severity="error")
            return
        self.floor.apply_contact(ContactEvent(contact=contact))  # the stream will say the same
        self.notify(plain(f"{contact_id} moved to {contact.queue_name}."), title="Move")
        self.redraw()
