"""An agent's contacts today (newest first), and setting their state."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable, Static

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Contact
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui.keys.command_bindings import AGENT_DRILLDOWN_BINDINGS, drilldown_keys
from agent_desktop.ui.lines.cells import shorten_words
from agent_desktop.ui.plain_text import cell, plain
from agent_desktop.ui.shared.agent_state_styles import agent_state_text
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS
from agent_desktop.ui.supervisor.drilldowns.drilldown import Drilldown
from agent_desktop.ui.supervisor.supervisor_pickers import choose_agent_state

QUEUE_CELLS = 24  # a queue's name is shortened by whole words past this; the column is as wide as the longest shown
# (label, key, least, most), what a supervisor reads first leftmost: at 80 columns all but the caller's number show
# whole (the queue whole, "Technical support", the handle time and the disposition among them); that one is cut.
COLUMNS = (
    ("Contact", "contact", 8, 12),
    ("Ch", "channel", 2, 2),
    ("Queue", "queue", 17, QUEUE_CELLS),
    ("State", "state", 9, 11),
    ("Handle", "handle", 6, 6),
    ("Disposition", "disposition", 11, 24),
    ("Taken", "answered", 5, 5),
    ("From", "from", 14, 22),
)
GROWS_FIRST = (5, 7, 2, 0, 3)  # the disposition, who called, a long queue name whole, then the rest
REST_TO = 5


class AgentDrilldown(Drilldown):
    COLUMNS = COLUMNS
    GROWS_FIRST = GROWS_FIRST
    REST_TO = REST_TO
    TABLE_ID = "today-table"
    # t: set this agent's state; j: monitor; escape: back
    BINDINGS: ClassVar[list[BindingType]] = [*drilldown_keys(AGENT_DRILLDOWN_BINDINGS)]

    def __init__(self, controller: SupervisorController, agent_id: str) -> None:
        self.agent_id = agent_id
        super().__init__(controller)

    def title_text(self) -> str:
        agent = self.floor.agents.get(self.agent_id)
        return f"Today: {agent.name if agent else self.agent_id}"

    async def fetch(self) -> bool:
        return await self.controller.drilldowns.open_agent_day(self.agent_id)  # kept live from the stream

    def on_unmount(self) -> None:
        self.controller.drilldowns.close_agent_day(self.agent_id)

    def redraw(self) -> None:
        now = self.clock()
        newest_first = self.controller.drilldowns.agent_day(self.agent_id)
        agent = self.floor.agents.get(self.agent_id)
        summary = self.query_one("#drilldown-summary", Static)
        if agent is not None:
            summary.update(
                Text.assemble(
                    agent_state_text(agent.state, self.app),
                    " — " if agent.reason else "",
                    cell(agent.reason or "", "italic", limit=40),
                    f"  for {format_duration((now - agent.state_since).total_seconds(), 'compact')}",
                    ("   loading…" if not self.loaded else f"   {contacts_today(len(newest_first))}", "dim"),
                )
            )
        else:
            summary.update(plain(self.agent_id))
        table = self.query_one(DataTable)
        table.clear()
        for contact in newest_first:
            handle = None
            if contact.answered_at:
                handle = ((contact.completed_at or now) - contact.answered_at).total_seconds()
            table.add_row(
                cell(contact.id, "dim", limit=12),
                Text(CHANNEL_SYMBOLS[contact.channel]),
                cell(shorten_words(contact.queue_name, QUEUE_CELLS), limit=QUEUE_CELLS),
                Text(contact.state.value.replace("_", " ")),
                Text(format_duration(handle, "compact") if handle is not None else "—", justify="right"),
                cell(contact.disposition or "", "italic", limit=24),
                Text(contact.answered_at.strftime("%H:%M") if contact.answered_at else "—"),
                cell(shown_phone(contact.from_address), limit=22),
                key=contact.id,
            )

    def action_set_state(self) -> None:
        choose_agent_state(self, self.controller, self.agent_id)

    def contact_under_cursor(self) -> Contact | None:
        return self.desk.agent_days.get(self.agent_id, {}).get(self.selected_key() or "")


def contacts_today(count: int) -> str:
    return "1 contact today" if count == 1 else f"{count} contacts today"
