"""A queue's contacts: those waiting with their wait times (move one to another queue), then those in progress
with their agent and handle time (monitor one)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widgets import DataTable, Static

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import TALKING, Channel
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui.keys.command_bindings import QUEUE_DRILLDOWN_BINDINGS, drilldown_keys
from agent_desktop.ui.plain_text import cell, plain
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from agent_desktop.ui.supervisor.drilldowns.drilldown import Drilldown

# (label, key, least, most): at 80 columns every one shows, the subject (why they called) among them.
COLUMNS = (
    ("Contact", "contact", 8, 12),
    ("From", "from", 14, 22),
    ("Ch", "channel", 2, 2),
    ("State", "state", 8, 11),
    ("Time", "time", 5, 7),
    ("Agent", "agent", 10, 16),
    ("Subject", "subject", 10, 40),
)
GROWS_FIRST = (6, 5, 1, 0, 3, 4)  # the subject, who has it, who called, then the rest
STATE_WORDS = {"offered": "offered", "connected": "talking", "on_hold": "on hold", "after_contact_work": "wrap-up"}


def state_words(contact: Contact) -> str:
    """A contact in progress in words: a call is "talking"; a chat, SMS or email connected is "in progress" (an
    email being answered is not a conversation anyone is talking in)."""
    if contact.state.value == "connected" and contact.channel is not Channel.VOICE:
        return "in progress"
    return STATE_WORDS.get(contact.state.value, contact.state.value)


class QueueDrilldown(Drilldown):
    """Kept live from the floor the supervisor's controller updates from its stream: the waiting contacts are
    read once when it opens, those in progress are the agents' contacts in hand the floor already holds."""

    COLUMNS = COLUMNS
    GROWS_FIRST = GROWS_FIRST
    TABLE_ID = "waiting-table"
    # m: move the waiting contact to another queue; j: monitor; escape: back
    BINDINGS: ClassVar[list[BindingType]] = [*drilldown_keys(QUEUE_DRILLDOWN_BINDINGS)]

    def __init__(self, controller: SupervisorController, queue_id: str) -> None:
        self.queue_id = queue_id
        self._in_progress: dict[str, Contact] = {}  # as last drawn
        super().__init__(controller)

    def title_text(self) -> str:
        return f"Contacts of {self.floor.queue_name(self.queue_id)}"

    async def fetch(self) -> bool:
        return await self.controller.drilldowns.load_waiting(self.queue_id)

    def redraw(self) -> None:
        now = self.clock()
        reads = self.controller.drilldowns
        waiting, in_progress = reads.waiting(self.queue_id), reads.in_progress(self.queue_id)
        self._in_progress = {c.id: c for c in in_progress}
        queue = self.floor.queues.get(self.queue_id)
        summary = self.query_one("#drilldown-summary", Static)
        if not self.loaded:
            summary.update(Text(f"Loading the waiting contacts…   {len(in_progress)} in progress", style="dim"))
        else:
            priority = f"   routing priority {queue.priority}" if queue is not None else ""
            summary.update(plain(f"{len(waiting)} waiting, longest first · {len(in_progress)} in progress{priority}"))
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for contact in waiting:
            offered = contact.state.value == "offered"
            table.add_row(
                cell(contact.id, "dim", limit=12),
                cell(shown_phone(contact.from_address), limit=22),
                Text(CHANNEL_SYMBOLS[contact.channel]),
                Text("offered" if offered else "queued", style="yellow" if offered else ""),
                Text(
                    format_duration((now - contact.entered_queue_at).total_seconds(), "compact"),
                    justify="right",
                    style="bold",
                ),
                Text(""),
                cell(contact.subject or "", "italic", limit=22),
                key=contact.id,
            )
        for contact in in_progress:  # the time is how long the agent has had it
            since = contact.answered_at or contact.offered_at or contact.entered_queue_at
            table.add_row(
                cell(contact.id, "dim", limit=12),
                cell(shown_phone(contact.from_address), limit=22),
                Text(CHANNEL_SYMBOLS[contact.channel]),
                Text(state_words(contact), style="green" if contact.state in TALKING else "dim"),
                Text(format_duration((now - since).total_seconds(), "compact"), justify="right"),
                cell(self._agent_name(contact.agent_id), limit=16),
                cell(contact.subject or "", "italic", limit=22),
                key=contact.id,
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def _agent_name(self, agent_id: str | None) -> str:
        return self.desk.agent_name(agent_id) if agent_id else ""

    def contact_under_cursor(self) -> Contact | None:
        return self._in_progress.get(self.selected_key() or "")

    def action_move(self) -> None:
        contact_id, reads = self.selected_key(), self.controller.drilldowns
        if contact_id is None or not reads.may_move(self.queue_id, contact_id):
            self.notify("Only a waiting contact can be moved.", title="Move")
            return
        others = reads.move_targets(self.queue_id)

        def chosen(queue_id: str | None) -> None:
            if queue_id:
                self.move(contact_id, queue_id)

        self.app.push_screen(ChoicePicker(f"Move {contact_id} to…", others), chosen)

    @work(group="drilldown-action")
    async def move(self, contact_id: str, queue_id: str) -> None:
        if await self.controller.drilldowns.move_contact(contact_id, queue_id):
            self.redraw()
